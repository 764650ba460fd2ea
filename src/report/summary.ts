import * as core from '@actions/core';
import type { Verification } from '../delivery/verify.js';
import type { TaskOutcome } from '../delivery/wait.js';
import type { TargetFailure } from '../providers/provider.js';
import { count } from '../text.js';
import { firstOf, SUMMARY_EXAMPLES, SUMMARY_ROWS, TASK_IDS_SHOWN } from './limits.js';
import type { CompleteResult } from './result.js';
import { type RunReport, requestCount, tasksTitle } from './run-report.js';
import { verificationTables } from './verification.js';

/** The job summary: the operations, the tasks and the failures, each table within `SUMMARY_ROWS` rows. */
export async function writeSummary(report: RunReport, result: CompleteResult): Promise<void> {
  const { delivery } = report;
  const summary = core.summary.addHeading(`CDN purge and prefetch: ${report.providerLabel}`, 2);
  if (!delivery)
    summary.addRaw('Dry run: nothing was sent. These are the requests a real run would send.', true);
  if (report.intro) summary.addRaw(report.intro, true);
  const carried = report.carriedOver;
  if (carried)
    summary.addRaw(
      `<p>${count(carried.count, 'target')} carried over from earlier runs (not delivered since ${escapeHtml(carried.since)}), sent again by this run: see <code>report-file</code>.</p>`,
      true,
    );
  const rows = report.operations.map((operation, index) => {
    const outcome = delivery?.operations[index];
    const taskIds = outcome?.taskIds.map((id) => `<code>${escapeHtml(id)}</code>`) ?? [];
    return [
      operation.title,
      `<code>${operation.api.action}</code>`,
      String(operation.targets.length),
      String(requestCount(operation, outcome)),
      firstOf(taskIds, TASK_IDS_SHOWN, ' ') || '—',
      outcome ? String(outcome.failed.length + outcome.skipped.length) : '—',
    ];
  });
  summary.addTable([header('Operation', 'API', 'Targets', 'Requests', 'Task IDs', 'Failed'), ...rows]);
  for (const note of report.operations.flatMap((operation) => operation.notes ?? []))
    summary.addRaw(`<p>${escapeHtml(note)}</p>`, true);
  summary.addRaw(`<p>Status: <b>${result.status}</b></p>`, true);
  if (report.tasks) addTaskTable(report.tasks, tasksTitle(report));
  if (report.verification) addVerificationTable(report.verification);
  if (result.failed.length > 0) addFailureTable(result.failed);
  await summary.write();
}

/** The tasks, those that did not end done first; a few failed targets of each. */
function addTaskTable(tasks: readonly TaskOutcome[], title: string): void {
  const shown = [...tasks].sort((a, b) => Number(a.state === 'done') - Number(b.state === 'done'));
  const rows = shown
    .slice(0, SUMMARY_ROWS)
    .map((task) => [
      `<code>${escapeHtml(task.taskId)}</code>`,
      `<code>${task.action}</code>`,
      String(task.targets.length),
      task.note ? `${task.state} (${escapeHtml(task.note)})` : task.state,
      firstOf(task.failedTargets.map(escapeHtml), SUMMARY_EXAMPLES, '<br>') || '—',
    ]);
  core.summary
    .addHeading(title, 3)
    .addTable([header('Task ID', 'API', 'Targets', 'State', 'Failed targets'), ...rows]);
  addMore(tasks.length - rows.length, 'task', 'tasks');
}

/**
 * Failures grouped by code and message, one row each with their count and a few examples, the largest first. The
 * RequestId at the end of a message does not tell failures apart (every request has its own); the report file
 * keeps it.
 */
function addFailureTable(failed: readonly TargetFailure[]): void {
  const groups = new Map<string, { code: string; message: string; urls: string[] }>();
  for (const failure of failed) {
    const message = failure.message.replace(/ \(RequestId [^()]*\)$/, '');
    const key = `${failure.code}\n${message}`;
    const group = groups.get(key) ?? { code: failure.code, message, urls: [] };
    group.urls.push(failure.url);
    groups.set(key, group);
  }
  const rows = [...groups.values()]
    .sort((a, b) => b.urls.length - a.urls.length)
    .slice(0, SUMMARY_ROWS)
    .map((group) => [
      `<code>${escapeHtml(group.code)}</code>`,
      escapeHtml(group.message),
      String(group.urls.length),
      firstOf(group.urls.map(escapeHtml), SUMMARY_EXAMPLES, '<br>'),
    ]);
  core.summary
    .addHeading(`Failed targets (${failed.length})`, 3)
    .addTable([header('Code', 'Message', 'Targets', 'Examples'), ...rows]);
  addMore(groups.size - rows.length, 'kind of failure', 'kinds of failure');
}

/** The verification's counts, then the URLs that did not end fresh. */
function addVerificationTable(verification: Verification): void {
  const { counts, note, rows, hidden } = verificationTables(verification, escapeHtml);
  core.summary
    .addHeading('Verification at the edge', 3)
    .addTable([header('Checked', 'Fresh', 'Stale', 'Differs', 'Errors'), counts]);
  if (note) core.summary.addRaw(`<p>${note}</p>`, true);
  if (rows.length > 0) core.summary.addTable([header('URL', 'Verdict', 'Why'), ...rows]);
  addMore(hidden, 'URL', 'URLs');
}

function addMore(hidden: number, one: string, many: string): void {
  if (hidden > 0)
    core.summary.addRaw(
      `<p>…and ${hidden} more ${hidden === 1 ? one : many}: see <code>report-file</code>.</p>`,
      true,
    );
}

function header(...cells: string[]): Array<{ data: string; header: true }> {
  return cells.map((data) => ({ data, header: true }));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
