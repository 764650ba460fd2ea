import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/delivery/pacing.js';
import {
  type DescribeTasks,
  MIN_POLL_INTERVAL_MS,
  nextPollAt,
  type WatchedTask,
  waitForTasks,
} from '../../src/delivery/wait.js';
import { ApiError } from '../../src/errors.js';
import type { ApiSpec, TaskReport } from '../../src/providers/provider.js';
import type { OperationKind } from '../../src/settings.js';

// realClock on vitest's fake timers: Date.now() and setTimeout are virtual, so hours of waiting take no time.
beforeEach(() => vi.useFakeTimers({ loopLimit: 1_000_000 }));
afterEach(() => vi.useRealTimers());

const STATUS_APIS: Partial<Record<OperationKind, ApiSpec>> = {
  'purge-urls': { action: 'DescribePurgeTasks', batchSize: 1000, ratePerSecond: 20 },
  'purge-paths': { action: 'DescribePurgeTasks', batchSize: 1000, ratePerSecond: 20 },
  prefetch: { action: 'DescribePushTasks', batchSize: 1000, ratePerSecond: 20 },
};

const task = (taskId: string, kind: OperationKind = 'purge-urls'): WatchedTask => ({
  kind,
  action: kind === 'prefetch' ? 'PushUrlsCache' : 'PurgeUrlsCache',
  taskId,
  targets: [`https://www.example.com/${taskId}.js`],
});

const running: TaskReport = { state: 'running', failedTargets: [] };
const done: TaskReport = { state: 'done', failedTargets: [] };

/** One call of describeTasks: when (ms after the wait began), the kind and the task IDs asked for. */
interface Read {
  at: number;
  kind: OperationKind;
  taskIds: string[];
}

/**
 * Waits for `tasks` with a status API that answers each task through `answer(taskId, msSinceStart)`, or throws
 * what it returns; `pages` requests (each paced) per read, to see the pacing.
 */
async function waitWith(
  tasks: WatchedTask[],
  answer: (taskId: string, elapsedMs: number) => TaskReport | ApiError,
  { timeoutMs = 600_000, pages = 1 } = {},
) {
  const start = Date.now();
  const reads: Read[] = [];
  const requests: Array<{ at: number; kind: OperationKind }> = [];
  const logged: string[] = [];
  const describeTasks: DescribeTasks = async (kind, taskIds, paced) => {
    reads.push({ at: Date.now() - start, kind, taskIds: [...taskIds] });
    for (let page = 0; page < pages; page++) {
      await paced();
      requests.push({ at: Date.now() - start, kind });
    }
    const reports = new Map<string, TaskReport>();
    for (const taskId of taskIds) {
      const result = answer(taskId, Date.now() - start);
      if (result instanceof ApiError) throw result;
      reports.set(taskId, result);
    }
    return reports;
  };
  const promise = waitForTasks(tasks, {
    clock: realClock,
    log: { info: (line) => logged.push(line), warning: (line) => logged.push(line) },
    timeoutMs,
    statusApis: STATUS_APIS,
    describeTasks,
  });
  await vi.runAllTimersAsync();
  const outcomes = await promise;
  return { outcomes, reads, requests, logged, endedAt: Date.now() - start };
}

/** A task that is done from `finishesAt` ms after the wait began. */
const finishingAt =
  (finishesAt: number) =>
  (_taskId: string, elapsedMs: number): TaskReport =>
    elapsedMs >= finishesAt ? done : running;

/** The rounds of a wait that never ends early, up to `timeoutMs`. */
function schedule(timeoutMs: number): number[] {
  const rounds = [0];
  for (let at = 0; at < timeoutMs; ) {
    at = Math.min(nextPollAt(at), timeoutMs);
    rounds.push(at);
  }
  return rounds;
}

describe('the polling schedule', () => {
  it('polls at once, every 2 s for the first 10 s, then a fifth of the time waited apart', () => {
    expect(schedule(40_000)).toEqual([
      0, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_400, 17_280, 20_736, 24_883, 29_859, 35_830, 40_000,
    ]);
  });

  it('sees every task at most max(2 s, 20% of its running time) after it finished, for any wait-timeout', () => {
    // A task that finishes at T in (p[k], p[k+1]] is seen at p[k+1]: late by less than p[k+1] − p[k]. So the bound
    // holds for every T exactly when every gap is at most max(2 s, p[k] / 5), p[k] < T; a task done by the first
    // round (T = 0) is seen at once. Checked over the longest wait-timeout, 6 hours.
    const rounds = schedule(21_600_000);
    for (let k = 0; k + 1 < rounds.length; k++) {
      const [from = 0, to = 0] = [rounds[k], rounds[k + 1]];
      expect(to - from).toBeLessThanOrEqual(Math.max(MIN_POLL_INTERVAL_MS, from / 5));
      expect(to - from).toBeGreaterThan(0);
    }
    // The gaps are no shorter than the bound needs: 2 s, or a fifth of the time waited (rounded down to the ms).
    expect(nextPollAt(9999) - 9999).toBe(2000);
    expect(nextPollAt(10_004) - 10_004).toBe(2000);
    expect(nextPollAt(10_005) - 10_005).toBe(2001);
    // Rounds in a default 600 s wait: 28 and a last one at the timeout.
    expect(schedule(600_000)).toHaveLength(29);
  });

  it('reports a task that finishes at 31 s done by 38 s', async () => {
    const { outcomes, reads } = await waitWith([task('t')], finishingAt(31_000));
    expect(outcomes[0]?.state).toBe('done');
    expect(reads.at(-1)?.at).toBe(35_830);
    expect(reads.at(-2)?.at).toBe(29_859);
  });

  it('sees a task at each boundary of a round: finished at the round, and 1 ms after it', async () => {
    expect((await waitWith([task('t')], finishingAt(14_400))).reads.at(-1)?.at).toBe(14_400);
    expect((await waitWith([task('t')], finishingAt(14_401))).reads.at(-1)?.at).toBe(17_280);
    expect((await waitWith([task('t')], finishingAt(0))).reads.map((read) => read.at)).toEqual([0]);
  });

  it('polls a last time at the timeout: a task done at 95 s of a 100 s wait is done, one done after 100 s is not', async () => {
    const at95 = await waitWith([task('t')], finishingAt(95_000), { timeoutMs: 100_000 });
    expect(at95.outcomes[0]?.state).toBe('done');
    expect(at95.reads.map((read) => read.at).slice(-3)).toEqual([74_296, 89_155, 100_000]);

    const late = await waitWith([task('t')], finishingAt(100_001), { timeoutMs: 100_000 });
    expect(late.outcomes[0]?.state).toBe('running');
    expect(late.reads.at(-1)?.at).toBe(100_000);
    expect(late.endedAt).toBe(100_000);
  });
});

describe('waitForTasks', () => {
  it('reads the running tasks of a kind together, one read per kind and round, until each is final', async () => {
    const tasks = [
      ...Array.from({ length: 10 }, (_, i) => task(`u${i}`)),
      task('d1', 'purge-paths'),
      task('p1', 'prefetch'),
    ];
    const { outcomes, reads, logged } = await waitWith(tasks, (taskId, elapsed) =>
      taskId === 'u3'
        ? { state: 'failed', failedTargets: ['u'] }
        : elapsed >= 4000 || taskId === 'd1'
          ? done
          : running,
    );
    expect(outcomes.map((o) => o.state)).toEqual([
      ...['done', 'done', 'done', 'failed', 'done', 'done', 'done', 'done', 'done', 'done'],
      'done',
      'done',
    ]);
    expect(outcomes[3]?.failedTargets).toEqual(['u']);
    const unfinished = ['u0', 'u1', 'u2', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'];
    expect(reads).toEqual([
      { at: 0, kind: 'purge-urls', taskIds: Array.from({ length: 10 }, (_, i) => `u${i}`) },
      { at: 0, kind: 'purge-paths', taskIds: ['d1'] },
      { at: 0, kind: 'prefetch', taskIds: ['p1'] },
      { at: 2000, kind: 'purge-urls', taskIds: unfinished },
      { at: 2000, kind: 'prefetch', taskIds: ['p1'] },
      { at: 4000, kind: 'purge-urls', taskIds: unfinished },
      { at: 4000, kind: 'prefetch', taskIds: ['p1'] },
    ]);
    expect(logged).toEqual([
      'Polled 12 tasks after 0 s: 1 done, 10 running, 1 failed',
      'Polled 12 tasks after 2 s: 1 done, 10 running, 1 failed',
      'Polled 12 tasks after 4 s: 11 done, 0 running, 1 failed',
    ]);
  });

  it("paces every request of a round to its status API's rate, kinds that share an API together", async () => {
    const tasks = [task('u'), task('d', 'purge-paths'), task('p', 'prefetch')];
    const { requests } = await waitWith(tasks, () => done, { pages: 30 });
    // 20 a window of 1.15 s and a quarter of 1.15 s / 20 (15 ms) apart, for each API.
    for (const kinds of [['purge-urls', 'purge-paths'], ['prefetch']]) {
      const starts = requests.filter((r) => kinds.includes(r.kind)).map((r) => r.at);
      expect(starts).toHaveLength(kinds.length * 30);
      for (let i = 1; i < starts.length; i++) {
        expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(15);
      }
      for (let i = 20; i < starts.length; i++) {
        expect((starts[i] ?? 0) - (starts[i - 20] ?? 0)).toBeGreaterThanOrEqual(1150);
      }
    }
  });

  it("takes a task's targets from the status API when it lists them", async () => {
    const shared = ['https://www.example.com/1.js', 'https://www.example.com/2.js'];
    const tasks = ['t1', 't2'].map((taskId) => ({ ...task(taskId), targets: shared }));
    const { outcomes } = await waitWith(tasks, (taskId) =>
      taskId === 't1' ? { ...done, targets: [shared[0] ?? ''] } : done,
    );
    expect(outcomes.map((o) => o.targets)).toEqual([[shared[0]], shared]);
  });

  it('keeps polling after a retryable error and gives up on a final one, for the tasks of that read', async () => {
    let failures = 0;
    const { outcomes, logged } = await waitWith([task('flaky'), task('denied', 'prefetch')], (taskId) => {
      if (taskId === 'flaky') return failures++ === 0 ? new ApiError('InternalError', 'busy', 'retry') : done;
      return new ApiError('UnauthorizedOperation.CdnCamUnauthorized', 'no permission', 'operation');
    });
    expect(outcomes.map((o) => o.state)).toEqual(['done', 'unknown']);
    expect(outcomes[0]?.note).toBe('DescribePurgeTasks: InternalError: busy');
    expect(outcomes[1]?.note).toBe(
      'DescribePushTasks: UnauthorizedOperation.CdnCamUnauthorized: no permission',
    );
    expect(logged).toEqual([
      'Polled 2 tasks after 0 s: 0 done, 1 running, 0 failed, 1 unknown',
      'Polled 2 tasks after 2 s: 1 done, 0 running, 0 failed, 1 unknown',
    ]);
  });

  it('counts a task of a kind without a status API as done without polling', async () => {
    const { outcomes, reads } = await waitWith(
      [{ ...task('u'), kind: 'unblock', action: 'EnableCaches' }],
      () => running,
    );
    expect(outcomes[0]?.state).toBe('done');
    expect(reads).toHaveLength(0);
  });
});
