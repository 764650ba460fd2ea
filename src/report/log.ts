import * as core from '@actions/core';
import type { DeliveryResult } from '../delivery/engine.js';
import { chunk } from '../plan/operations.js';
import { count, flatten } from '../text.js';
import { capTargetLines, firstOf, TASK_IDS_SHOWN } from './limits.js';
import { type RunReport, requestCount, statusOf, taskFailures, tasksTitle } from './run-report.js';

/** One collapsible log group per operation, its per-target lines capped. */
export function logOperations(report: RunReport): void {
  for (const [index, operation] of report.operations.entries()) {
    const outcome = report.delivery?.operations[index];
    const lines: string[] = [...(operation.notes ?? [])];
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
    core.info(logLines(capTargetLines(lines)));
    core.endGroup();
  }
}

/**
 * Log lines as one write (60,000 URLs are one write, not 60,000). A line break inside an entry (a provider's
 * message) is flattened, so that no text of a provider's can start a line and pass for a workflow command.
 */
export function logLines(lines: readonly string[]): string {
  return lines.map(flatten).join('\n');
}

/** The final state of every task, with `wait`. */
export function logTasks(report: RunReport): void {
  const { tasks } = report;
  if (!tasks) return;
  core.startGroup(`${tasksTitle(report)}: ${count(tasks.length, 'task')}, ${statusOf(report)}`);
  core.info(
    logLines(
      capTargetLines(
        tasks.flatMap((task) => [
          `${task.action} task ${task.taskId} (${count(task.targets.length, 'target')}): ${task.state}${task.note ? `; ${task.note}` : ''}`,
          ...task.failedTargets.map((url) => `  failed: ${url}`),
        ]),
      ),
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
      `${count(unfinished.length, 'task')} not known to be finished when waiting ended: ${firstOf(
        unfinished.map((task) => task.taskId),
        TASK_IDS_SHOWN,
      )}`,
    );
  }
}

/** A resend after no answer may have submitted targets twice: say so, since it counts twice against the quota. */
export function warnAboutResends(delivery: DeliveryResult | undefined): void {
  if (delivery && delivery.ambiguousResends > 0) {
    core.warning(
      `${delivery.ambiguousResends} request(s) got no answer after they were sent and were sent again: the provider may have received them twice, which purges or warms nothing wrong but counts twice against the daily quota.`,
    );
  }
}
