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

/**
 * Reads the states of several tasks of one kind, as few requests as the status API allows; `paced` is awaited
 * before each request, so that the API's rate holds however many requests a read takes. A task missing from the
 * answer is still running.
 */
export type DescribeTasks = (
  kind: OperationKind,
  taskIds: readonly string[],
  paced: () => Promise<void>,
) => Promise<ReadonlyMap<string, TaskReport>>;

export interface WaitOptions {
  clock: Clock;
  timeoutMs: number;
  /** The status API of each kind; tasks of a kind without one are done once accepted. */
  statusApis: Partial<Record<OperationKind, ApiSpec>>;
  describeTasks: DescribeTasks;
  /** Where each round of polling reports how many tasks are done, running and failed. */
  log: Log;
}

/** The shortest pause between two rounds. */
export const MIN_POLL_INTERVAL_MS = 2000;

/**
 * When the round after one at `elapsedMs` (since the wait began) comes: 2 s later, or a fifth of the time waited
 * later once that is longer. A task that finishes between two rounds is so seen at most max(2 s, 20% of the time it
 * ran) after it finished (docs/delivery.md#waiting).
 */
export function nextPollAt(elapsedMs: number): number {
  return elapsedMs + Math.max(MIN_POLL_INTERVAL_MS, Math.floor(elapsedMs / 5));
}

/**
 * Polls every task until it is final or the timeout passes: a first round at once, then on the schedule of
 * `nextPollAt`, and a last round at the timeout itself. Each round reads the running tasks of a kind together, each
 * status API paced to its rate. A retryable error leaves the tasks for the next round; a final one makes their state
 * `unknown`.
 */
export async function waitForTasks(
  tasks: readonly WatchedTask[],
  options: WaitOptions,
): Promise<TaskOutcome[]> {
  const { clock } = options;
  const started = clock.now();
  const outcomes = tasks.map(
    (task): TaskOutcome => ({
      ...task,
      state: options.statusApis[task.kind] ? 'running' : 'done',
      failedTargets: [],
      note: undefined,
    }),
  );
  const limiterFor = limiterPerAction(clock);

  for (let at = 0; ; at = Math.min(nextPollAt(at), options.timeoutMs)) {
    const running = outcomes.filter((outcome) => outcome.state === 'running');
    if (running.length === 0) return outcomes;
    const pause = started + at - clock.now();
    if (pause > 0) await clock.sleep(pause);
    await Promise.all(
      [...groupByKind(running)].map(async ([kind, group]) => {
        const api = options.statusApis[kind];
        if (api) await readGroup(kind, group, api, options.describeTasks, () => limiterFor(api).acquire());
      }),
    );
    options.log.info(roundLine(outcomes, clock.now() - started));
    if (at >= options.timeoutMs) return outcomes;
  }
}

function groupByKind(outcomes: readonly TaskOutcome[]): Map<OperationKind, TaskOutcome[]> {
  const groups = new Map<OperationKind, TaskOutcome[]>();
  for (const outcome of outcomes) {
    const group = groups.get(outcome.kind);
    if (group) group.push(outcome);
    else groups.set(outcome.kind, [outcome]);
  }
  return groups;
}

/** One read of a group of running tasks of one kind. */
async function readGroup(
  kind: OperationKind,
  group: readonly TaskOutcome[],
  api: ApiSpec,
  describeTasks: DescribeTasks,
  paced: () => Promise<void>,
): Promise<void> {
  try {
    const reports = await describeTasks(
      kind,
      group.map((outcome) => outcome.taskId),
      paced,
    );
    for (const outcome of group) {
      const report = reports.get(outcome.taskId);
      if (!report) continue;
      outcome.state = report.state;
      outcome.failedTargets = report.failedTargets;
      if (report.targets) outcome.targets = report.targets;
    }
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('ActionError', String(error), 'batch');
    for (const outcome of group) {
      outcome.note = `${api.action}: ${apiError.describe()}`;
      if (apiError.disposition !== 'retry') outcome.state = 'unknown';
    }
  }
}

/** "Polled 37 tasks after 14 s: 12 done, 24 running, 1 failed" (and how many could not be read, if any). */
function roundLine(outcomes: readonly TaskOutcome[], elapsedMs: number): string {
  const states = { done: 0, running: 0, failed: 0, unknown: 0 };
  for (const outcome of outcomes) states[outcome.state] += 1;
  const unknown = states.unknown > 0 ? `, ${states.unknown} unknown` : '';
  return `Polled ${count(outcomes.length, 'task')} after ${Math.round(elapsedMs / 1000)} s: ${states.done} done, ${states.running} running, ${states.failed} failed${unknown}`;
}
