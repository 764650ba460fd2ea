import type { OperationKind, Settings } from '../../settings.js';
import { isRecord } from '../json.js';
import {
  type ApiSpec,
  type BatchAccepted,
  kindIn,
  type ProviderContext,
  type ProviderDefinition,
  type Quota,
  type TaskReport,
} from '../provider.js';
import { checkedTaskIds } from '../task-id.js';
import { reportsByTask } from '../task-reports.js';
import { callTencentApi, type TencentClient, type TencentService } from './api.js';
import { chargedAreas, chargedQuota, hostsOf, readDomainAreas } from './cdn-quota.js';
import { TENCENT_API_HOSTS, TENCENT_CREDENTIAL_VARIABLES, TENCENT_KEYLESS } from './sts.js';
import { readTaskLists, TaskTimes } from './task-times.js';

export const CDN_SERVICE: TencentService = {
  name: 'cdn',
  version: '2018-06-06',
  chinaHost: 'cdn.tencentcloudapi.com',
  intlHost: 'cdn.intl.tencentcloudapi.com',
};

/** The documented per-request limits and rates of the Tencent CDN APIs (docs/tencent-api.md#tencent-cdn). */
export const TENCENT_CDN_APIS = {
  'purge-urls': { action: 'PurgeUrlsCache', batchSize: 1000, ratePerSecond: 20 },
  'purge-paths': { action: 'PurgePathCache', batchSize: 20, ratePerSecond: 20 },
  prefetch: { action: 'PushUrlsCache', batchSize: 500, ratePerSecond: 20 },
  // EnableCaches documents 40 requests/s and no per-request limit: 100 URLs a request is a cautious choice.
  unblock: { action: 'EnableCaches', batchSize: 100, ratePerSecond: 40 },
} satisfies Record<TencentCdnKind, ApiSpec>;

/** The operations Tencent CDN has. */
export type TencentCdnKind = 'purge-urls' | 'purge-paths' | 'prefetch' | 'unblock';

export function tencentEndpoint(service: TencentService, settings: Settings): URL {
  return (
    settings.endpoint ??
    new URL(`https://${settings.site === 'intl' ? service.intlHost : service.chinaHost}/`)
  );
}

/** The client of a Tencent API 3.0 service for one run, with the credentials read afresh for every request. */
export function tencentClient(
  service: TencentService,
  { settings, credentials, send, now, timeoutMs }: ProviderContext,
): () => Promise<TencentClient> {
  const endpoint = tencentEndpoint(service, settings);
  return async () => ({ service, endpoint, credentials: await credentials(), send, now, timeoutMs });
}

/**
 * Task status APIs, 20 requests/s; they list the tasks of a time range, up to 1,000 rows (one per URL) a page
 * (docs/tencent-api.md#task-status-lists).
 */
export const TENCENT_CDN_STATUS_APIS = {
  'purge-urls': { action: 'DescribePurgeTasks', batchSize: 1000, ratePerSecond: 20 },
  'purge-paths': { action: 'DescribePurgeTasks', batchSize: 1000, ratePerSecond: 20 },
  prefetch: { action: 'DescribePushTasks', batchSize: 1000, ratePerSecond: 20 },
} satisfies Partial<Record<OperationKind, ApiSpec>>;

export const tencentCdn: ProviderDefinition<undefined> = {
  id: 'tencent-cdn',
  label: 'Tencent Cloud CDN',
  apis: TENCENT_CDN_APIS,
  statusApis: TENCENT_CDN_STATUS_APIS,
  // docs/tencent-api.md#limits-and-default-daily-quotas
  defaultQuotas: { 'purge-urls': 10_000, 'purge-paths': 100, prefetch: 1000 },
  ownInputs: ['area', 'layer', 'media-segments', 'url-encode', 'user-agent', 'disable-range'],
  layers: ['middle'],
  requestBody: (settings, _options, kind, targets) =>
    tencentCdnPayload(settings, kindIn(TENCENT_CDN_APIS, kind, 'Tencent Cloud CDN'), targets),
  apiHosts: TENCENT_API_HOSTS,
  credentialVariables: TENCENT_CREDENTIAL_VARIABLES,
  keyless: TENCENT_KEYLESS,
  readInputs: () => ({ targets: [], options: undefined }),
  connect(context) {
    const { settings } = context;
    const client = tencentClient(CDN_SERVICE, context);
    const times = new TaskTimes(context.now);
    return {
      async submit(operation, targets) {
        const kind = kindIn(TENCENT_CDN_APIS, operation, 'Tencent CDN');
        const payload = tencentCdnPayload(settings, kind, targets);
        return times.track(async () =>
          tencentCdnResult(
            kind,
            await callTencentApi(await client(), TENCENT_CDN_APIS[kind].action, payload),
          ),
        );
      },
      async readQuotas(kinds, targets) {
        const quotas: Partial<Record<OperationKind, Quota>> = {};
        const keep = (kind: OperationKind, quota: Quota | undefined): void => {
          if (quota) quotas[kind] = quota;
        };
        const hosts = hostsOf(targets);
        if (kinds.includes('purge-urls') || kinds.includes('purge-paths')) {
          const response = await callTencentApi(await client(), 'DescribePurgeQuota', {});
          // A purge without area is charged where its domains are served: read only when it matters.
          const domains =
            settings.area === 'mainland' || settings.area === 'overseas'
              ? undefined
              : await readDomainAreas(await client(), hosts);
          const charged = chargedAreas(settings.area, 'purge', hosts, domains);
          keep('purge-urls', chargedQuota(response.UrlPurge, charged));
          keep('purge-paths', chargedQuota(response.PathPurge, charged));
        }
        if (kinds.includes('prefetch')) {
          const response = await callTencentApi(await client(), 'DescribePushQuota', {});
          keep(
            'prefetch',
            chargedQuota(response.UrlPush, chargedAreas(settings.area, 'prefetch', hosts, undefined)),
          );
        }
        return quotas;
      },
      async describeTasks(operation, taskIds, paced) {
        const kind = kindIn(TENCENT_CDN_STATUS_APIS, operation, 'Tencent CDN status');
        const logField = kind === 'prefetch' ? 'PushLogs' : 'PurgeLogs';
        const filter =
          kind === 'purge-urls' ? { PurgeType: 'url' } : kind === 'purge-paths' ? { PurgeType: 'path' } : {};
        const queries = times.queries<Record<string, unknown>>(
          taskIds,
          ({ from, to }) => ({ StartTime: beijingTime(from), EndTime: beijingTime(to), ...filter }),
          (TaskId) => ({ TaskId, ...filter }),
        );
        const { action } = TENCENT_CDN_STATUS_APIS[kind];
        const rows = await readTaskLists(client, action, queries, logField, paced);
        return reportsByTask(taskIds, rows, 'TaskId', taskReport);
      },
    };
  },
};

/** "2018-08-08 00:00:00": Beijing time (UTC+8), to the second, as the task lists take it. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Task state from its URL logs: running while any is `process`, failed when any is `fail` or `invalid`. */
export function taskReport(logs: readonly unknown[]): TaskReport {
  const rows = logs
    .filter(isRecord)
    .map((row) => ({ url: String(row.Url ?? ''), status: String(row.Status ?? '').toLowerCase() }));
  if (rows.length === 0 || rows.some((row) => row.status === 'process'))
    return { state: 'running', failedTargets: [] };
  const failedTargets = rows
    .filter((row) => row.status === 'fail' || row.status === 'invalid')
    .map((row) => row.url);
  return { state: failedTargets.length > 0 ? 'failed' : 'done', failedTargets };
}

/** The request body of each action; options left unset are left out so the API's defaults apply. */
export function tencentCdnPayload(
  settings: Settings,
  kind: TencentCdnKind,
  targets: readonly string[],
): Record<string, unknown> {
  const urlEncode = settings.urlEncode === undefined ? {} : { UrlEncode: settings.urlEncode };
  // A purge without Area covers every region the domain serves, which is what `global` means for a purge.
  const purgeArea = settings.area === undefined || settings.area === 'global' ? {} : { Area: settings.area };
  switch (kind) {
    case 'purge-urls':
      return { Urls: [...targets], ...purgeArea, ...urlEncode };
    case 'purge-paths':
      return {
        Paths: [...targets],
        FlushType: settings.purgeMethod === 'delete' ? 'delete' : 'flush',
        ...purgeArea,
        ...urlEncode,
      };
    case 'prefetch': {
      const p = settings.prefetch;
      return {
        Urls: [...targets],
        ...(p.userAgent === undefined ? {} : { UserAgent: p.userAgent }),
        ...(settings.area === undefined ? {} : { Area: settings.area }),
        ...(p.layer === undefined ? {} : { Layer: p.layer }),
        ...(p.mediaSegments === undefined ? {} : { ParseM3U8: p.mediaSegments }),
        ...(p.disableRange === undefined ? {} : { DisableRange: p.disableRange }),
        ...(p.headers.length === 0
          ? {}
          : { Headers: p.headers.map((h) => ({ Name: h.name, Value: h.value })) }),
        ...urlEncode,
      };
    }
    case 'unblock':
      return { Urls: [...targets] };
  }
}

/** Task ID and, for EnableCaches, the URLs it could not unblock. */
export function tencentCdnResult(kind: OperationKind, response: Record<string, unknown>): BatchAccepted {
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  const taskIds = checkedTaskIds(
    typeof response.TaskId === 'string' && response.TaskId !== '' ? [response.TaskId] : [],
    'TaskId',
    requestId,
  );
  const refused =
    kind === 'unblock' && isRecord(response.CacheOptResult) && Array.isArray(response.CacheOptResult.FailUrls)
      ? response.CacheOptResult.FailUrls.map((url) => ({
          url: String(url),
          code: 'EnableCaches.FailUrl',
          message: 'the provider could not unblock this URL',
        }))
      : [];
  return { taskIds, requestId, refused };
}
