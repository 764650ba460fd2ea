/**
 * An emulator of the Tencent Cloud EdgeOne API (API 3.0, teo 2022-09-01) on 127.0.0.1, for tests: the content
 * management actions CreatePurgeTask, CreatePrefetchTask, DescribePurgeTasks, DescribePrefetchTasks and
 * DescribeContentQuota.
 *
 * The request pipeline (protocol, signature for service `teo`, faults, rate limit) is `TencentApiServer`'s, the
 * same as the CDN emulator's; then the action validates the body, checks the zone, applies the batch limit, sets
 * aside the targets of `failTargets`, takes the zone's daily quota and records the job (`EdgeOneBackend`).
 */

import { DailyQuotaBook, TEO_RANDOM_FAULTS } from '../shared/faults.js';
import { nonNegative, TencentApiServer } from '../tencent/api-server.js';
import { DEFAULT_CREDENTIALS } from '../tencent-cdn/emulator.js';
import type { Fault, RecordedRequest } from '../tencent-cdn/types.js';
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

export type { EmulatorCredential, Fault, FaultKind, RecordedRequest } from '../tencent-cdn/types.js';
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

export interface EdgeOneEmulator {
  /** `http://127.0.0.1:<port>`, to pass as the endpoint. */
  url: string;
  /** Every request received, in order of arrival; `taskId` holds the JobId of an accepted Create* call. */
  requests: RecordedRequest[];
  /** Every accepted CreatePurgeTask and CreatePrefetchTask, in order. */
  accepted: EdgeOneJob[];
  /** Applies `fault` to the next `times` (default 1) signed requests, of `fault.action` only if it is given. */
  failNext(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

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
      Date.now,
    ),
    jobs: new JobBook(
      nonNegative('taskProgress.doneAfterPolls', progress.doneAfterPolls ?? 1),
      new Set(progress.failTargets ?? []),
    ),
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
  await server.listen();
  return {
    url: server.url,
    requests: server.requests,
    accepted: backend.accepted,
    failNext: (fault, times) => server.failNext(fault, times),
    close: () => server.close(),
  };
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
