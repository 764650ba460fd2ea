/** Types of the Tencent CDN emulator; `emulator.ts` re-exports the public ones. */
import type { TaskProgressOptions } from '../shared/task-progress.js';
import type { EmulatorCredential } from '../tencent/credentials.js';

/** Actions that submit work and get a TaskId. */
export type SubmitAction = 'PurgeUrlsCache' | 'PurgePathCache' | 'PushUrlsCache' | 'EnableCaches';
/** Actions that only read: quotas and task progress. */
export type QueryAction =
  | 'DescribeDomains'
  | 'DescribePurgeQuota'
  | 'DescribePushQuota'
  | 'DescribePurgeTasks'
  | 'DescribePushTasks';
export type CdnAction = SubmitAction | QueryAction;

export const CDN_ACTIONS: readonly CdnAction[] = [
  'PurgeUrlsCache',
  'PurgePathCache',
  'PushUrlsCache',
  'EnableCaches',
  'DescribeDomains',
  'DescribePurgeQuota',
  'DescribePushQuota',
  'DescribePurgeTasks',
  'DescribePushTasks',
];

/** The two regions that have quotas of their own; `global` (push only) means both. */
export type QuotaArea = 'mainland' | 'overseas';
/** Where a domain is served (DescribeDomains `Area`): a purge without `Area` is charged there, `global` in both. */
export type DomainArea = QuotaArea | 'global';
export const QUOTA_AREAS: readonly QuotaArea[] = ['mainland', 'overseas'];

export type QuotaKind = 'purgeUrls' | 'purgePaths' | 'pushUrls';

export interface DailyQuota {
  purgeUrls?: number;
  purgePaths?: number;
  pushUrls?: number;
}

export interface BatchLimits {
  purgeUrls?: number;
  purgePaths?: number;
  pushUrls?: number;
  enableCaches?: number;
}

/**
 * A read of a task is a Describe*Tasks answer holding its last row; running is `process`, done is `done` (or
 * `fail`).
 */
export interface TaskProgress extends TaskProgressOptions {
  /** URLs (or directory URLs) that end as `fail` instead of `done`. */
  failUrls?: string[];
}

export interface EmulatorOptions {
  /** Accepted key pairs; default `[DEFAULT_CREDENTIALS]`. */
  credentials?: EmulatorCredential[];
  /** Delay before each answer, in milliseconds (default 0). */
  latencyMs?: number;
  /** Requests per second per action, over a sliding 1 s window; more get `RequestLimitExceeded`. Default: no limit. */
  ratePerSecond?: number;
  /** URLs (or directories) per day and per region; defaults 10,000 / 100 / 1,000 as documented. */
  dailyQuota?: DailyQuota;
  /** Targets per request; defaults 1,000 / 20 / 500 / 100. */
  batchLimits?: BatchLimits;
  /** 0..1: the fraction of signed requests that get a random fault (drop, HTTP 502, InternalError, RequestLimitExceeded). */
  faultRate?: number;
  /** Seed of the fault RNG (default 1), so that a run with `faultRate` is reproducible. */
  seed?: number;
  /** The emulator's clock, Unix ms (default `Date.now`): signatures, the rate limit, task times. */
  now?: () => number;
  taskProgress?: TaskProgress;
  /** EnableCaches lists these in `CacheOptResult.FailUrls`. */
  unblockFailUrls?: string[];
  /**
   * The account's domains and where each is served (DescribeDomains `Area`). A purge without `Area` is charged in
   * its domains' areas (`global`: both). Default: every domain asked about is the account's and served in mainland.
   */
  domainAreas?: Record<string, DomainArea>;
  /** Targets spent earlier today (by other jobs), per quota and area. */
  usedToday?: Partial<Record<QuotaKind, Partial<Record<QuotaArea, number>>>>;
  /** Actions the credentials may not call: answered `UnauthorizedOperation.CdnCamUnauthorized`. */
  unauthorizedActions?: CdnAction[];
}

export interface AcceptedTask {
  taskId: string;
  requestId: string;
  action: SubmitAction;
  /** The Urls of PurgeUrlsCache, PushUrlsCache and EnableCaches. */
  urls?: string[];
  /** The Paths of PurgePathCache. */
  paths?: string[];
  /** Area as sent (undefined when the request left it out). */
  area?: string;
  /** PurgePathCache only. */
  flushType?: 'flush' | 'delete';
  /** The request body as accepted. */
  body: Record<string, unknown>;
  /** Unix time in milliseconds. */
  acceptedAt: number;
}
