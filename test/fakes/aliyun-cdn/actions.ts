/**
 * What each Alibaba Cloud CDN action does once a request is signed, admitted and free of faults: check the
 * parameters (an unknown one is an InvalidParameter naming it), apply the per-call limit, take the daily quota,
 * and record the task; DescribeRefreshTaskById reports task progress.
 */

import { DailyQuotaBook } from '../shared/daily-quota.js';
import { isHttpUrl } from '../shared/http-url.js';
import type { TaskProgress } from '../shared/task-progress.js';
import {
  type AliyunAction,
  type AliyunBatchLimits,
  type AliyunDailyQuota,
  AliyunFailure,
  type AliyunObjectType,
  type AliyunSubmitAction,
  type AliyunTask,
  invalidParameter,
} from './types.js';

type QuotaKind = keyof Required<AliyunDailyQuota>;

export interface AliyunBackendConfig {
  batchLimits: Readonly<Required<AliyunBatchLimits>>;
  dailyQuota: Readonly<Required<AliyunDailyQuota>>;
  progress: TaskProgress;
  failPaths: ReadonlySet<string>;
  /** Accelerated domain names; undefined: every host is accepted. */
  domains: ReadonlySet<string> | undefined;
  now: () => number;
}

export interface AliyunCall {
  params: Record<string, string>;
  requestId: string;
  nowMs: number;
}

export interface AliyunActionResult {
  /** The fields of the answer apart from RequestId. */
  response: Record<string, unknown>;
  task?: AliyunTask;
}

/** One task id covers at most this many paths, so that a large batch is answered with a list of ids. */
export const PATHS_PER_TASK_ID = 50;
/** DescribeRefreshTaskById takes at most this many ids. */
export const MAX_TASK_IDS = 10;
/** An ObjectPath entry may be this long. */
const MAX_PATH_LENGTH = 1024;
/** Accounts are identified by their keys elsewhere; the emulator serves one account, so one quota scope. */
const ACCOUNT = 'account';

interface StoredTask {
  taskId: string;
  task: AliyunTask;
  paths: readonly string[];
  /** How many DescribeRefreshTaskById answers have shown this task. */
  polls: number;
}

export class AliyunCdnBackend {
  readonly accepted: AliyunTask[] = [];
  private readonly quota: DailyQuotaBook<QuotaKind>;
  private readonly tasks = new Map<string, StoredTask>();
  private nextTaskId = 17_000_000_001;

  constructor(private readonly config: AliyunBackendConfig) {
    this.quota = new DailyQuotaBook<QuotaKind>({ ...config.dailyQuota }, config.now);
  }

  /** Carries out one action; throws an `AliyunFailure` for anything the API would refuse. */
  handle(action: AliyunAction, call: AliyunCall): AliyunActionResult {
    switch (action) {
      case 'RefreshObjectCaches':
        return this.refresh(call);
      case 'PushObjectCache':
        return this.push(call);
      case 'DescribeRefreshQuota':
        allowOnly(call.params, []);
        return { response: this.describeQuota() };
      case 'DescribeRefreshTaskById':
        return { response: this.describeTasks(call.params, call.nowMs) };
    }
  }

  private refresh(call: AliyunCall): AliyunActionResult {
    const { params } = call;
    allowOnly(params, ['ObjectPath', 'ObjectType', 'Force']);
    const objectType = params.ObjectType ?? 'File';
    if (!isObjectType(objectType)) {
      throw new AliyunFailure(
        'InvalidObjectType.Malformed',
        `The specified ObjectType "${objectType}" is invalid: use File, Directory, Regex or IgnoreParams.`,
      );
    }
    flag(params, 'Force');
    const paths = this.objectPaths(params, objectType === 'Directory');
    const { batchLimits } = this.config;
    const limit =
      objectType === 'Directory'
        ? batchLimits.refreshDirs
        : objectType === 'Regex'
          ? 1
          : batchLimits.refreshUrls;
    checkBatch(
      paths.length,
      limit,
      objectType === 'Directory' ? 'directories' : objectType === 'Regex' ? 'regular expressions' : 'URLs',
    );
    const kind: QuotaKind =
      objectType === 'Directory'
        ? 'dir'
        : objectType === 'Regex'
          ? 'regex'
          : objectType === 'IgnoreParams'
            ? 'ignoreParams'
            : 'url';
    this.consume(
      kind,
      paths.length,
      'QuotaExceeded.Refresh',
      'Your refresh attempts have exceeded the daily limit',
    );
    const task = this.accept(call, 'RefreshObjectCaches', paths, objectType);
    return { response: { RefreshTaskId: task.taskIds.join(',') }, task };
  }

  private push(call: AliyunCall): AliyunActionResult {
    const { params } = call;
    allowOnly(params, ['ObjectPath', 'Area', 'L2Preload', 'WithHeader', 'QueryHashkey']);
    if (params.Area !== undefined && params.Area !== 'domestic' && params.Area !== 'overseas') {
      throw invalidParameter('Area', `expected domestic or overseas, got "${params.Area}"`);
    }
    flag(params, 'L2Preload');
    flag(params, 'QueryHashkey');
    if (params.WithHeader !== undefined) checkWithHeader(params.WithHeader);
    const paths = this.objectPaths(params, false);
    checkBatch(paths.length, this.config.batchLimits.push, 'URLs');
    this.consume(
      'preload',
      paths.length,
      'QuotaExceeded.Preload',
      'Your preload attempts have exceeded the daily limit',
    );
    const task = this.accept(call, 'PushObjectCache', paths, undefined);
    return { response: { PushTaskId: task.taskIds.join(',') }, task };
  }

  private describeQuota(): Record<string, string> {
    const numbers = (kind: QuotaKind) => ({
      quota: String(this.quota.total(kind)),
      remain: String(this.quota.available(kind, ACCOUNT)),
    });
    const url = numbers('url');
    const dir = numbers('dir');
    const regex = numbers('regex');
    const preload = numbers('preload');
    const ignoreParams = numbers('ignoreParams');
    // Strings, as the API answers them.
    return {
      UrlQuota: url.quota,
      UrlRemain: url.remain,
      DirQuota: dir.quota,
      DirRemain: dir.remain,
      RegexQuota: regex.quota,
      RegexRemain: regex.remain,
      PreloadQuota: preload.quota,
      PreloadRemain: preload.remain,
      IgnoreParamsQuota: ignoreParams.quota,
      IgnoreParamsRemain: ignoreParams.remain,
    };
  }

  /**
   * One row per path of every task asked for (unknown ids are left out), in the order asked. Every answer that
   * shows a task counts as one poll of it.
   */
  private describeTasks(params: Record<string, string>, nowMs: number): Record<string, unknown> {
    allowOnly(params, ['TaskId']);
    const value = required(params, 'TaskId');
    const ids = value.split(',');
    if (ids.length > MAX_TASK_IDS) {
      throw new AliyunFailure(
        'InvalidTaskId',
        `The maximum number of taskIds is ${MAX_TASK_IDS}, got ${ids.length}.`,
      );
    }
    const bad = ids.find((id) => !/^\d{1,20}$/.test(id));
    if (bad !== undefined) {
      throw new AliyunFailure('InvalidTaskId.Malformed', `The specified TaskId "${bad}" is invalid.`);
    }
    const tasks = [...new Set(ids)].flatMap((id) => {
      const stored = this.tasks.get(id);
      return stored ? [stored] : [];
    });
    const rows = tasks.flatMap((stored) => stored.paths.map((path) => this.row(stored, path, nowMs)));
    for (const stored of tasks) stored.polls++;
    return { Tasks: rows, TotalCount: rows.length };
  }

  private row(stored: StoredTask, path: string, nowMs: number): Record<string, string> {
    const { progress: clock, failPaths } = this.config;
    const task = { acceptedAt: stored.task.acceptedAt, polls: stored.polls };
    const done = clock.finishedAt(task, nowMs) !== undefined;
    const failed = done && failPaths.has(path);
    const progress = done ? 100 : clock.percent(task, nowMs);
    return {
      TaskId: stored.taskId,
      ObjectPath: path,
      ObjectType: taskObjectType(stored.task),
      Status: done ? (failed ? 'Failed' : 'Complete') : 'Refreshing',
      Process: `${progress}%`,
      CreationTime: `${new Date(stored.task.acceptedAt).toISOString().slice(0, 19)}Z`,
      Description: failed ? 'Origin Return StatusCode 5XX' : '',
    };
  }

  /**
   * The ObjectPath entries, separated by '\n'. Every entry must be an absolute http(s) URL of at most 1,024
   * characters without any control character: the real API also splits at "\r\n", but a CR left in an entry
   * means a target with a line break slipped through, which the emulator refuses. Empty entries (a trailing
   * line break) are refused for the same reason.
   */
  private objectPaths(params: Record<string, string>, directories: boolean): string[] {
    const entries = required(params, 'ObjectPath').split('\n');
    entries.forEach((entry, index) => {
      const problem = pathProblem(entry, directories, this.config.domains);
      if (problem === 'unknown domain') {
        throw new AliyunFailure(
          'InvalidDomain.NotFound',
          `The domain of ObjectPath entry ${index + 1} (${new URL(entry).hostname}) does not exist in this account.`,
          404,
        );
      }
      if (problem !== undefined) {
        throw new AliyunFailure(
          'InvalidObjectPath.Malformed',
          `The specified ObjectPath is invalid: entry ${index + 1} ${problem}.`,
        );
      }
    });
    return entries;
  }

  private consume(kind: QuotaKind, count: number, code: string, message: string): void {
    if (this.quota.tryConsume(kind, [ACCOUNT], count)) return;
    const left = this.quota.available(kind, ACCOUNT);
    throw new AliyunFailure(
      code,
      `${message}: ${count} submitted, ${left} left today; nothing was accepted.`,
    );
  }

  private accept(
    call: AliyunCall,
    action: AliyunSubmitAction,
    paths: string[],
    objectType: AliyunObjectType | undefined,
  ): AliyunTask {
    const taskIds: string[] = [];
    const task: AliyunTask = {
      taskIds,
      action,
      ...(objectType === undefined ? {} : { objectType }),
      paths,
      params: { ...call.params },
      requestId: call.requestId,
      acceptedAt: call.nowMs,
    };
    for (let start = 0; start < paths.length; start += PATHS_PER_TASK_ID) {
      const taskId = String(this.nextTaskId++);
      taskIds.push(taskId);
      this.tasks.set(taskId, {
        taskId,
        task,
        paths: paths.slice(start, start + PATHS_PER_TASK_ID),
        polls: 0,
      });
    }
    this.accepted.push(task);
    return task;
  }
}

function isObjectType(value: string): value is AliyunObjectType {
  return value === 'File' || value === 'Directory' || value === 'Regex' || value === 'IgnoreParams';
}

/** The task's ObjectType as DescribeRefreshTaskById reports it. */
function taskObjectType(task: AliyunTask): string {
  if (task.action === 'PushObjectCache') return 'preload';
  switch (task.objectType ?? 'File') {
    case 'File':
      return 'file';
    case 'Directory':
      return 'directory';
    case 'Regex':
      return 'regex';
    case 'IgnoreParams':
      return 'ignoreParams';
  }
}

/** What is wrong with an ObjectPath entry, or undefined. */
function pathProblem(
  entry: string,
  directory: boolean,
  domains: ReadonlySet<string> | undefined,
): string | undefined {
  if (entry === '') return 'is empty';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  const control = /[\u0000-\u001f\u007f]/.exec(entry);
  if (control) {
    return `contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  }
  if (entry.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (!isHttpUrl(entry)) return 'is not an absolute http:// or https:// URL';
  if (directory && !entry.endsWith('/')) return 'is a directory that does not end in "/"';
  if (domains !== undefined && !domains.has(new URL(entry).hostname)) return 'unknown domain';
  return undefined;
}

function checkBatch(count: number, limit: number, what: string): void {
  if (count > limit) {
    throw new AliyunFailure(
      'SingleRequest.OverLimit',
      `A maximum of ${limit} ${what} are supported for each request, got ${count}.`,
    );
  }
}

/** WithHeader: a JSON object of header name → value (a string, or a list of strings as in the documented example). */
function checkWithHeader(value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AliyunFailure('InvalidCustomHeader', 'Parse preload header failed: WithHeader is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AliyunFailure(
      'InvalidCustomHeader',
      'Parse preload header failed: WithHeader is not a JSON object.',
    );
  }
  for (const [name, header] of Object.entries(parsed)) {
    const valid =
      typeof header === 'string' ||
      (Array.isArray(header) && header.length > 0 && header.every((item) => typeof item === 'string'));
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || !valid) {
      throw new AliyunFailure('InvalidCustomHeader', `Unsupported Preload headers included: "${name}".`);
    }
  }
}

/** Refuses any parameter not in `names`. */
function allowOnly(params: Record<string, string>, names: readonly string[]): void {
  const unknown = Object.keys(params).find((name) => !names.includes(name));
  if (unknown !== undefined) throw invalidParameter(unknown, 'unknown parameter for this action');
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw new AliyunFailure(
      'MissingParameter',
      `The input parameter ${name} that is mandatory for processing this request is not supplied.`,
    );
  }
  return value;
}

/** A boolean parameter: 'true' or 'false'. */
function flag(params: Record<string, string>, name: string): void {
  const value = params[name];
  if (value !== undefined && value !== 'true' && value !== 'false') {
    throw invalidParameter(name, `expected true or false, got "${value}"`);
  }
}
