/**
 * An emulator of the Tencent Cloud EdgeOne API (API 3.0, teo 2022-09-01) on 127.0.0.1, for tests: the content
 * management actions CreatePurgeTask, CreatePrefetchTask, DescribePurgeTasks, DescribePrefetchTasks and
 * DescribeContentQuota.
 *
 * The request pipeline (protocol, signature for service `teo`, faults, rate limit) is `TencentApiServer`'s, the
 * same as the CDN emulator's; then the action validates the body, checks the zone, applies the batch limit, sets
 * aside the targets of `failTargets`, takes the zone's daily quota and records the job (`EdgeOneBackend`).
 */

import { DailyQuotaBook } from '../shared/daily-quota.js';
import { type FakeApi, startFakeApi } from '../shared/fake-api.js';
import type { Fault } from '../shared/faults.js';
import { TaskProgress } from '../shared/task-progress.js';
import { TencentApiServer } from '../tencent/api-server.js';
import { DEFAULT_CREDENTIALS } from '../tencent/credentials.js';
import { TENCENT_RANDOM_FAULTS } from '../tencent/random-faults.js';
import type { RecordedRequest } from '../tencent/recorded-request.js';
import { EdgeOneBackend } from './actions.js';
import { JobBook } from './tasks.js';
import {
  EDGEONE_ACTIONS,
  type EdgeOneAction,
  type EdgeOneEmulatorOptions,
  type EdgeOneJob,
  type EdgeOneQuotaType,
} from './types.js';
import { ALL_ZONES } from './validation.js';

export type { Fault, FaultKind } from '../shared/faults.js';
export type { EmulatorCredential } from '../tencent/credentials.js';
export type { RecordedRequest } from '../tencent/recorded-request.js';
export type {
  EdgeOneAction,
  EdgeOneEmulatorOptions,
  EdgeOneJob,
  EdgeOneQuotaType,
  EdgeOneSubmitAction,
  EdgeOneTaskProgress,
  PurgeType,
} from './types.js';

/** The same key pair as the CDN emulator's, so that one set of test credentials serves both. */
export const EDGEONE_CREDENTIALS: Readonly<{ secretId: string; secretKey: string }> = DEFAULT_CREDENTIALS;

export const DEFAULT_ZONE_ID = 'zone-2o0i4example';

export const EDGEONE_API_VERSION = '2022-09-01';

/** Targets per request (purge_all: one request is one), as the standard plan's DescribeContentQuota reports. */
export const DEFAULT_EDGEONE_BATCH_LIMITS: Readonly<Record<EdgeOneQuotaType, number>> = Object.freeze({
  purge_url: 1000,
  purge_prefix: 100,
  purge_host: 100,
  purge_all: 1,
  purge_cache_tag: 100,
  prefetch_url: 1000,
});

/** Targets per day and per zone (purge_all: requests). */
export const DEFAULT_EDGEONE_DAILY_QUOTA: Readonly<Record<EdgeOneQuotaType, number>> = Object.freeze({
  purge_url: 10_000,
  purge_prefix: 1000,
  purge_host: 1000,
  purge_all: 10,
  purge_cache_tag: 1000,
  prefetch_url: 10_000,
});

/** What teo adds to the random faults: it also throttles with LimitExceeded.RateLimitExceeded and locks zones. */
const TEO_RANDOM_FAULTS: readonly Fault[] = [
  ...TENCENT_RANDOM_FAULTS,
  {
    kind: 'error',
    code: 'LimitExceeded.RateLimitExceeded',
    message: 'The request frequency limit was exceeded (emulated).',
  },
  {
    kind: 'error',
    code: 'OperationDenied.ResourceLockedTemporary',
    message: 'The resource is temporarily locked, please try again later (emulated).',
  },
];

/**
 * A started emulator; `accepted` holds every accepted CreatePurgeTask and CreatePrefetchTask, and the `taskId`
 * of a request the JobId of an accepted Create* call.
 */
export type EdgeOneEmulator = FakeApi<RecordedRequest, EdgeOneJob, Fault>;

export async function startEdgeOneEmulator(options: EdgeOneEmulatorOptions = {}): Promise<EdgeOneEmulator> {
  const zones = options.zones ?? [DEFAULT_ZONE_ID];
  if (zones.length === 0) throw new RangeError('zones must not be empty');
  for (const zone of zones) {
    if (zone === '' || zone === ALL_ZONES) throw new RangeError(`"${zone}" cannot be the ID of a zone`);
  }
  const progress = options.taskProgress ?? {};
  const backend = new EdgeOneBackend({
    zones: [...new Set(zones)],
    batchLimits: limits('batchLimits', { ...DEFAULT_EDGEONE_BATCH_LIMITS, ...options.batchLimits }),
    quota: new DailyQuotaBook(
      limits('dailyQuota', { ...DEFAULT_EDGEONE_DAILY_QUOTA, ...options.dailyQuota }),
      options.now ?? Date.now,
    ),
    jobs: new JobBook(new TaskProgress(progress), new Set(progress.failTargets ?? [])),
    failTargets: new Map(Object.entries(options.failTargets ?? {})),
  });
  const server = new TencentApiServer<EdgeOneAction>(
    {
      service: 'teo',
      version: EDGEONE_API_VERSION,
      actions: EDGEONE_ACTIONS,
      randomFaults: TEO_RANDOM_FAULTS,
      handle: (action, call) => backend.handle(action, call),
    },
    options,
    EDGEONE_CREDENTIALS,
  );
  return startFakeApi(server, backend.accepted);
}

function limits(
  name: string,
  values: Readonly<Record<EdgeOneQuotaType, number>>,
): Readonly<Record<EdgeOneQuotaType, number>> {
  for (const [type, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${name}.${type} must be an integer ≥ 0, got ${value}`);
    }
  }
  return values;
}

/** The inputs that point a step at this emulator: the provider, its zone, its URL as endpoint, and its keys. */
export function edgeOneStepInputs(emulator: Pick<EdgeOneEmulator, 'url'>): Record<string, string> {
  return {
    provider: 'tencent-edgeone',
    'zone-id': DEFAULT_ZONE_ID,
    endpoint: emulator.url,
    'secret-id': EDGEONE_CREDENTIALS.secretId,
    'secret-key': EDGEONE_CREDENTIALS.secretKey,
  };
}
