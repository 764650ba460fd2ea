import type { OperationKind, Settings } from '../../settings.js';
import { isRecord } from '../json.js';
import {
  type ApiSpec,
  type BatchAccepted,
  hasKind,
  kindIn,
  type ProviderDefinition,
  type Quota,
  type TaskReport,
} from '../provider.js';
import { checkedTaskIds } from '../task-id.js';
import { reportsByTask } from '../task-reports.js';
import { callTencentApi, type TencentService } from './api.js';
import { tencentClient } from './cdn.js';
import { type EdgeOneSettings, readEdgeOne } from './edgeone-inputs.js';
import { TENCENT_API_HOSTS, TENCENT_CREDENTIAL_VARIABLES, TENCENT_KEYLESS } from './sts.js';
import { readTaskLists, TaskTimes } from './task-times.js';

export const TEO_SERVICE: TencentService = {
  name: 'teo',
  version: '2022-09-01',
  chinaHost: 'teo.tencentcloudapi.com',
  intlHost: 'teo.intl.tencentcloudapi.com',
};

/**
 * EdgeOne's per-request limits depend on the plan: the real ones come from DescribeContentQuota at run time.
 * These cautious ones apply when it cannot be read, and a batch still too large is halved on
 * LimitExceeded.BatchQuota.
 */
export const EDGEONE_APIS = {
  'purge-urls': { action: 'CreatePurgeTask', batchSize: 500, ratePerSecond: 20 },
  'purge-paths': { action: 'CreatePurgeTask', batchSize: 100, ratePerSecond: 20 },
  'purge-hosts': { action: 'CreatePurgeTask', batchSize: 100, ratePerSecond: 20 },
  'purge-tags': { action: 'CreatePurgeTask', batchSize: 100, ratePerSecond: 20 },
  'purge-all': { action: 'CreatePurgeTask', batchSize: 1, ratePerSecond: 20 },
  prefetch: { action: 'CreatePrefetchTask', batchSize: 500, ratePerSecond: 20 },
} satisfies Partial<Record<OperationKind, ApiSpec>>;

type EdgeOneKind = keyof typeof EDGEONE_APIS;

/** 20 requests/s; they list a zone's tasks of a time range, up to 1,000 rows a page (docs/tencent-api.md#task-status). */
const PURGE_STATUS: ApiSpec = { action: 'DescribePurgeTasks', batchSize: 1000, ratePerSecond: 20 };
export const EDGEONE_STATUS_APIS = {
  'purge-urls': PURGE_STATUS,
  'purge-paths': PURGE_STATUS,
  'purge-hosts': PURGE_STATUS,
  'purge-tags': PURGE_STATUS,
  'purge-all': PURGE_STATUS,
  prefetch: { ...PURGE_STATUS, action: 'DescribePrefetchTasks' },
} satisfies Record<EdgeOneKind, ApiSpec>;

/** The CreatePurgeTask `Type` and the DescribeContentQuota `Type` of each operation. */
const QUOTA_TYPES: Record<EdgeOneKind, string> = {
  'purge-urls': 'purge_url',
  'purge-paths': 'purge_prefix',
  'purge-hosts': 'purge_host',
  'purge-tags': 'purge_cache_tag',
  'purge-all': 'purge_all',
  prefetch: 'prefetch_url',
};

/** Purge types that take a Method. */
const WITH_METHOD = new Set<EdgeOneKind>(['purge-paths', 'purge-hosts', 'purge-all']);

export const tencentEdgeOne: ProviderDefinition<EdgeOneSettings> = {
  id: 'tencent-edgeone',
  label: 'Tencent Cloud EdgeOne',
  apis: EDGEONE_APIS,
  statusApis: EDGEONE_STATUS_APIS,
  // EdgeOne's quotas depend on the zone's plan (docs/tencent-api.md#describecontentquota): no default to assume.
  defaultQuotas: {},
  ownInputs: ['zone-id', 'hosts', 'cache-tags', 'purge-all', 'layer', 'media-segments'],
  wildcardFix: 'EdgeOne purges paths by prefix (purge_prefix): every URL that starts with the entry',
  layers: ['edge'],
  requestBody: (settings, edgeone, kind, targets) =>
    edgeOnePayload(settings, edgeone, kindIn(EDGEONE_APIS, kind, 'Tencent Cloud EdgeOne'), targets),
  apiHosts: TENCENT_API_HOSTS,
  credentialVariables: TENCENT_CREDENTIAL_VARIABLES,
  keyless: TENCENT_KEYLESS,
  readInputs: readEdgeOne,
  connect(context, edgeone) {
    const { settings } = context;
    const client = tencentClient(TEO_SERVICE, context);
    const times = new TaskTimes(context.now);
    return {
      async submit(kind, targets) {
        const operation = kindIn(EDGEONE_APIS, kind, 'EdgeOne');
        return times.track(async () => {
          const response = await callTencentApi(
            await client(),
            EDGEONE_APIS[operation].action,
            edgeOnePayload(settings, edgeone, operation, targets),
          );
          return edgeOneResult(response, operation === 'purge-all' ? [edgeone.zoneId] : targets);
        });
      },
      async readQuotas(kinds) {
        // The quota is per zone: with zone-id * there is none to read.
        if (edgeone.zoneId === '*') return {};
        const response = await callTencentApi(await client(), 'DescribeContentQuota', {
          ZoneId: edgeone.zoneId,
        });
        return edgeOneQuotas(response, kinds);
      },
      async describeTasks(kind, jobIds, paced) {
        const operation = kindIn(EDGEONE_APIS, kind, 'EdgeOne');
        const zone = edgeone.zoneId === '*' ? {} : { ZoneId: edgeone.zoneId };
        // The job-id filter takes a single value: the jobs are listed by time instead.
        const queries = times.queries<Record<string, unknown>>(
          jobIds,
          ({ from, to }) => ({ ...zone, StartTime: isoSeconds(from), EndTime: isoSeconds(to) }),
          (jobId) => ({ ...zone, Filters: [{ Name: 'job-id', Values: [jobId] }] }),
        );
        const rows = await readTaskLists(
          client,
          EDGEONE_STATUS_APIS[operation].action,
          queries,
          'Tasks',
          paced,
        );
        return reportsByTask(jobIds, rows, 'JobId', edgeOneTaskReport);
      },
    };
  },
};

/** "2022-02-09T02:09:54Z": ISO 8601 in UTC, to the second, as the task lists take it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function edgeOnePayload(
  settings: Settings,
  edgeone: EdgeOneSettings,
  kind: EdgeOneKind,
  targets: readonly string[],
): Record<string, unknown> {
  if (kind === 'prefetch') {
    const p = settings.prefetch;
    return {
      ZoneId: edgeone.zoneId,
      Targets: [...targets],
      ...(p.layer === 'edge' ? { Mode: 'edge' } : {}),
      ...(p.headers.length === 0
        ? {}
        : { Headers: p.headers.map((h) => ({ Name: h.name, Value: h.value })) }),
      ...(p.mediaSegments === undefined ? {} : { PrefetchMediaSegments: p.mediaSegments ? 'on' : 'off' }),
    };
  }
  return {
    ZoneId: edgeone.zoneId,
    Type: QUOTA_TYPES[kind],
    ...(WITH_METHOD.has(kind) ? { Method: settings.purgeMethod } : {}),
    ...(kind === 'purge-all' ? {} : { Targets: [...targets] }),
  };
}

/** JobId, and the targets of a successful call that `FailedList` says were refused. */
export function edgeOneResult(response: Record<string, unknown>, targets: readonly string[]): BatchAccepted {
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  const taskIds = checkedTaskIds(
    typeof response.JobId === 'string' && response.JobId !== '' ? [response.JobId] : [],
    'JobId',
    requestId,
  );
  const sent = new Set(targets);
  const refused = (Array.isArray(response.FailedList) ? response.FailedList : [])
    .filter(isRecord)
    .flatMap((group) => {
      const reason = String(group.Reason ?? 'refused without a reason');
      const groupTargets = Array.isArray(group.Targets) ? group.Targets.map(String) : [];
      // A FailedList entry without targets of this batch refuses the whole batch.
      const affected = groupTargets.length > 0 ? groupTargets.filter((t) => sent.has(t)) : [...targets];
      return affected.map((url) => ({ url, code: 'FailedList', message: `refused by EdgeOne: ${reason}` }));
    });
  return { taskIds, requestId, refused };
}

export function edgeOneQuotas(
  response: Record<string, unknown>,
  kinds: readonly OperationKind[],
): Partial<Record<OperationKind, Quota>> {
  const entries = [
    ...(Array.isArray(response.PurgeQuota) ? response.PurgeQuota : []),
    ...(Array.isArray(response.PrefetchQuota) ? response.PrefetchQuota : []),
  ].filter(isRecord);
  const quotas: Partial<Record<OperationKind, Quota>> = {};
  for (const kind of kinds) {
    if (!hasKind(EDGEONE_APIS, kind)) continue;
    // Should the answer hold more than one entry of a type, the scarcest is the one that binds.
    const entry = entries
      .filter((e) => e.Type === QUOTA_TYPES[kind])
      .sort((a, b) => Number(a.DailyAvailable ?? 0) - Number(b.DailyAvailable ?? 0))[0];
    if (entry) {
      quotas[kind] = {
        batchSize: Number(entry.Batch ?? 0),
        available: Number(entry.DailyAvailable ?? 0),
        total: Number(entry.Daily ?? 0),
        scope: QUOTA_TYPES[kind],
      };
    }
  }
  return quotas;
}

/** Running while a target is `processing`; failed when any ended failed, timeout, canceled or invalid. */
export function edgeOneTaskReport(rows: readonly unknown[]): TaskReport {
  const tasks = rows
    .filter(isRecord)
    .map((row) => ({ target: String(row.Target ?? ''), status: String(row.Status ?? '').toLowerCase() }));
  if (tasks.length === 0 || tasks.some((task) => task.status === 'processing'))
    return { state: 'running', failedTargets: [] };
  const failedTargets = tasks.filter((task) => task.status !== 'success').map((task) => task.target);
  return { state: failedTargets.length > 0 ? 'failed' : 'done', failedTargets };
}
