/**
 * Purge and push tasks as DescribePurgeTasks and DescribePushTasks report them: one log entry per URL, newest
 * task first. A task is `process` until its log has been read `doneAfterPolls` times (or until `doneAfterMs` after
 * it was accepted), then `done`, or `fail` for the URLs listed in `failUrls`.
 */

import type { TaskProgress } from '../shared/task-progress.js';
import { pageCountingPolls } from '../tencent/task-pages.js';
import type { AcceptedTask } from './types.js';
import type { PurgeTasksQuery, PushTasksQuery } from './validation.js';

type Status = 'process' | 'done' | 'fail';

interface StoredTask {
  task: AcceptedTask;
  kind: 'purge' | 'push';
  purgeType: 'url' | 'path';
  targets: readonly string[];
  /** The region reported in the logs (the requested one, or `mainland` when the request left it out). */
  area: string;
  /** How many answers have shown this task so far. */
  polls: number;
}

interface Row {
  stored: StoredTask;
  url: string;
  status: Status;
}

export interface PurgeLog {
  TaskId: string;
  Url: string;
  Status: Status;
  PurgeType: 'url' | 'path';
  FlushType: 'flush' | 'delete';
  CreateTime: string;
  Area: string;
}

export interface PushLog {
  TaskId: string;
  Url: string;
  Status: Status;
  Percent: number;
  Area: string;
  CreateTime: string;
  UpdateTime: string;
}

const DEFAULT_LIMIT = 20;

export class TaskBook {
  private readonly stored: StoredTask[] = [];

  constructor(
    private readonly progress: TaskProgress,
    private readonly failUrls: ReadonlySet<string>,
  ) {}

  addPurge(task: AcceptedTask, purgeType: 'url' | 'path', targets: readonly string[], area: string): void {
    this.stored.push({ task, kind: 'purge', purgeType, targets, area, polls: 0 });
  }

  addPush(task: AcceptedTask, targets: readonly string[], area: string): void {
    this.stored.push({ task, kind: 'push', purgeType: 'url', targets, area, polls: 0 });
  }

  purgeLogs(query: PurgeTasksQuery, nowMs: number): { PurgeLogs: PurgeLog[]; TotalCount: number } {
    const { page, total } = this.select('purge', query, nowMs, (row) => {
      return query.PurgeType === undefined || row.stored.purgeType === query.PurgeType;
    });
    const PurgeLogs = page.map(({ stored, url, status }) => ({
      TaskId: stored.task.taskId,
      Url: url,
      Status: status,
      PurgeType: stored.purgeType,
      FlushType: stored.task.flushType ?? 'flush',
      CreateTime: beijingTime(stored.task.acceptedAt),
      Area: stored.area,
    }));
    return { PurgeLogs, TotalCount: total };
  }

  pushLogs(query: PushTasksQuery, nowMs: number): { PushLogs: PushLog[]; TotalCount: number } {
    const { page, total } = this.select('push', query, nowMs, () => true);
    const PushLogs = page.map(({ stored, url, status }) => ({
      TaskId: stored.task.taskId,
      Url: url,
      Status: status,
      Percent: status === 'done' ? 100 : status === 'process' ? 50 : 0,
      Area: stored.area,
      CreateTime: beijingTime(stored.task.acceptedAt),
      UpdateTime: beijingTime(status === 'process' ? stored.task.acceptedAt : nowMs),
    }));
    return { PushLogs, TotalCount: total };
  }

  /**
   * How many purge tasks covering `url` (a URL purge of it, or a directory purge above it) the API reports done by
   * now: what the fake edge drops its cached copy on.
   */
  completedPurges(url: string, nowMs: number): number {
    return this.stored.filter(
      (stored) =>
        stored.kind === 'purge' &&
        stored.targets.some((target) =>
          stored.purgeType === 'url' ? target === url : url.startsWith(target),
        ) &&
        this.status(stored, url, nowMs) === 'done',
    ).length;
  }

  /** Filters and pages the log rows, and counts a poll for every task whose log the page completes. */
  private select(
    kind: StoredTask['kind'],
    query: PurgeTasksQuery | PushTasksQuery,
    nowMs: number,
    keep: (row: Row) => boolean,
  ): { page: Row[]; total: number } {
    const until = query.EndTime ?? nowMs;
    const rows = this.stored
      .filter((stored) => stored.kind === kind)
      .filter((stored) => query.TaskId === undefined || stored.task.taskId === query.TaskId)
      .filter((stored) => {
        if (query.StartTime === undefined) return true;
        const created = Math.floor(stored.task.acceptedAt / 1000) * 1000;
        return created >= query.StartTime && created <= until;
      })
      .filter((stored) => query.Area === undefined || stored.area === query.Area)
      .reverse()
      .flatMap((stored) =>
        stored.targets.map((url) => ({ stored, url, status: this.status(stored, url, nowMs) })),
      )
      .filter((row) => query.Keyword === undefined || matchesKeyword(row.url, query.Keyword))
      .filter((row) => query.Status === undefined || row.status === query.Status)
      .filter(keep);
    const page = pageCountingPolls(
      rows,
      (row) => row.stored,
      query.Offset ?? 0,
      query.Limit ?? DEFAULT_LIMIT,
    );
    return { page, total: rows.length };
  }

  private status(stored: StoredTask, url: string, nowMs: number): Status {
    const task = { acceptedAt: stored.task.acceptedAt, polls: stored.polls };
    if (this.progress.finishedAt(task, nowMs) === undefined) return 'process';
    return this.failUrls.has(url) ? 'fail' : 'done';
  }
}

/** Keyword filters by domain name or by a complete URL. */
function matchesKeyword(url: string, keyword: string): boolean {
  return url === keyword || new URL(url).hostname === keyword;
}

/** "YYYY-MM-DD hh:mm:ss" in Beijing time (UTC+8), as the API reports times. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
