import type { Credentials, OperationKind, Settings } from '../../settings.js';
import { BEIJING_MIDNIGHT } from '../beijing-day.js';
import { isRecord } from '../json.js';
import {
  type ApiSpec,
  type BatchAccepted,
  kindIn,
  type ProviderDefinition,
  type Quota,
  type TaskReport,
} from '../provider.js';
import { checkedTaskIds } from '../task-id.js';
import { reportsByTask } from '../task-reports.js';
import { ALIYUN_CDN_SERVICE, type AliyunClient, type AliyunCredentials, callAliyunApi } from './api.js';
import { type AliyunSettings, readAliyun } from './inputs.js';
import { ALIYUN_CREDENTIAL_VARIABLES, ALIYUN_KEYLESS } from './sts.js';

/** docs/aliyun-api.md#alibaba-cloud-cdn: 50 requests/s; 1,000 URLs, 100 directories or 1 regex per refresh; 100 URLs per push. */
export const ALIYUN_CDN_APIS = {
  'purge-urls': { action: 'RefreshObjectCaches', batchSize: 1000, ratePerSecond: 50 },
  'purge-paths': { action: 'RefreshObjectCaches', batchSize: 100, ratePerSecond: 50 },
  'purge-regex': { action: 'RefreshObjectCaches', batchSize: 1, ratePerSecond: 50 },
  prefetch: { action: 'PushObjectCache', batchSize: 100, ratePerSecond: 50 },
} satisfies Partial<Record<OperationKind, ApiSpec>>;

type AliyunKind = keyof typeof ALIYUN_CDN_APIS;

/**
 * DescribeRefreshTaskById: the task status of refreshes and pushes alike, up to 10 task IDs a request; paced at 10
 * requests/s, below the documented 30 (docs/aliyun-api.md#describerefreshtaskbyid-task-status).
 */
const STATUS_API: ApiSpec = { action: 'DescribeRefreshTaskById', batchSize: 10, ratePerSecond: 10 };
export const ALIYUN_STATUS_APIS = {
  'purge-urls': STATUS_API,
  'purge-paths': STATUS_API,
  'purge-regex': STATUS_API,
  prefetch: STATUS_API,
} satisfies Record<AliyunKind, ApiSpec>;

export const aliyunCdn: ProviderDefinition<AliyunSettings> = {
  id: 'aliyun-cdn',
  label: 'Alibaba Cloud CDN',
  apis: ALIYUN_CDN_APIS,
  statusApis: ALIYUN_STATUS_APIS,
  // docs/aliyun-api.md#refreshobjectcaches-purge and #pushobjectcache-prefetch
  defaultQuotas: { 'purge-urls': 10_000, 'purge-paths': 100, prefetch: 1000 },
  ownInputs: ['area', 'regex', 'ignore-params', 'l2-preload', 'query-hashkey'],
  areaAliases: { domestic: 'mainland' },
  wildcardFix:
    'or, for some files of a folder, a regular expression in regex (ObjectType Regex), such as https://www.example.com/static/.*\\.js',
  layers: [],
  requestBody: (settings, aliyun, kind, targets) =>
    aliyunPayload(settings, aliyun, kindIn(ALIYUN_CDN_APIS, kind, 'Alibaba Cloud CDN'), targets),
  // Not every host under aliyuncs.com: it holds customers' own (OSS buckets, log projects).
  apiHosts: ['cdn.aliyuncs.com', 'cdn.<region>.aliyuncs.com'],
  credentialVariables: ALIYUN_CREDENTIAL_VARIABLES,
  keyless: ALIYUN_KEYLESS,
  readInputs: readAliyun,
  connect({ settings, credentials, send, now, timeoutMs }, aliyun) {
    const client = async (): Promise<AliyunClient> => ({
      endpoint: settings.endpoint ?? new URL(`https://${ALIYUN_CDN_SERVICE.host}/`),
      credentials: toAliyunCredentials(await credentials()),
      send,
      now,
      timeoutMs,
    });
    return {
      async submit(kind, targets) {
        const operation = kindIn(ALIYUN_CDN_APIS, kind, 'Alibaba Cloud CDN');
        const response = await callAliyunApi(
          await client(),
          ALIYUN_CDN_APIS[operation].action,
          aliyunPayload(settings, aliyun, operation, targets),
        );
        return aliyunResult(operation, response);
      },
      async readQuotas(kinds) {
        return aliyunQuotas(await callAliyunApi(await client(), 'DescribeRefreshQuota', {}), kinds, aliyun);
      },
      async describeTasks(_kind, taskIds, paced) {
        const rows: unknown[] = [];
        for (let start = 0; start < taskIds.length; start += STATUS_API.batchSize) {
          const TaskId = taskIds.slice(start, start + STATUS_API.batchSize).join(',');
          await paced();
          const response = await callAliyunApi(await client(), STATUS_API.action, { TaskId });
          if (Array.isArray(response.Tasks)) rows.push(...response.Tasks);
        }
        return reportsByTask(taskIds, rows, 'TaskId', aliyunTaskReport);
      },
    };
  },
};

function toAliyunCredentials({ secretId, secretKey, sessionToken }: Credentials): AliyunCredentials {
  return { accessKeyId: secretId, accessKeySecret: secretKey, securityToken: sessionToken };
}

/** The form parameters of each call. `ObjectPath` joins entries with line breaks, which no target can contain. */
export function aliyunPayload(
  settings: Settings,
  aliyun: AliyunSettings,
  kind: AliyunKind,
  targets: readonly string[],
): Record<string, string> {
  const ObjectPath = targets.join('\n');
  switch (kind) {
    case 'purge-urls':
      return { ObjectPath, ObjectType: aliyun.ignoreParams ? 'IgnoreParams' : 'File' };
    case 'purge-paths':
      return {
        ObjectPath,
        ObjectType: 'Directory',
        ...(settings.purgeMethod === 'delete' ? { Force: 'true' } : {}),
      };
    case 'purge-regex':
      return { ObjectPath, ObjectType: 'Regex' };
    case 'prefetch': {
      const { headers } = settings.prefetch;
      const area =
        settings.area === 'mainland' ? 'domestic' : settings.area === 'overseas' ? 'overseas' : undefined;
      return {
        ObjectPath,
        ...(area ? { Area: area } : {}),
        ...(aliyun.l2Preload === undefined ? {} : { L2Preload: String(aliyun.l2Preload) }),
        ...(headers.length === 0
          ? {}
          : { WithHeader: JSON.stringify(Object.fromEntries(headers.map((h) => [h.name, h.value]))) }),
        ...(aliyun.queryHashkey === undefined ? {} : { QueryHashkey: String(aliyun.queryHashkey) }),
      };
    }
  }
}

/** `RefreshTaskId` / `PushTaskId` are comma-separated lists: every ID is a task. */
export function aliyunResult(kind: AliyunKind, response: Record<string, unknown>): BatchAccepted {
  const name = kind === 'prefetch' ? 'PushTaskId' : 'RefreshTaskId';
  const ids = String(response[name] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  return { taskIds: checkedTaskIds(ids, name, requestId), requestId, refused: [] };
}

/** DescribeRefreshQuota answers in strings; it gives no batch sizes, so the documented ones stay. */
export function aliyunQuotas(
  response: Record<string, unknown>,
  kinds: readonly OperationKind[],
  aliyun: Pick<AliyunSettings, 'ignoreParams'>,
): Partial<Record<OperationKind, Quota>> {
  const fields: Partial<Record<OperationKind, [string, string, string]>> = {
    'purge-urls': aliyun.ignoreParams
      ? ['IgnoreParamsRemain', 'IgnoreParamsQuota', 'URLs ignoring parameters']
      : ['UrlRemain', 'UrlQuota', 'URLs'],
    'purge-paths': ['DirRemain', 'DirQuota', 'directories'],
    'purge-regex': ['RegexRemain', 'RegexQuota', 'regular expressions'],
    prefetch: ['PreloadRemain', 'PreloadQuota', 'prefetches'],
  };
  const quotas: Partial<Record<OperationKind, Quota>> = {};
  for (const kind of kinds) {
    const [remain, quota, scope] = fields[kind] ?? [];
    if (!remain || !quota || !scope || response[remain] === undefined) continue;
    quotas[kind] = {
      batchSize: 0,
      available: Number(response[remain]),
      total: Number(response[quota]),
      scope,
      resets: BEIJING_MIDNIGHT,
    };
  }
  return quotas;
}

/**
 * Running while an object is Refreshing or Pending; failed when any is Failed. One call can create several tasks,
 * so the task's own objects are its targets.
 */
export function aliyunTaskReport(rows: readonly unknown[]): TaskReport {
  const tasks = rows
    .filter(isRecord)
    .map((row) => ({ path: String(row.ObjectPath ?? ''), status: String(row.Status ?? '') }));
  if (tasks.length === 0) return { state: 'running', failedTargets: [] };
  const targets = tasks.map((task) => task.path);
  if (tasks.some((task) => task.status === 'Refreshing' || task.status === 'Pending')) {
    return { state: 'running', failedTargets: [], targets };
  }
  const failedTargets = tasks.filter((task) => task.status === 'Failed').map((task) => task.path);
  return { state: failedTargets.length > 0 ? 'failed' : 'done', failedTargets, targets };
}
