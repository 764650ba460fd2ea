/**
 * An emulator of the Tencent Cloud CDN API (API 3.0, cdn 2018-06-06) on 127.0.0.1, for tests and `npm start`.
 *
 * The request pipeline (protocol, signature, faults, rate limit) is `TencentApiServer`'s; then the action
 * validates the body, applies the batch limit, refuses wildcard hosts, takes the daily quota and records the
 * task (`CdnBackend`).
 */

import { ApiFailure } from '../shared/api-failure.js';
import { DailyQuotaBook } from '../shared/daily-quota.js';
import { type FakeApi, startFakeApi } from '../shared/fake-api.js';
import type { Fault } from '../shared/faults.js';
import { TaskProgress } from '../shared/task-progress.js';
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
  type QuotaArea,
  type QuotaKind,
} from './types.js';

export type { Fault, FaultKind } from '../shared/faults.js';
export { DEFAULT_CREDENTIALS, type EmulatorCredential } from '../tencent/credentials.js';
export type { RecordedRequest } from '../tencent/recorded-request.js';
export type {
  AcceptedTask,
  BatchLimits,
  CdnAction,
  DailyQuota,
  DomainArea,
  EmulatorOptions,
  QuotaArea,
  QuotaKind,
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
  /**
   * Another job's purges: once the next request of `action` has been answered (a quota read, a batch accepted),
   * `count` of the `kind` quota of `area` are spent.
   */
  spendAfter(action: CdnAction, kind: QuotaKind, area: QuotaArea, count: number): void;
  /** How many purge tasks covering `url` are reported done by now (see `TaskBook.completedPurges`). */
  completedPurges(url: string): number;
};

export async function startTencentCdnEmulator(options: EmulatorOptions = {}): Promise<TencentCdnEmulator> {
  const progress = options.taskProgress ?? {};
  const quota = new DailyQuotaBook<QuotaKind>(
    { ...DEFAULT_DAILY_QUOTA, ...options.dailyQuota },
    options.now ?? Date.now,
  );
  for (const [kind, areas] of Object.entries(options.usedToday ?? {}) as [
    QuotaKind,
    Record<string, number>,
  ][])
    for (const [area, count] of Object.entries(areas)) quota.spend(kind, area, count);
  const unauthorized = new Set(options.unauthorizedActions ?? []);
  const spends: { action: CdnAction; kind: QuotaKind; area: QuotaArea; count: number }[] = [];
  const tasks = new TaskBook(new TaskProgress(progress), new Set(progress.failUrls ?? []));
  const backend = new CdnBackend({
    batchLimits: { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits },
    domainAreas: options.domainAreas,
    quota,
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
        if (unauthorized.has(action)) {
          throw new ApiFailure(
            'UnauthorizedOperation.CdnCamUnauthorized',
            `The credentials are not allowed to call cdn:${action}.`,
          );
        }
        const { response, task } = backend.handle(action, call);
        const due = spends.findIndex((spend) => spend.action === action);
        const [spend] = due >= 0 ? spends.splice(due, 1) : [];
        if (spend) quota.spend(spend.kind, spend.area, spend.count);
        return task ? { response, taskId: task.taskId } : { response };
      },
    },
    options,
    DEFAULT_CREDENTIALS,
  );
  const api = await startFakeApi(server, backend.accepted);
  return {
    ...api,
    spendAfter: (action, kind, area, count) => {
      spends.push({ action, kind, area, count });
    },
    completedPurges: (url) => tasks.completedPurges(url, (options.now ?? Date.now)()),
  };
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
