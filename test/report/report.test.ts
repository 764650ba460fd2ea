import { describe, expect, it } from 'vitest';
import { NOTHING_SENT } from '../../src/delivery/engine.js';
import type { TaskOutcome } from '../../src/delivery/wait.js';
import { logLines } from '../../src/report/log.js';
import { completeResult } from '../../src/report/result.js';
import { failureReason, type RunReport, statusOf, undeliveredUrls } from '../../src/report/run-report.js';
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

  it('fails the status at exactly one target not accepted, or exactly one failed task, and not at none', () => {
    const one = {
      url: 'https://www.example.com/a.js',
      code: 'InvalidParameter',
      message: 'PurgeUrlsCache: bad',
    };
    const notAccepted = (failed: (typeof one)[]): RunReport => ({
      ...report(undefined, false),
      delivery: { ...NOTHING_SENT, failed },
    });
    expect(statusOf(notAccepted([one]))).toBe('failed');
    expect(statusOf(notAccepted([]))).toBe('submitted');
    expect(completeResult(notAccepted([one]))['failed-count']).toBe(1);
    for (const waited of [true, false]) {
      expect(statusOf(report([task('failed')], waited))).toBe('failed');
      expect(statusOf(report([task('done')], waited))).toBe(waited ? 'done' : 'submitted');
    }
  });

  it('counts the targets of a failed purge task in failed without wait, unless fail-on-task-failure is false', () => {
    const failedPurge = { ...task('failed'), failedTargets: ['https://www.example.com/a.js'] };
    const withoutWait = report([task('done'), failedPurge], false);
    const result = completeResult(withoutWait);
    expect(result.status).toBe('failed');
    expect(result['failed-count']).toBe(1);
    expect(result.failed).toEqual([
      {
        url: 'https://www.example.com/a.js',
        code: 'TaskFailed',
        message: 'PurgeUrlsCache task t-failed: the provider reports that this target failed',
      },
    ]);
    const tolerant = completeResult({ ...withoutWait, failOnTaskFailure: false });
    expect(tolerant.status).toBe('failed');
    expect(tolerant['failed-count']).toBe(0);
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

  it('carries to the next run every target not accepted, of a failed task even when it does not fail the step, or still stale', () => {
    const failedTask = { ...task('failed'), failedTargets: ['https://www.example.com/task.js'] };
    const carried = undeliveredUrls({
      ...report([failedTask, task('done')], false),
      failOnTaskFailure: false,
      delivery: {
        ...NOTHING_SENT,
        failed: [{ url: 'https://www.example.com/refused.js', code: 'X', message: 'y' }],
      },
      verification: {
        mode: 'warn',
        candidates: 1,
        checked: [],
        stale: [{ url: 'https://www.example.com/stale.html', reason: 'stale' }],
        taskIds: [],
        failed: [],
      },
    });
    expect([...carried].sort()).toEqual([
      'https://www.example.com/refused.js',
      'https://www.example.com/stale.html',
      'https://www.example.com/task.js',
    ]);
    expect(undeliveredUrls(report([task('done')], true)).size).toBe(0);
  });
});
