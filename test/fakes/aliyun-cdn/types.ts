/** Types of the Alibaba Cloud CDN emulator; `emulator.ts` re-exports the public ones. */
import { ApiFailure } from '../shared/api-failure.js';
import type { RecordedRequestBase } from '../shared/api-server.js';
import type { Fault } from '../shared/faults.js';
import type { TaskProgressOptions } from '../shared/task-progress.js';

export interface AliyunEmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** Set for temporary (STS) credentials: every request must then carry exactly this x-acs-security-token. */
  securityToken?: string;
  /** A disabled key: every request signed with it gets InvalidAccessKeyId.Inactive. */
  inactive?: boolean;
}

export type AliyunSubmitAction = 'RefreshObjectCaches' | 'PushObjectCache';
export type AliyunQueryAction = 'DescribeRefreshQuota' | 'DescribeRefreshTaskById';
export type AliyunAction = AliyunSubmitAction | AliyunQueryAction;

export const ALIYUN_ACTIONS: readonly AliyunAction[] = [
  'RefreshObjectCaches',
  'PushObjectCache',
  'DescribeRefreshQuota',
  'DescribeRefreshTaskById',
];

export type AliyunObjectType = 'File' | 'Directory' | 'Regex' | 'IgnoreParams';

export interface AliyunBatchLimits {
  /** URLs per RefreshObjectCaches call with ObjectType File or IgnoreParams (default 1,000). */
  refreshUrls?: number;
  /** Directories per RefreshObjectCaches call (default 100). */
  refreshDirs?: number;
  /** URLs per PushObjectCache call (default 100). */
  push?: number;
}

export interface AliyunDailyQuota {
  /** URLs refreshed per day (default 10,000). */
  url?: number;
  /** Directories refreshed per day (default 100). */
  dir?: number;
  /** URLs prefetched per day (default 1,000). */
  preload?: number;
  /** Regular expressions refreshed per day (default 20). */
  regex?: number;
  /** URLs refreshed with ObjectType IgnoreParams per day (default 10,000). */
  ignoreParams?: number;
}

/** A read of a task is a DescribeRefreshTaskById answer that shows it; running is `Refreshing`, done `Complete`. */
export interface AliyunTaskProgress extends TaskProgressOptions {
  /** Object paths (as submitted) that end as `Failed` instead of `Complete`. */
  failPaths?: string[];
}

export interface AliyunEmulatorOptions {
  /** Accepted key pairs; default `[ALIYUN_CREDENTIALS]`. */
  credentials?: AliyunEmulatorCredential[];
  /** Delay before each answer, in milliseconds (default 0). */
  latencyMs?: number;
  /** Requests per second per action, over a sliding 1 s window; more get HTTP 429 Throttling.User. Default: no limit. */
  ratePerSecond?: number;
  /** 0..1: the fraction of signed requests that get a random fault (drop, 503, 500, 429). */
  faultRate?: number;
  /** Seed of the fault RNG (default 1), so that a run with `faultRate` is reproducible. */
  seed?: number;
  /** The emulator's clock, Unix ms (default `Date.now`): signatures, the rate limit, task times. */
  now?: () => number;
  batchLimits?: AliyunBatchLimits;
  dailyQuota?: AliyunDailyQuota;
  taskProgress?: AliyunTaskProgress;
  /**
   * The accelerated domain names of the account. When given, an ObjectPath entry on any other host is refused
   * with HTTP 404 InvalidDomain.NotFound. Default: every host is accepted.
   */
  domains?: string[];
}

/**
 * A scripted fault (`failNext`), as in the Tencent emulators, with one addition: an `error` fault may name the
 * HTTP status it is answered with (default: 429 for Throttling*, 503 for ServiceUnavailable and ServiceBusy,
 * 500 for InternalError, else 400).
 */
export type AliyunFault =
  | Exclude<Fault, { kind: 'error' }>
  | { action?: string; kind: 'error'; code: string; message?: string; status?: number };

export type AliyunFaultKind = AliyunFault['kind'];

/** A request as received and answered; `action` is the x-acs-action header. */
export interface AliyunRecordedRequest extends RecordedRequestBase {
  /** The form body decoded (and the query string, if any); empty when the body could not be decoded. */
  params: Record<string, string>;
  /** The task ids of an accepted submission. */
  taskIds?: string[];
}

export interface AliyunTask {
  /** The ids answered (RefreshTaskId / PushTaskId split at commas): one per 50 paths. */
  taskIds: string[];
  action: AliyunSubmitAction;
  /** RefreshObjectCaches only: the ObjectType as sent, or File when it was left out. */
  objectType?: AliyunObjectType;
  /** The ObjectPath entries. */
  paths: string[];
  /** Every parameter as received. */
  params: Record<string, string>;
  requestId: string;
  /** Unix time in milliseconds. */
  acceptedAt: number;
}

/** An error answer: HTTP `status` with `{RequestId, HostId, Code, Message, Recommend}`. */
export class AliyunFailure extends ApiFailure {
  constructor(
    code: string,
    message: string,
    readonly status = 400,
  ) {
    super(code, message);
  }
}

/** `InvalidParameter` naming the parameter at fault. */
export function invalidParameter(parameter: string, problem: string): AliyunFailure {
  return new AliyunFailure('InvalidParameter', `The specified parameter ${parameter} is invalid: ${problem}`);
}
