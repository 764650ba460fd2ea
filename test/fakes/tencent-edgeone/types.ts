/** Types of the Tencent EdgeOne (teo) emulator; `emulator.ts` re-exports the public ones. */
import type { TaskProgressOptions } from '../shared/task-progress.js';
import type { EmulatorCredential } from '../tencent/credentials.js';

export type PurgeType = 'purge_url' | 'purge_prefix' | 'purge_host' | 'purge_all' | 'purge_cache_tag';
export type EdgeOneQuotaType = PurgeType | 'prefetch_url';

export const PURGE_TYPES: readonly PurgeType[] = [
  'purge_url',
  'purge_prefix',
  'purge_host',
  'purge_all',
  'purge_cache_tag',
];
/** The purge types that take a Method. */
export const METHOD_PURGE_TYPES: readonly PurgeType[] = ['purge_prefix', 'purge_host', 'purge_all'];

export type EdgeOneSubmitAction = 'CreatePurgeTask' | 'CreatePrefetchTask';
export type EdgeOneAction =
  | EdgeOneSubmitAction
  | 'DescribePurgeTasks'
  | 'DescribePrefetchTasks'
  | 'DescribeContentQuota';

export const EDGEONE_ACTIONS: readonly EdgeOneAction[] = [
  'CreatePurgeTask',
  'CreatePrefetchTask',
  'DescribePurgeTasks',
  'DescribePrefetchTasks',
  'DescribeContentQuota',
];

/**
 * A read of a job is a Describe*Tasks answer holding its last row; running is `processing`, done is `success` (or
 * `failed`).
 */
export interface EdgeOneTaskProgress extends TaskProgressOptions {
  /** Targets (a zone ID for purge_all) that end as `failed` (FailType `origin`) instead of `success`. */
  failTargets?: string[];
}

export interface EdgeOneEmulatorOptions {
  /** Accepted key pairs; default `[EDGEONE_CREDENTIALS]`. */
  credentials?: EmulatorCredential[];
  /** Known zone IDs, default `[DEFAULT_ZONE_ID]`; any other ZoneId is `ResourceNotFound.ZoneNotFound`. */
  zones?: string[];
  /** Delay before each answer, in milliseconds (default 0). */
  latencyMs?: number;
  /** Requests per second per action, over a sliding 1 s window; more get `RequestLimitExceeded`. Default: no limit. */
  ratePerSecond?: number;
  /**
   * 0..1: the fraction of signed requests that get a random fault (drop, HTTP 502, InternalError,
   * RequestLimitExceeded, LimitExceeded.RateLimitExceeded, OperationDenied.ResourceLockedTemporary).
   */
  faultRate?: number;
  /** Seed of the fault RNG (default 1), so that a run with `faultRate` is reproducible. */
  seed?: number;
  /** The emulator's clock, Unix ms (default `Date.now`): signatures, the rate limit, job times. */
  now?: () => number;
  /** Targets per request; over it: `LimitExceeded.BatchQuota`. */
  batchLimits?: Partial<Record<EdgeOneQuotaType, number>>;
  /** Targets per day and per zone; over what is left: `LimitExceeded.DailyQuota`, nothing accepted. */
  dailyQuota?: Partial<Record<EdgeOneQuotaType, number>>;
  /**
   * Target → Reason: those targets come back in `FailedList` (grouped by Reason) of a successful Create* answer,
   * and are neither accepted nor counted against the daily quota.
   */
  failTargets?: Record<string, string>;
  taskProgress?: EdgeOneTaskProgress;
}

/** An accepted CreatePurgeTask or CreatePrefetchTask. */
export interface EdgeOneJob {
  jobId: string;
  requestId: string;
  action: EdgeOneSubmitAction;
  /** As sent: a known zone, or `*`. */
  zoneId: string;
  /** The purge Type, or `prefetch_url` for a prefetch. */
  type: string;
  /** The Method as sent (undefined when the request left it out). */
  method?: string;
  /** The accepted targets (those of `failTargets` left out); none for purge_all. */
  targets: string[];
  /** The request body as accepted. */
  body: Record<string, unknown>;
  /** Unix time in milliseconds. */
  acceptedAt: number;
}
