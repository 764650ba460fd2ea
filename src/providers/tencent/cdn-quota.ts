/**
 * Which Tencent CDN quota a run will be charged (docs/tencent-api.md#quota-apis): a purge without `area` is
 * carried out, and charged, in the areas the URLs' domains are served in, read with DescribeDomains; a `global`
 * domain is charged in both areas.
 */
import { ApiError } from '../../errors.js';
import type { Area } from '../../settings.js';
import { BEIJING_MIDNIGHT } from '../beijing-day.js';
import { isRecord } from '../json.js';
import type { Quota } from '../provider.js';
import { callTencentApi, type TencentClient } from './api.js';

type QuotaArea = 'mainland' | 'overseas';
const BOTH: readonly QuotaArea[] = ['mainland', 'overseas'];

/** DescribeDomains takes at most 5 values in an exact (not fuzzy) filter. */
const DOMAINS_PER_REQUEST = 5;

/** The areas a run's targets are charged in, and why, for messages. */
export interface ChargedAreas {
  areas: readonly QuotaArea[];
  basis: string;
  hint?: string;
  notice?: string;
}

/** The host names of the targets, lower-cased, each once. */
export function hostsOf(targets: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const target of targets) {
    try {
      hosts.add(new URL(target).hostname.toLowerCase());
    } catch {
      // Targets were checked as URLs when the inputs were read; anything else names no domain.
    }
  }
  return [...hosts];
}

/**
 * Each domain's `Area` (mainland, overseas, global) from DescribeDomains, filtered by the domains; the refusal when
 * the credentials may not read it (the permission is optional). An error that stops the run is thrown.
 */
export async function readDomainAreas(
  client: TencentClient,
  hosts: readonly string[],
): Promise<Map<string, string> | ApiError> {
  const areas = new Map<string, string>();
  try {
    for (let start = 0; start < hosts.length; start += DOMAINS_PER_REQUEST) {
      const response = await callTencentApi(client, 'DescribeDomains', {
        Offset: 0,
        Limit: 1000,
        Filters: [{ Name: 'domain', Value: hosts.slice(start, start + DOMAINS_PER_REQUEST) }],
      });
      for (const domain of Array.isArray(response.Domains) ? response.Domains.filter(isRecord) : []) {
        if (typeof domain.Domain === 'string' && typeof domain.Area === 'string')
          areas.set(domain.Domain.toLowerCase(), domain.Area);
      }
    }
  } catch (error) {
    if (!(error instanceof ApiError) || (error.disposition === 'run' && !isUnauthorized(error.code)))
      throw error;
    return error;
  }
  return areas;
}

function isUnauthorized(code: string): boolean {
  return code.startsWith('UnauthorizedOperation') || code === 'AuthFailure.UnauthorizedOperation';
}

const AREA_HINT =
  'A purge with `area: mainland` or `area: overseas` is charged to that area only (and purges only there).';

/** Where a purge or a prefetch of `hosts` is charged, from the area input or the domains' areas as read. */
export function chargedAreas(
  area: Area | undefined,
  use: 'purge' | 'prefetch',
  hosts: readonly string[],
  domains: Map<string, string> | ApiError | undefined,
): ChargedAreas {
  if (area === 'mainland' || area === 'overseas') return { areas: [area], basis: 'given by the area input' };
  if (use === 'prefetch') {
    return area === 'global'
      ? { areas: BOTH, basis: 'area global prefetches in both areas: the smaller quota' }
      : { areas: ['mainland'], basis: "Tencent's default area of a prefetch without area" };
  }
  if (domains instanceof ApiError) {
    return {
      areas: BOTH,
      basis: `the scarcer area: DescribeDomains was refused (${domains.code}), so where the domains are served is not known`,
      hint: 'Set `area` to where the domains are served (mainland or overseas), or allow cdn:DescribeDomains, to plan against the quota that will be charged.',
      notice: `Could not read where the domains are served (DescribeDomains: ${domains.describe()}): planning against the scarcer area's quota. Allow cdn:DescribeDomains (read only), or set \`area\`, to plan against the quota that will be charged.`,
    };
  }
  const served = hosts.flatMap((host) => {
    const value = domains?.get(host);
    return value === undefined ? [] : [{ host, value }];
  });
  if (served.length === 0) {
    return {
      areas: BOTH,
      basis: `the scarcer area: DescribeDomains lists none of the plan's domains (${listed(hosts)})`,
      hint: 'Set `area` to where the domains are served (mainland or overseas) to plan against that area only.',
    };
  }
  const areas = BOTH.filter((quotaArea) =>
    served.some(({ value }) => value === quotaArea || !(BOTH as readonly string[]).includes(value)),
  );
  const where = [...new Set(served.map(({ value }) => (value === 'global' ? 'globally' : `in ${value}`)))];
  const smaller = areas.length > 1 ? ', charged in both areas: the smaller quota' : '';
  return {
    areas,
    basis: `read from DescribeDomains: ${listed(served.map(({ host }) => host))} ${served.length === 1 ? 'is' : 'are'} served ${where.join(' and ')}${smaller}`,
    ...(areas.length > 1 ? { hint: AREA_HINT } : {}),
  };
}

/** "a.com, b.com and 3 more". */
function listed(hosts: readonly string[]): string {
  const shown = hosts.slice(0, 3).join(', ');
  return hosts.length > 3 ? `${shown} and ${hosts.length - 3} more` : shown;
}

/**
 * The entry of the areas charged with the least available (both are charged for a global domain, and a plan with
 * domains in both areas is held to the scarcer); the smallest `Batch` of them.
 */
export function chargedQuota(entries: unknown, charged: ChargedAreas): Quota | undefined {
  const quotas = (Array.isArray(entries) ? entries : [])
    .filter(isRecord)
    .filter((entry) => (charged.areas as readonly unknown[]).includes(entry.Area))
    .map(
      (entry): Quota => ({
        batchSize: Number(entry.Batch ?? 0),
        available: Number(entry.Available ?? 0),
        total: Number(entry.Total ?? 0),
        scope: String(entry.Area),
      }),
    );
  const scarcest = [...quotas].sort((a, b) => a.available - b.available)[0];
  if (!scarcest) return undefined;
  const { basis, hint, notice } = charged;
  return {
    ...scarcest,
    batchSize: Math.min(...quotas.map((quota) => quota.batchSize)),
    basis,
    ...(hint ? { hint } : {}),
    ...(notice ? { notice } : {}),
    resets: BEIJING_MIDNIGHT,
  };
}
