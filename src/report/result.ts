import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckedUrl, StaleUrl } from '../delivery/verify.js';
import type { TaskOutcome } from '../delivery/wait.js';
import { plannedTargets } from '../plan/operations.js';
import type { TargetFailure } from '../providers/provider.js';
import { allFailed, type RunReport, type Status, statusOf } from './run-report.js';

/** One task waited for, in its final state. */
export interface ReportedTask {
  id: string;
  action: string;
  state: TaskOutcome['state'];
  targets: readonly string[];
  failed: readonly string[];
  /** Why the state is unknown, or the last error reading it. */
  note?: string;
}

/** A changed file, with its git status and its URLs, or why it has none. */
export interface ReportedFile {
  status: string;
  path: string;
  urls: readonly string[];
  skipped?: string;
}

/** The whole result of a run, as `report-file` holds it; the outputs show as much of it as fits. */
export interface CompleteResult {
  status: Status;
  'url-count': number;
  urls: string[];
  'task-ids': string[];
  'failed-count': number;
  failed: TargetFailure[];
  /** The tasks waited for (with `wait`, every task), in their final state. */
  tasks?: ReportedTask[];
  /** With changed-files: every changed file. */
  'changed-files'?: ReportedFile[];
  /** With a deploy state: the targets earlier runs could not deliver, sent again by this one. */
  'carried-over'?: { count: number; since: string; targets: string[] };
  /** With `verify`: URLs still stale or differing after the second purge. */
  stale: StaleUrl[];
  /** With `verify`, when the edge was checked: every URL fetched and its verdict. */
  verification?: { candidates: number; 'task-ids': string[]; checked: CheckedUrl[] };
}

export function completeResult(report: RunReport): CompleteResult {
  const urls = plannedTargets(report.operations);
  const failed = allFailed(report);
  return {
    status: statusOf(report),
    'url-count': urls.length,
    urls,
    'task-ids': [...(report.delivery?.taskIds ?? []), ...(report.verification?.taskIds ?? [])],
    'failed-count': failed.length,
    failed,
    ...(report.tasks && { tasks: report.tasks.map(reportedTask) }),
    ...(report.changedFiles && {
      'changed-files': report.changedFiles.map(({ status, path, urls, skipped }) => ({
        status,
        path,
        urls,
        ...(skipped && { skipped }),
      })),
    }),
    ...(report.carriedOver && { 'carried-over': report.carriedOver }),
    stale: report.verification?.stale ?? [],
    ...(report.verification && {
      verification: {
        candidates: report.verification.candidates,
        'task-ids': report.verification.taskIds,
        checked: report.verification.checked,
      },
    }),
  };
}

function reportedTask(task: TaskOutcome): ReportedTask {
  const { taskId, action, state, targets, failedTargets, note } = task;
  return { id: taskId, action, state, targets, failed: failedTargets, ...(note && { note }) };
}

/**
 * Writes the result as JSON to a new folder in RUNNER_TEMP (the runner empties it after the job), or in the OS's
 * temporary folder outside a runner; returns the file's path.
 */
export async function writeReportFile(
  result: CompleteResult,
  env: Record<string, string | undefined>,
): Promise<string> {
  const folder = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'cdn-purge-prefetch-'));
  const path = join(folder, 'report.json');
  await writeFile(path, JSON.stringify(result));
  return path;
}
