/**
 * An emulator of the Alibaba Cloud CDN API (cdn 2018-05-10, RPC style, signature V3) on 127.0.0.1, for tests.
 *
 * The request pipeline (protocol, signature, nonce, faults, rate limit, parameters) is `AliyunApiServer`'s;
 * then the action checks its parameters, applies the per-call limit, takes the daily quota and records the
 * task (`AliyunCdnBackend`). Served actions: RefreshObjectCaches, PushObjectCache, DescribeRefreshQuota,
 * DescribeRefreshTaskById.
 */
import { type FakeApi, startFakeApi } from '../shared/fake-api.js';
import { TaskProgress } from '../shared/task-progress.js';
import { AliyunCdnBackend } from './actions.js';
import { AliyunApiServer } from './api-server.js';
import type {
  AliyunBatchLimits,
  AliyunDailyQuota,
  AliyunEmulatorOptions,
  AliyunFault,
  AliyunRecordedRequest,
  AliyunTask,
} from './types.js';

export { MAX_TASK_IDS, PATHS_PER_TASK_ID } from './actions.js';
export { ALIYUN_API_VERSION, ALIYUN_HOST_ID, ALIYUN_RANDOM_FAULTS } from './api-server.js';
export { MAX_SKEW_MS } from './signature.js';
export type {
  AliyunAction,
  AliyunBatchLimits,
  AliyunDailyQuota,
  AliyunEmulatorCredential,
  AliyunEmulatorOptions,
  AliyunFault,
  AliyunFaultKind,
  AliyunObjectType,
  AliyunRecordedRequest,
  AliyunSubmitAction,
  AliyunTask,
  AliyunTaskProgress,
} from './types.js';

export const ALIYUN_CREDENTIALS: Readonly<{ accessKeyId: string; accessKeySecret: string }> = Object.freeze({
  accessKeyId: 'LTAIemulator',
  accessKeySecret: 'emulator-secret',
});

/** Targets per call, as documented (PushObjectCache: 100, although its error text says 1,000). */
export const ALIYUN_DEFAULT_BATCH_LIMITS: Readonly<Required<AliyunBatchLimits>> = Object.freeze({
  refreshUrls: 1000,
  refreshDirs: 100,
  push: 100,
});

/** Targets per day, as documented (IgnoreParams: as many as URLs). */
export const ALIYUN_DEFAULT_DAILY_QUOTA: Readonly<Required<AliyunDailyQuota>> = Object.freeze({
  url: 10_000,
  dir: 100,
  preload: 1000,
  regex: 20,
  ignoreParams: 10_000,
});

/** A started emulator; `accepted` holds RefreshObjectCaches and PushObjectCache. */
export type AliyunCdnEmulator = FakeApi<AliyunRecordedRequest, AliyunTask, AliyunFault>;

export async function startAliyunCdnEmulator(
  options: AliyunEmulatorOptions = {},
): Promise<AliyunCdnEmulator> {
  const progress = options.taskProgress ?? {};
  const backend = new AliyunCdnBackend({
    batchLimits: { ...ALIYUN_DEFAULT_BATCH_LIMITS, ...options.batchLimits },
    dailyQuota: { ...ALIYUN_DEFAULT_DAILY_QUOTA, ...options.dailyQuota },
    progress: new TaskProgress(progress),
    failPaths: new Set(progress.failPaths ?? []),
    domains: options.domains === undefined ? undefined : new Set(options.domains),
    now: options.now ?? Date.now,
  });
  const server = new AliyunApiServer({
    ...options,
    credentials: options.credentials ?? [ALIYUN_CREDENTIALS],
    handle: (action, call) => backend.handle(action, call),
  });
  return startFakeApi(server, backend.accepted);
}

/** The inputs that point a step at this emulator: the provider, its URL as endpoint, and the keys it accepts. */
export function aliyunStepInputs(emulator: Pick<AliyunCdnEmulator, 'url'>): Record<string, string> {
  return {
    provider: 'aliyun-cdn',
    endpoint: emulator.url,
    'secret-id': ALIYUN_CREDENTIALS.accessKeyId,
    'secret-key': ALIYUN_CREDENTIALS.accessKeySecret,
  };
}
