import { describe, expect, it } from 'vitest';
import { NOTHING_SENT } from '../../src/delivery/engine.js';
import type { TaskOutcome } from '../../src/delivery/wait.js';
import { logLines } from '../../src/report/log.js';
import { failureReason, type RunReport, statusOf } from '../../src/report/run-report.js';
import { escapeHtml } from '../../src/report/summary.js';

const task = (state: TaskOutcome['state']): TaskOutcome => ({
  kind: 'purge-urls',
  action: 'PurgeUrlsCache',
  taskId: `t-${state}`,
  targets: ['https://www.example.com/a.js'],
  state,
  failedTargets: [],
  note: undefined,
});
const report = (tasks: TaskOutcome[] | undefined, waitedForEveryTask: boolean): RunReport => ({
  providerLabel: 'Tencent Cloud CDN',
  operations: [],
  delivery: NOTHING_SENT,
  tasks,
  waitedForEveryTask,
  failOnTaskFailure: true,
});

describe('report', () => {
  it('writes log lines as one block and flattens a line break inside an entry, so no text can start a command', () => {
    expect(logLines(['a', 'provider said: bad\n::add-mask::x', 'c\r\nd\u2028e'])).toBe(
      'a\nprovider said: bad ::add-mask::x\nc d e',
    );
  });

  it('reads the status from every task with wait, and from the purge tasks of purge-prefetch only if one failed', () => {
    expect(statusOf(report(undefined, false))).toBe('submitted');
    expect(statusOf(report([task('done'), task('done')], true))).toBe('done');
    expect(statusOf(report([task('done'), task('running')], true))).toBe('timeout');
    expect(statusOf(report([task('unknown'), task('failed')], true))).toBe('failed');
    // Without wait the prefetch is not waited for: purge tasks that are done or unfinished leave it submitted.
    expect(statusOf(report([task('done'), task('running')], false))).toBe('submitted');
    expect(statusOf(report([task('done'), task('failed')], false))).toBe('failed');
    expect(statusOf({ ...report(undefined, false), delivery: undefined })).toBe('dry-run');
  });

  it('escapes HTML in the summary', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });

  it('gives a one-line reason naming the count, the codes and the first failure', () => {
    expect(
      failureReason([
        { url: 'u1', code: 'A', message: 'm1' },
        { url: 'u2', code: 'B', message: 'm2' },
        { url: 'u3', code: 'A', message: 'm3' },
      ]),
    ).toBe('3 targets not accepted (A, B); first: u1: m1');
  });
});
