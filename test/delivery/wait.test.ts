import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/delivery/pacing.js';
import { type WatchedTask, waitForTasks } from '../../src/delivery/wait.js';
import { ApiError } from '../../src/errors.js';
import type { TaskReport } from '../../src/providers/provider.js';
import { TENCENT_CDN_STATUS_APIS } from '../../src/providers/tencent/cdn.js';
import type { OperationKind } from '../../src/settings.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const task = (taskId: string, kind: OperationKind = 'purge-urls'): WatchedTask => ({
  kind,
  action: kind === 'prefetch' ? 'PushUrlsCache' : 'PurgeUrlsCache',
  taskId,
  targets: [`https://www.example.com/${taskId}.js`],
});

async function waitWith(
  tasks: WatchedTask[],
  answer: (taskId: string, poll: number) => TaskReport | ApiError,
  timeoutMs = 600_000,
) {
  const polls: Array<{ taskId: string; at: number }> = [];
  const logged: string[] = [];
  const promise = waitForTasks(tasks, {
    clock: realClock,
    log: { info: (line) => logged.push(line), warning: (line) => logged.push(line) },
    timeoutMs,
    statusApis: TENCENT_CDN_STATUS_APIS,
    describe: async (_kind, taskId) => {
      polls.push({ taskId, at: Date.now() });
      const result = answer(taskId, polls.filter((p) => p.taskId === taskId).length);
      if (result instanceof ApiError) throw result;
      return result;
    },
  });
  await vi.runAllTimersAsync();
  return { outcomes: await promise, polls, logged };
}

const running: TaskReport = { state: 'running', failedTargets: [] };
const done: TaskReport = { state: 'done', failedTargets: [] };

describe('waitForTasks', () => {
  it('polls at growing intervals until every task is final', async () => {
    const start = Date.now();
    const { outcomes, polls, logged } = await waitWith([task('a'), task('b')], (taskId, poll) =>
      taskId === 'a' && poll < 3
        ? running
        : taskId === 'b'
          ? { state: 'failed', failedTargets: ['u'] }
          : done,
    );
    expect(outcomes.map((o) => [o.taskId, o.state, o.failedTargets])).toEqual([
      ['a', 'done', []],
      ['b', 'failed', ['u']],
    ]);
    // Pauses of 2, 4 and 8 s between rounds; in round one b's poll is paced 15 ms (a quarter of 1.15 s / 20) after a's.
    expect(polls.filter((p) => p.taskId === 'a').map((p) => p.at - start)).toEqual([2000, 6015, 14_015]);
    expect(polls.filter((p) => p.taskId === 'b').map((p) => p.at - start)).toEqual([2015]);
    expect(logged).toEqual([
      'Polled 2 tasks after 2 s: 0 done, 1 running, 1 failed',
      'Polled 2 tasks after 6 s: 0 done, 1 running, 1 failed',
      'Polled 2 tasks after 14 s: 1 done, 0 running, 1 failed',
    ]);
  });

  it("takes a task's targets from the status API when it lists them", async () => {
    const shared = ['https://www.example.com/1.js', 'https://www.example.com/2.js'];
    const tasks = ['t1', 't2'].map((taskId) => ({ ...task(taskId), targets: shared }));
    const { outcomes } = await waitWith(tasks, (taskId) =>
      taskId === 't1' ? { ...done, targets: [shared[0] ?? ''] } : done,
    );
    expect(outcomes.map((o) => o.targets)).toEqual([[shared[0]], shared]);
  });

  it('stops at the timeout and leaves unfinished tasks running', async () => {
    const { outcomes, polls } = await waitWith([task('slow')], () => running, 10_000);
    expect(outcomes[0]?.state).toBe('running');
    // Polls at 2 s and 6 s; the next would be at 14 s, past the timeout.
    expect(polls).toHaveLength(2);
  });

  it('keeps polling after a retryable error and gives up on a final one', async () => {
    const { outcomes, logged } = await waitWith([task('flaky'), task('denied')], (taskId, poll) => {
      if (taskId === 'flaky') return poll === 1 ? new ApiError('InternalError', 'busy', 'retry') : done;
      return new ApiError('UnauthorizedOperation.CdnCamUnauthorized', 'no permission', 'operation');
    });
    expect(outcomes.map((o) => o.state)).toEqual(['done', 'unknown']);
    expect(outcomes[1]?.note).toBe(
      'DescribePurgeTasks: UnauthorizedOperation.CdnCamUnauthorized: no permission',
    );
    expect(logged).toEqual([
      'Polled 2 tasks after 2 s: 0 done, 1 running, 0 failed, 1 unknown',
      'Polled 2 tasks after 6 s: 1 done, 0 running, 0 failed, 1 unknown',
    ]);
  });

  it('counts a task of a kind without a status API as done without polling', async () => {
    const { outcomes, polls } = await waitWith(
      [{ ...task('u'), kind: 'unblock', action: 'EnableCaches' }],
      () => running,
    );
    expect(outcomes[0]?.state).toBe('done');
    expect(polls).toHaveLength(0);
  });
});
