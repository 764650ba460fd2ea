/**
 * An emulator of the Tencent Cloud CDN API (API 3.0, cdn 2018-06-06) on 127.0.0.1, for tests and `npm start`.
 *
 * The request pipeline (protocol, signature, faults, rate limit) is `TencentApiServer`'s; then the action
 * validates the body, applies the batch limit, refuses wildcard hosts, takes the daily quota and records the
 * task (`CdnBackend`).
 */

import { CDN_RANDOM_FAULTS, DailyQuotaBook } from '../shared/faults.js';
import { nonNegative, TencentApiServer } from '../tencent/api-server.js';
import { CdnBackend } from './actions.js';
import { TaskBook } from './tasks.js';
import {
  type AcceptedTask,
  type BatchLimits,
  CDN_ACTIONS,
  type CdnAction,
  type DailyQuota,
  type EmulatorOptions,
  type Fault,
  type RecordedRequest,
} from './types.js';

export type {
  AcceptedTask,
  BatchLimits,
  CdnAction,
  DailyQuota,
  EmulatorCredential,
  EmulatorOptions,
  Fault,
  FaultKind,
  RecordedRequest,
  SubmitAction,
  TaskProgress,
} from './types.js';

export const DEFAULT_CREDENTIALS: Readonly<{ secretId: string; secretKey: string }> = Object.freeze({
  secretId: 'AKIDEMULATOR',
  secretKey: 'emulator-secret-key',
});

export const API_VERSION = '2018-06-06';

/** Targets per request, as documented (EnableCaches documents none: 100 as the action uses). */
export const DEFAULT_BATCH_LIMITS: Readonly<Required<BatchLimits>> = Object.freeze({
  purgeUrls: 1000,
  purgePaths: 20,
  pushUrls: 500,
  enableCaches: 100,
});

/** Targets per day and per region, as documented. */
export const DEFAULT_DAILY_QUOTA: Readonly<Required<DailyQuota>> = Object.freeze({
  purgeUrls: 10_000,
  purgePaths: 100,
  pushUrls: 1000,
});

export interface TencentCdnEmulator {
  /** `http://127.0.0.1:<port>`, to pass as the endpoint. */
  url: string;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /** Every accepted submission (PurgeUrlsCache, PurgePathCache, PushUrlsCache, EnableCaches), in order. */
  accepted: AcceptedTask[];
  /** Applies `fault` to the next `times` (default 1) signed requests, of `fault.action` only if it is given. */
  failNext(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export async function startTencentCdnEmulator(options: EmulatorOptions = {}): Promise<TencentCdnEmulator> {
  const progress = options.taskProgress ?? {};
  const backend = new CdnBackend({
    batchLimits: { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits },
    quota: new DailyQuotaBook({ ...DEFAULT_DAILY_QUOTA, ...options.dailyQuota }, Date.now),
    tasks: new TaskBook(
      nonNegative('taskProgress.doneAfterPolls', progress.doneAfterPolls ?? 1),
      new Set(progress.failUrls ?? []),
    ),
    unblockFailUrls: new Set(options.unblockFailUrls ?? []),
  });
  const server = new TencentApiServer<CdnAction>(
    {
      service: 'cdn',
      version: API_VERSION,
      actions: CDN_ACTIONS,
      randomFaults: CDN_RANDOM_FAULTS,
      handle: (action, call) => {
        const { response, task } = backend.handle(action, call);
        return task ? { response, taskId: task.taskId } : { response };
      },
    },
    options,
    DEFAULT_CREDENTIALS,
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
