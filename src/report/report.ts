import * as core from '@actions/core';
import type { DeliveryResult, OperationOutcome } from '../delivery/engine.js';
import type { TaskOutcome } from '../delivery/wait.js';
import { chunk, type PlannedOperation, plannedTargets } from '../plan/operations.js';
import type { TargetFailure } from '../providers/provider.js';
import { count } from '../text.js';

export type Status = 'submitted' | 'done' | 'failed' | 'timeout' | 'dry-run';

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
}

/** Rows of failed targets shown in the job summary; the `failed` output always has all of them. */
const SUMMARY_FAILED_ROWS = 100;

export function statusOf(report: RunReport): Status {
  if (!report.delivery) return 'dry-run';
  if (report.delivery.failed.length > 0) return 'failed';
  const tasks = report.tasks ?? [];
  if (tasks.some((task) => task.state === 'failed')) return 'failed';
  if (!report.waitedForEveryTask) return 'submitted';
  if (tasks.some((task) => task.state !== 'done')) return 'timeout';
  return 'done';
}

/** The `failed` output: targets not accepted, and with `fail-on-task-failure` the targets of failed tasks. */
export function allFailed(report: RunReport): TargetFailure[] {
  const failed = [...(report.delivery?.failed ?? [])];
  if (report.failOnTaskFailure) failed.push(...taskFailures(report.tasks ?? []));
  return failed;
}

function taskFailures(tasks: readonly TaskOutcome[]): TargetFailure[] {
  return tasks.flatMap((task) =>
    task.failedTargets.map((url) => ({
      url,
      code: 'TaskFailed',
      message: `${task.action} task ${task.taskId}: the provider reports that this target failed`,
    })),
  );
}

/** Sets every output of the contract. */
export function setOutputs(report: RunReport): void {
  const urls = plannedTargets(report.operations);
  core.setOutput('task-ids', JSON.stringify(report.delivery?.taskIds ?? []));
  core.setOutput('urls', JSON.stringify(urls));
  core.setOutput('url-count', String(urls.length));
  core.setOutput('failed', JSON.stringify(allFailed(report)));
  core.setOutput('status', statusOf(report));
}

/** One collapsible log group per operation. */
export function logOperations(report: RunReport): void {
  for (const [index, operation] of report.operations.entries()) {
    const outcome = report.delivery?.operations[index];
    const lines: string[] = [];
    if (!outcome) {
      for (const [n, batch] of chunk(operation.targets, operation.api.batchSize).entries()) {
        lines.push(
          `request ${n + 1} would carry ${count(batch.length, 'target')}:`,
          ...batch.map((t) => `  ${t}`),
        );
      }
    } else {
      if (outcome.skipped.length > 0) {
        lines.push(
          `${count(outcome.skipped.length, 'target')} left out because they failed in the operation before:`,
          ...outcome.skipped.map((target) => `  ${target}`),
        );
      }
      lines.push(...outcome.log);
    }
    core.startGroup(
      `${operation.title} (${operation.api.action}): ${count(operation.targets.length, 'target')} in ${count(requestCount(operation, outcome), 'request')}`,
    );
    core.info(logLines(lines));
    core.endGroup();
  }
}

/** The requests an operation took, or in a dry run would take. */
function requestCount(operation: PlannedOperation, outcome: OperationOutcome | undefined): number {
  return outcome?.batches.length ?? Math.ceil(operation.targets.length / operation.api.batchSize);
}

/**
 * Log lines as one write (60,000 URLs are one write, not 60,000). A line break inside an entry (a provider's
 * message) is flattened, so that no text of a provider's can start a line and pass for a workflow command.
 */
export function logLines(lines: readonly string[]): string {
  return lines.map((line) => line.replace(/[\r\n\u2028\u2029]+/g, ' ')).join('\n');
}

/** The final state of every task, with `wait`. */
export function logTasks(report: RunReport): void {
  const { tasks } = report;
  if (!tasks) return;
  core.startGroup(`${tasksTitle(report)}: ${count(tasks.length, 'task')}, ${statusOf(report)}`);
  core.info(
    logLines(
      tasks.flatMap((task) => [
        `${task.action} task ${task.taskId} (${count(task.targets.length, 'target')}): ${task.state}${task.note ? `; ${task.note}` : ''}`,
        ...task.failedTargets.map((url) => `  failed: ${url}`),
      ]),
    ),
  );
  core.endGroup();
  const failed = taskFailures(tasks);
  if (failed.length > 0 && !report.failOnTaskFailure) {
    core.warning(
      `${count(failed.length, 'target')} failed in their tasks; fail-on-task-failure is false, so the step goes on.`,
    );
  }
  const unfinished = tasks.filter((task) => task.state === 'running' || task.state === 'unknown');
  if (unfinished.length > 0) {
    core.warning(
      `${count(unfinished.length, 'task')} not known to be finished when waiting ended: ${unfinished.map((task) => task.taskId).join(', ')}`,
    );
  }
}

export async function writeSummary(report: RunReport): Promise<void> {
  const { delivery } = report;
  const summary = core.summary.addHeading(`CDN purge and prefetch: ${report.providerLabel}`, 2);
  if (!delivery)
    summary.addRaw('Dry run: nothing was sent. These are the requests a real run would send.', true);
  if (report.intro) summary.addRaw(report.intro, true);
  const header = ['Operation', 'API', 'Targets', 'Requests', 'Task IDs', 'Failed'].map((data) => ({
    data,
    header: true,
  }));
  const rows = report.operations.map((operation, index) => {
    const outcome = delivery?.operations[index];
    return [
      operation.title,
      `<code>${operation.api.action}</code>`,
      String(operation.targets.length),
      String(requestCount(operation, outcome)),
      outcome ? outcome.taskIds.map((id) => `<code>${escapeHtml(id)}</code>`).join(' ') || '—' : '—',
      outcome ? String(outcome.failed.length + outcome.skipped.length) : '—',
    ];
  });
  summary.addTable([header, ...rows]);
  summary.addRaw(`<p>Status: <b>${statusOf(report)}</b></p>`, true);
  if (report.tasks) addTaskTable(report);
  const failed = allFailed(report);
  if (failed.length > 0) addFailedTable(failed);
  await summary.write();
}

/** With `wait` every task; without, only the purges that purge-prefetch waited for. */
function tasksTitle(report: RunReport): string {
  return report.waitedForEveryTask ? 'Tasks' : 'Purge tasks waited for before the prefetch';
}

function addTaskTable(report: RunReport): void {
  const tasks = report.tasks ?? [];
  const header = ['Task ID', 'API', 'Targets', 'State', 'Failed targets'].map((data) => ({
    data,
    header: true,
  }));
  const rows = tasks.map((task) => [
    `<code>${escapeHtml(task.taskId)}</code>`,
    `<code>${task.action}</code>`,
    String(task.targets.length),
    task.note ? `${task.state} (${escapeHtml(task.note)})` : task.state,
    task.failedTargets.map(escapeHtml).join('<br>') || '—',
  ]);
  core.summary.addHeading(tasksTitle(report), 3).addTable([header, ...rows]);
}

function addFailedTable(failed: readonly TargetFailure[]): void {
  const header = ['URL', 'Code', 'Message'].map((data) => ({ data, header: true }));
  const rows = failed
    .slice(0, SUMMARY_FAILED_ROWS)
    .map((failure) => [
      escapeHtml(failure.url),
      `<code>${escapeHtml(failure.code)}</code>`,
      escapeHtml(failure.message),
    ]);
  core.summary.addHeading(`Failed targets (${failed.length})`, 3).addTable([header, ...rows]);
  if (failed.length > SUMMARY_FAILED_ROWS) {
    core.summary.addRaw(
      `…and ${failed.length - SUMMARY_FAILED_ROWS} more: the <code>failed</code> output lists every one.`,
      true,
    );
  }
}

/** One line for `core.setFailed`. */
export function failureReason(failed: readonly TargetFailure[]): string {
  const first = failed[0];
  if (!first) return '';
  const codes = [...new Set(failed.map((failure) => failure.code))].join(', ');
  return `${count(failed.length, 'target')} not accepted (${codes}); first: ${first.url}: ${first.message}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
