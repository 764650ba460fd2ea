import * as core from '@actions/core';
import type { TargetFailure } from '../providers/provider.js';
import { allFailed, type RunReport, requestCount, statusOf, tasksTitle } from './run-report.js';

/** Rows of failed targets shown in the job summary; the `failed` output always has all of them. */
const SUMMARY_FAILED_ROWS = 100;

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
  for (const note of report.operations.flatMap((operation) => operation.notes ?? []))
    summary.addRaw(`<p>${escapeHtml(note)}</p>`, true);
  summary.addRaw(`<p>Status: <b>${statusOf(report)}</b></p>`, true);
  if (report.tasks) addTaskTable(report);
  const failed = allFailed(report);
  if (failed.length > 0) addFailedTable(failed);
  await summary.write();
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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
