/**
 * An emulator of the Tencent Cloud CDN API (API 3.0, cdn 2018-06-06) on 127.0.0.1, for tests and `npm start`.
 *
 * The request pipeline (protocol, signature, faults, rate limit) is `TencentApiServer`'s; then the action
 * validates the body, applies the batch limit, refuses wildcard hosts, takes the daily quota and records the
 * task (`CdnBackend`).
 */

import { DailyQuotaBook } from '../shared/daily-quota.js';
import { type FakeApi, startFakeApi } from '../shared/fake-api.js';
import type { Fault } from '../shared/faults.js';
import { nonNegative } from '../shared/options.js';
import { TencentApiServer } from '../tencent/api-server.js';
import { DEFAULT_CREDENTIALS } from '../tencent/credentials.js';
import { TENCENT_RANDOM_FAULTS } from '../tencent/random-faults.js';
import type { RecordedRequest } from '../tencent/recorded-request.js';
import { CdnBackend } from './actions.js';
import { TaskBook } from './tasks.js';
import {
  type AcceptedTask,
  type BatchLimits,
  CDN_ACTIONS,
  type CdnAction,
  type DailyQuota,
  type EmulatorOptions,
} from './types.js';

export type { Fault, FaultKind } from '../shared/faults.js';
export { DEFAULT_CREDENTIALS, type EmulatorCredential } from '../tencent/credentials.js';
export type { RecordedRequest } from '../tencent/recorded-request.js';
export type {
  AcceptedTask,
  BatchLimits,
  CdnAction,
  DailyQuota,
  EmulatorOptions,
  SubmitAction,
  TaskProgress,
} from './types.js';

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

/** A started emulator; `accepted` holds PurgeUrlsCache, PurgePathCache, PushUrlsCache and EnableCaches. */
export type TencentCdnEmulator = FakeApi<RecordedRequest, AcceptedTask, Fault> & {
  /** How many purge tasks covering `url` are reported done by now (see `TaskBook.completedPurges`). */
  completedPurges(url: string): number;
};

export async function startTencentCdnEmulator(options: EmulatorOptions = {}): Promise<TencentCdnEmulator> {
  const progress = options.taskProgress ?? {};
  const tasks = new TaskBook(
    nonNegative('taskProgress.doneAfterPolls', progress.doneAfterPolls ?? 1),
    new Set(progress.failUrls ?? []),
  );
  const backend = new CdnBackend({
    batchLimits: { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits },
    quota: new DailyQuotaBook({ ...DEFAULT_DAILY_QUOTA, ...options.dailyQuota }, Date.now),
    tasks,
    unblockFailUrls: new Set(options.unblockFailUrls ?? []),
  });
  const server = new TencentApiServer<CdnAction>(
    {
      service: 'cdn',
      version: API_VERSION,
      actions: CDN_ACTIONS,
      randomFaults: TENCENT_RANDOM_FAULTS,
      handle: (action, call) => {
        const { response, task } = backend.handle(action, call);
        return task ? { response, taskId: task.taskId } : { response };
      },
    },
    options,
    DEFAULT_CREDENTIALS,
  );
  const api = await startFakeApi(server, backend.accepted);
  return { ...api, completedPurges: (url) => tasks.completedPurges(url) };
}

/** The inputs that point a step at this emulator: the provider, its URL as endpoint, and the keys it accepts. */
export function stepInputs(emulator: Pick<TencentCdnEmulator, 'url'>): Record<string, string> {
  return {
    provider: 'tencent-cdn',
    endpoint: emulator.url,
    'secret-id': DEFAULT_CREDENTIALS.secretId,
    'secret-key': DEFAULT_CREDENTIALS.secretKey,
  };
}
