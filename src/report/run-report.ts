import type { DeliveryResult, OperationOutcome } from '../delivery/engine.js';
import type { Verification } from '../delivery/verify.js';
import type { TaskOutcome } from '../delivery/wait.js';
import type { PlannedOperation } from '../plan/operations.js';
import type { TargetFailure } from '../providers/provider.js';
import type { CarriedOver } from '../state/carry.js';
import type { MappedFile } from '../targets/url-map.js';
import { count } from '../text.js';

export type Status = 'submitted' | 'done' | 'failed' | 'timeout' | 'stale' | 'dry-run';

export interface RunReport {
  providerLabel: string;
  operations: readonly PlannedOperation[];
  /** Undefined in a dry run. */
  delivery: DeliveryResult | undefined;
  /** The states of the tasks waited for: every task with `wait`, else the purges that purge-prefetch waits for. */
  tasks: TaskOutcome[] | undefined;
  /** `wait`: `tasks` holds every task, and decides `status`. */
  waitedForEveryTask: boolean;
  /** Targets of failed tasks count as failed (and fail the step). */
  failOnTaskFailure: boolean;
  /** HTML shown under the summary's heading: the changed-files counts. */
  intro?: string | undefined;
  /** With changed-files: every changed file, for the report file. */
  changedFiles?: readonly MappedFile[] | undefined;
  /** With a deploy state: the targets earlier runs could not deliver, sent again by this one. */
  carriedOver?: CarriedOver | undefined;
  /** With a deploy state (not in a dry run): the state file written for the next run. */
  stateFile?: string | undefined;
  /** With `verify`, when the edge was checked. */
  verification?: Verification | undefined;
}

export function statusOf(report: RunReport): Status {
  if (!report.delivery) return 'dry-run';
  if (report.delivery.failed.length > 0) return 'failed';
  const tasks = report.tasks ?? [];
  if (tasks.some((task) => task.state === 'failed')) return 'failed';
  if (!report.waitedForEveryTask) return 'submitted';
  if (tasks.some((task) => task.state !== 'done')) return 'timeout';
  const { verification } = report;
  if (verification?.mode === 'fail' && verification.stale.length > 0) return 'stale';
  return 'done';
}

/** The `failed` output: targets not accepted, and with `fail-on-task-failure` the targets of failed tasks. */
export function allFailed(report: RunReport): TargetFailure[] {
  const failed = [...(report.delivery?.failed ?? [])];
  if (report.failOnTaskFailure) failed.push(...taskFailures(report.tasks ?? []));
  return failed;
}

/**
 * What the next run sends again, with a deploy state: every target not accepted, of a failed task (whatever
 * `fail-on-task-failure` says), or still stale at the edge after the second purge.
 */
export function undeliveredUrls(report: RunReport): Set<string> {
  const undelivered = [
    ...(report.delivery?.failed ?? []),
    ...taskFailures(report.tasks ?? []),
    ...(report.verification?.stale ?? []),
  ];
  return new Set(undelivered.map((entry) => entry.url));
}

export function taskFailures(tasks: readonly TaskOutcome[]): TargetFailure[] {
  return tasks.flatMap((task) =>
    task.failedTargets.map((url) => ({
      url,
      code: 'TaskFailed',
      message: `${task.action} task ${task.taskId}: the provider reports that this target failed`,
    })),
  );
}

/** One line for `core.setFailed`. */
export function failureReason(failed: readonly TargetFailure[]): string {
  const first = failed[0];
  if (!first) return '';
  const codes = [...new Set(failed.map((failure) => failure.code))].join(', ');
  return `${count(failed.length, 'target')} not accepted (${codes}); first: ${first.url}: ${first.message}`;
}

/** The requests an operation took, or in a dry run would take. */
export function requestCount(operation: PlannedOperation, outcome: OperationOutcome | undefined): number {
  return outcome?.batches.length ?? Math.ceil(operation.targets.length / operation.api.batchSize);
}

/** With `wait` every task; without, only the purges that purge-prefetch waited for. */
export function tasksTitle(report: RunReport): string {
  return report.waitedForEveryTask ? 'Tasks' : 'Purge tasks waited for before the prefetch';
}
