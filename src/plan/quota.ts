import type { Quota } from '../providers/provider.js';
import type { OperationKind, QuotaReserve } from '../settings.js';
import { thousands } from '../text.js';
import type { PlannedOperation } from './operations.js';

export interface Shortfall {
  operation: PlannedOperation;
  needed: number;
  quota: Quota;
}

/**
 * Fits the plan to today's quota: batch sizes shrink to what the quota API allows, and every operation that needs
 * more than is available today is a shortfall. Operations without a quota keep their documented limits.
 */
export function fitToQuotas(
  operations: readonly PlannedOperation[],
  quotas: Partial<Record<OperationKind, Quota>>,
): { operations: PlannedOperation[]; shortfalls: Shortfall[] } {
  const shortfalls: Shortfall[] = [];
  const fitted = operations.map((operation) => {
    const quota = quotas[operation.kind];
    if (!quota) return operation;
    if (operation.targets.length > quota.available) {
      shortfalls.push({ operation, needed: operation.targets.length, quota });
    }
    const batchSize =
      quota.batchSize > 0 ? Math.min(operation.api.batchSize, quota.batchSize) : operation.api.batchSize;
    return { ...operation, api: { ...operation.api, batchSize }, quota };
  });
  return { operations: fitted, shortfalls };
}

/**
 * Today's quotas less what `quota-reserve` keeps for later purges that day: a number of targets, or a percentage of
 * the daily total (rounded up), of each quota.
 */
export function withReserve(
  quotas: Partial<Record<OperationKind, Quota>>,
  reserve: QuotaReserve,
): Partial<Record<OperationKind, Quota>> {
  const kept: Partial<Record<OperationKind, Quota>> = {};
  for (const [kind, quota] of Object.entries(quotas) as [OperationKind, Quota][]) {
    const reserved =
      'percent' in reserve ? Math.ceil((quota.total * reserve.percent) / 100) : reserve.targets;
    kept[kind] =
      reserved > 0 ? { ...quota, available: Math.max(0, quota.available - reserved), reserved } : quota;
  }
  return kept;
}

/** Where the quota came from, in brackets: "(mainland: read from DescribeDomains; 200 kept by quota-reserve)". */
export function describeQuotaScope(quota: Quota): string {
  const parts = [
    quota.basis ? `${quota.scope}: ${quota.basis}` : quota.scope,
    ...(quota.reserved ? [`${thousands(quota.reserved)} more kept for later by quota-reserve`] : []),
  ];
  return `(${parts.join('; ')})`;
}

/**
 * "PurgeUrlsCache needs 2500 but 1500 of 10000 a day are available (mainland: given by the area input)", and what
 * to do about it where the provider knows.
 */
export function describeShortfall({ operation, needed, quota }: Shortfall): string {
  const hint = quota.hint ? `. ${quota.hint}` : '';
  return `${operation.api.action} needs ${needed} but ${quota.available} of ${quota.total} a day are available ${describeQuotaScope(quota)}${hint}`;
}
