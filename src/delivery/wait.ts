import { ApiError } from '../errors.js';
import type { ApiSpec, TaskReport } from '../providers/provider.js';
import type { Log, OperationKind } from '../settings.js';
import { count } from '../text.js';
import { type Clock, limiterPerAction } from './pacing.js';

export interface WatchedTask {
  kind: OperationKind;
  /** The action that created the task, for people. */
  action: string;
  taskId: string;
  /** The request's targets, until the status API lists the task's own (see `TaskReport.targets`). */
  targets: readonly string[];
}

export interface TaskOutcome extends WatchedTask {
  /** `unknown`: the status could not be read (the reason is in `note`). */
  state: 'running' | 'done' | 'failed' | 'unknown';
  failedTargets: string[];
  note: string | undefined;
}

export interface WaitOptions {
  clock: Clock;
  timeoutMs: number;
  /** The status API of each kind; tasks of a kind without one are done once accepted. */
  statusApis: Partial<Record<OperationKind, ApiSpec>>;
  describe: (kind: OperationKind, taskId: string) => Promise<TaskReport>;
  /** Where each round of polling reports how many tasks are done, running and failed. */
  log: Log;
  /** Pause before the first poll; it doubles after every round, up to `maxIntervalMs`. */
  firstIntervalMs?: number;
  maxIntervalMs?: number;
}

/**
 * Polls every task until it is final or the timeout passes, at growing intervals, each status API paced to its
 * rate. A retryable error leaves the task for the next round; a final one makes its state `unknown`.
 */
export async function waitForTasks(
  tasks: readonly WatchedTask[],
  options: WaitOptions,
): Promise<TaskOutcome[]> {
  const { clock } = options;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const outcomes = tasks.map(
    (task): TaskOutcome => ({
      ...task,
      state: options.statusApis[task.kind] ? 'running' : 'done',
      failedTargets: [],
      note: undefined,
    }),
  );
  const limiterFor = limiterPerAction(clock);

  let interval = options.firstIntervalMs ?? 2000;
  for (;;) {
    const running = outcomes.filter((outcome) => outcome.state === 'running');
    if (running.length === 0 || clock.now() + interval > deadline) return outcomes;
    await clock.sleep(interval);
    interval = Math.min(interval * 2, options.maxIntervalMs ?? 30_000);
    await Promise.all(
      running.map(async (outcome) => {
        const api = options.statusApis[outcome.kind];
        if (!api) return;
        await limiterFor(api).acquire();
        try {
          const report = await options.describe(outcome.kind, outcome.taskId);
          outcome.state = report.state;
          outcome.failedTargets = report.failedTargets;
          if (report.targets) outcome.targets = report.targets;
        } catch (error) {
          const apiError =
            error instanceof ApiError ? error : new ApiError('ActionError', String(error), 'batch');
          outcome.note = `${api.action}: ${apiError.describe()}`;
          if (apiError.disposition !== 'retry') outcome.state = 'unknown';
        }
      }),
    );
    options.log.info(roundLine(outcomes, clock.now() - started));
  }
}

/** "Polled 37 tasks after 14 s: 12 done, 24 running, 1 failed" (and how many could not be read, if any). */
function roundLine(outcomes: readonly TaskOutcome[], elapsedMs: number): string {
  const states = { done: 0, running: 0, failed: 0, unknown: 0 };
  for (const outcome of outcomes) states[outcome.state] += 1;
  const unknown = states.unknown > 0 ? `, ${states.unknown} unknown` : '';
  return `Polled ${count(outcomes.length, 'task')} after ${Math.round(elapsedMs / 1000)} s: ${states.done} done, ${states.running} running, ${states.failed} failed${unknown}`;
}
