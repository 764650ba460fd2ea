/**
 * Purge and prefetch jobs as DescribePurgeTasks and DescribePrefetchTasks report them: one row per accepted
 * target (a purge_all job has one row, whose Target is the zone ID), newest job first. A job is `processing`
 * until its rows have been read `doneAfterPolls` times (or until `doneAfterMs` after it was accepted), then
 * `success`, or `failed` (FailType `origin`) for the targets listed in `failTargets`.
 */

import type { TaskProgress } from '../shared/task-progress.js';
import { pageCountingPolls } from '../tencent/task-pages.js';
import { type EdgeOneJob, METHOD_PURGE_TYPES, type PurgeType } from './types.js';
import type { FilterName, TasksQuery } from './validation.js';
import { ALL_ZONES, isHostName } from './validation.js';

export type JobKind = 'purge' | 'prefetch';
type Status = 'processing' | 'success' | 'failed';

interface StoredJob {
  job: EdgeOneJob;
  kind: JobKind;
  /** How many answers have shown this job's last row so far. */
  polls: number;
  /** When the job stopped being `processing`, once it has. */
  finishedAt?: number;
}

interface Row {
  stored: StoredJob;
  target: string;
  status: Status;
}

export interface EdgeOneTask {
  JobId: string;
  Target: string;
  Type: string;
  Method: string;
  Status: Status;
  FailType: string;
  FailMessage: string;
  CreateTime: string;
  UpdateTime: string;
}

const DEFAULT_LIMIT = 20;
const FAIL_MESSAGE = 'The origin server did not answer the request for this resource (emulated).';

export class JobBook {
  private readonly stored: StoredJob[] = [];

  constructor(
    private readonly progress: TaskProgress,
    private readonly failTargets: ReadonlySet<string>,
  ) {}

  add(job: EdgeOneJob, kind: JobKind): void {
    const finishedAt = this.progress.finishedAt({ acceptedAt: job.acceptedAt, polls: 0 }, job.acceptedAt);
    this.stored.push({ job, kind, polls: 0, ...(finishedAt === undefined ? {} : { finishedAt }) });
  }

  list(kind: JobKind, query: TasksQuery, nowMs: number): { Tasks: EdgeOneTask[]; TotalCount: number } {
    const rows = this.stored
      .filter((stored) => stored.kind === kind && inZone(stored.job, query.ZoneId))
      .filter((stored) => {
        const created = Math.floor(stored.job.acceptedAt / 1000) * 1000;
        return (
          (query.StartTime === undefined || created >= query.StartTime) &&
          (query.EndTime === undefined || created <= query.EndTime)
        );
      })
      .reverse()
      .flatMap((stored) => rowTargets(stored.job).map((target) => this.row(stored, target, nowMs)))
      .filter((row) =>
        (query.Filters ?? []).every((filter) =>
          filter.Values.some((value) => matches(row, filter.Name, value, filter.Fuzzy ?? false)),
        ),
      );
    const page = pageCountingPolls(
      rows,
      (row) => row.stored,
      query.Offset ?? 0,
      query.Limit ?? DEFAULT_LIMIT,
    );
    for (const { stored } of page) {
      const finishedAt = stored.finishedAt ?? this.progress.finishedAt(progressOf(stored), nowMs);
      if (finishedAt !== undefined) stored.finishedAt = finishedAt;
    }
    const Tasks = page.map(({ stored, target, status }) => ({
      JobId: stored.job.jobId,
      Target: target,
      Type: stored.job.type,
      Method: stored.job.method ?? defaultMethod(stored.job.type),
      Status: status,
      FailType: status === 'failed' ? 'origin' : '',
      FailMessage: status === 'failed' ? FAIL_MESSAGE : '',
      CreateTime: isoTime(stored.job.acceptedAt),
      UpdateTime: isoTime(status === 'processing' ? stored.job.acceptedAt : (stored.finishedAt ?? nowMs)),
    }));
    return { Tasks, TotalCount: rows.length };
  }

  private row(stored: StoredJob, target: string, nowMs: number): Row {
    const status: Status =
      this.progress.finishedAt(progressOf(stored), nowMs) === undefined
        ? 'processing'
        : this.failTargets.has(target)
          ? 'failed'
          : 'success';
    return { stored, target, status };
  }
}

function progressOf(stored: StoredJob): { acceptedAt: number; polls: number } {
  return { acceptedAt: stored.job.acceptedAt, polls: stored.polls };
}

/** A query for one zone also lists the jobs sent with ZoneId `*`, which may have reached that zone. */
function inZone(job: EdgeOneJob, zoneId: string | undefined): boolean {
  return zoneId === undefined || zoneId === ALL_ZONES || job.zoneId === zoneId || job.zoneId === ALL_ZONES;
}

/** The targets reported; a purge_all job has none of its own and reports its zone. */
function rowTargets(job: EdgeOneJob): readonly string[] {
  return job.type === 'purge_all' ? [job.zoneId] : job.targets;
}

/** Invalidate is the default where a Method applies; purge_url, purge_cache_tag and prefetches have none. */
function defaultMethod(type: string): string {
  return (METHOD_PURGE_TYPES as readonly string[]).includes(type) ? 'invalidate' : '';
}

function matches(row: Row, name: FilterName, value: string, fuzzy: boolean): boolean {
  const same = (candidate: string): boolean => (fuzzy ? candidate.includes(value) : candidate === value);
  switch (name) {
    case 'job-id':
      return row.stored.job.jobId === value;
    case 'target':
      return same(row.target);
    case 'domains':
      return domainsOf(row).some(same);
    case 'statuses':
      return row.status === value;
    case 'type':
      return row.stored.job.type === value;
  }
}

/** The host names a row is about: a URL's host, a purged host, or the CacheTag.Domains of a cache-tag purge. */
function domainsOf(row: Row): string[] {
  const type = row.stored.job.type as PurgeType | 'prefetch_url';
  switch (type) {
    case 'purge_url':
    case 'purge_prefix':
    case 'prefetch_url':
      return [new URL(row.target).hostname];
    case 'purge_host':
      return isHostName(row.target) ? [row.target] : [];
    case 'purge_cache_tag': {
      const cacheTag = row.stored.job.body.CacheTag as { Domains?: string[] } | undefined;
      return cacheTag?.Domains ?? [];
    }
    case 'purge_all':
      return [];
  }
}

/** "2022-02-09T02:09:54Z": ISO-8601 in UTC to the second, as the API reports times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
