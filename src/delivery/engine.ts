import { ApiError } from '../errors.js';
import { chunk, type PlannedOperation } from '../plan/operations.js';
import type { BatchAccepted, Submit, TargetFailure } from '../providers/provider.js';
import type { Log } from '../settings.js';
import { count } from '../text.js';
import { backoffDelay, type Clock, limiterPerAction, Semaphore } from './pacing.js';
import { SubmissionProgress } from './progress.js';
import { quotaSpentMessage } from './quota-spent.js';

export interface DeliveryOptions {
  /** Attempts per batch, the first included. */
  maxAttempts: number;
  /** Requests in flight at once, over all operations. */
  concurrency: number;
  clock: Clock;
  random: () => number;
  /** Where task IDs are reported as they are accepted, and a long submission's progress. */
  log: Log;
  /** Clock time after which nothing new is sent; unsent targets fail with code `ActionTimeout`. */
  deadline: number;
  /**
   * What the phase before left (the purges of a purge-prefetch): an operation with `after` leaves out the targets
   * that failed there, in their request or later in their task.
   */
  earlier?: { outcomes: readonly OperationOutcome[]; failedInTasks: ReadonlySet<string> };
  /** The error that stopped the run in the phase before: nothing more is sent. */
  stoppedBy?: ApiError | undefined;
}

export interface BatchOutcome {
  targets: string[];
  attempts: number;
  /** What happened on the way: retries, resends. */
  notes: string[];
  /** Set when the provider accepted the batch. */
  accepted: BatchAccepted | undefined;
  /** The final error when it did not. */
  error: ApiError | undefined;
}

export interface OperationOutcome {
  operation: PlannedOperation;
  batches: BatchOutcome[];
  /** Targets left out because they failed in the operation this one runs after. */
  skipped: string[];
  taskIds: string[];
  failed: TargetFailure[];
  /** Lines for this operation's log group. */
  log: string[];
}

export interface DeliveryResult {
  operations: OperationOutcome[];
  taskIds: string[];
  failed: TargetFailure[];
  /** Requests that got no answer after they were sent and were sent again: the provider may have them twice. */
  ambiguousResends: number;
  /** The error that stopped the run (bad credentials, the timeout input), if one did. */
  stoppedBy: ApiError | undefined;
}

/**
 * Submits every operation in batches: operations and batches concurrently, each API paced to its documented
 * rate, retryable errors retried with backoff (every attempt signed afresh by `submit`). Every target ends either
 * in an accepted batch or in `failed`, once.
 */
export async function deliver(
  operations: readonly PlannedOperation[],
  submit: Submit,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const semaphore = new Semaphore(options.concurrency);
  const outcomes = new Map<PlannedOperation, OperationOutcome>();
  const run = { stop: options.stoppedBy, ambiguousResends: 0 };
  const { deadline } = options;
  const earlierOutcomes = options.earlier?.outcomes ?? [];
  const failedInTasks = options.earlier?.failedInTasks ?? new Set<string>();

  const limiterFor = limiterPerAction(options.clock);

  const runOperation = async (operation: PlannedOperation): Promise<OperationOutcome> => {
    const earlier = operation.after
      ? earlierOutcomes.find((outcome) => outcome.operation.kind === operation.after)
      : undefined;
    const failedEarlier = new Set(
      operation.after ? [...(earlier?.failed.map((failure) => failure.url) ?? []), ...failedInTasks] : [],
    );
    const targets = operation.targets.filter((target) => !failedEarlier.has(target));
    const outcome: OperationOutcome = {
      operation,
      batches: [],
      skipped: operation.targets.filter((target) => failedEarlier.has(target)),
      taskIds: [],
      failed: [],
      log: [],
    };
    const queue = chunk(targets, operation.api.batchSize);
    const limiter = limiterFor(operation.api);
    const progress = new SubmissionProgress(operation.api.action, targets.length, options.clock, options.log);
    let operationStop: ApiError | undefined;
    const { action } = operation.api;

    const sendBatch = async (batch: string[]): Promise<BatchOutcome | 'split'> => {
      const notes: string[] = [];
      const stopped = (attempts: number): BatchOutcome | undefined => {
        if (!run.stop && options.clock.now() >= deadline) {
          run.stop = new ApiError(
            'ActionTimeout',
            'the timeout input ran out before every request was sent',
            'run',
          );
        }
        const stop = run.stop ?? operationStop;
        return stop && { targets: batch, attempts, notes, accepted: undefined, error: notSent(stop) };
      };
      for (let attempt = 1; ; attempt++) {
        const before = stopped(attempt - 1);
        if (before) return before;
        // The slot first, then the rate: the limiter then stamps the moment the request really starts.
        await semaphore.acquire();
        await limiter.acquire();
        // Checked again: an error that stops the run may have come in while this batch waited.
        const after = stopped(attempt - 1);
        if (after) {
          semaphore.release();
          return after;
        }
        let error: ApiError;
        try {
          const accepted = await submit(operation.kind, batch);
          return { targets: batch, attempts: attempt, notes, accepted, error: undefined };
        } catch (caught) {
          error = caught instanceof ApiError ? caught : new ApiError('ActionError', String(caught), 'batch');
        } finally {
          semaphore.release();
        }
        const retryable =
          error.disposition === 'retry' || (error.disposition === 'retry-once' && attempt === 1);
        if (retryable && attempt < options.maxAttempts) {
          const delay = backoffDelay(attempt, options.random);
          const resend = error.details.mayHaveBeenAccepted
            ? ' The request may have reached the provider and been accepted; sending it again may submit these targets twice.'
            : '';
          if (error.details.mayHaveBeenAccepted) run.ambiguousResends += 1;
          notes.push(
            `attempt ${attempt} of ${options.maxAttempts} failed: ${error.describe()}. Retrying in ${delay} ms.${resend}`,
          );
          await options.clock.sleep(delay);
          continue;
        }
        if (error.disposition === 'split' && batch.length > 1) return 'split';
        if (error.disposition === 'run') run.stop ??= error;
        if (error.disposition === 'operation') operationStop ??= error;
        return { targets: batch, attempts: attempt, notes, accepted: undefined, error };
      }
    };

    const worker = async (): Promise<void> => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        const result = await sendBatch(batch);
        if (result === 'split') {
          const half = Math.ceil(batch.length / 2);
          outcome.log.push(
            `${action}: the provider refused a batch of ${batch.length} as too large; sending it in two halves.`,
          );
          queue.push(batch.slice(0, half), batch.slice(half));
          continue;
        }
        outcome.batches.push(result);
        if (result.accepted) progress.accept(result.targets, result.accepted, refusedIn(result));
        else progress.fail(result.targets);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, queue.length) }, worker));
    progress.finish();
    // Batches finish in any order; report them in the order of their targets.
    const position = new Map(targets.map((target, index) => [target, index]));
    outcome.batches.sort(
      (a, b) => (position.get(a.targets[0] ?? '') ?? 0) - (position.get(b.targets[0] ?? '') ?? 0),
    );
    const accepted = outcome.batches.reduce(
      (sum, batch) => sum + (batch.accepted ? batch.targets.length : 0),
      0,
    );
    for (const batch of outcome.batches) account(outcome, batch, accepted);
    outcomes.set(operation, outcome);
    return outcome;
  };

  await Promise.all(operations.map(runOperation));
  const ordered = operations.map((operation) => outcomes.get(operation)).filter((o) => o !== undefined);
  return {
    operations: ordered,
    taskIds: ordered.flatMap((outcome) => outcome.taskIds),
    failed: ordered.flatMap((outcome) => outcome.failed),
    ambiguousResends: run.ambiguousResends,
    stoppedBy: run.stop,
  };
}

/** The result of a run with no targets at all. */
export const NOTHING_SENT: DeliveryResult = Object.freeze({
  operations: [],
  taskIds: [],
  failed: [],
  ambiguousResends: 0,
  stoppedBy: undefined,
});

/** The result of a run that sends nothing: every target of every operation fails with `code` and `message`. */
export function refuseAll(
  operations: readonly PlannedOperation[],
  code: string,
  message: string,
): DeliveryResult {
  const outcomes = operations.map(
    (operation): OperationOutcome => ({
      operation,
      batches: [],
      skipped: [],
      taskIds: [],
      failed: operation.targets.map((url) => ({ url, code, message: `${operation.api.action}: ${message}` })),
      log: [`${operation.api.action}: nothing sent: ${message}`],
    }),
  );
  return {
    operations: outcomes,
    taskIds: [],
    failed: outcomes.flatMap((outcome) => outcome.failed),
    ambiguousResends: 0,
    stoppedBy: undefined,
  };
}

/** Adds a finished batch to its operation's task IDs, failures and log. */
function account(outcome: OperationOutcome, batch: BatchOutcome, acceptedInOperation: number): void {
  const { action } = outcome.operation.api;
  for (const note of batch.notes)
    outcome.log.push(`${action} (${count(batch.targets.length, 'target')}): ${note}`);
  if (batch.accepted) {
    const { taskIds, requestId } = batch.accepted;
    outcome.taskIds.push(...taskIds);
    const refusedHere = refusedIn(batch);
    outcome.failed.push(...refusedHere);
    const tries = batch.attempts > 1 ? ` after ${batch.attempts} attempts` : '';
    outcome.log.push(
      `${action}: ${count(batch.targets.length, 'target')} accepted${tries}, task ${taskIds.join(', ') || '(no ID returned)'}` +
        (requestId ? ` (RequestId ${requestId})` : '') +
        (refusedHere.length > 0 ? `; ${refusedHere.length} refused` : ''),
    );
    for (const target of batch.targets) outcome.log.push(`  ${target}`);
    for (const failure of refusedHere)
      outcome.log.push(`  refused ${failure.url}: ${failure.code}: ${failure.message}`);
    return;
  }
  const error = batch.error ?? new ApiError('ActionError', 'no result recorded', 'batch');
  const requestId = error.details.requestId ? ` (RequestId ${error.details.requestId})` : '';
  const message = error.details.dailyQuota
    ? `${quotaSpentMessage(outcome.operation, acceptedInOperation, error)}${requestId}`
    : `${action}: ${error.message}${requestId}`;
  outcome.failed.push(...batch.targets.map((url) => ({ url, code: error.code, message })));
  const tries = batch.attempts > 1 ? ` after ${batch.attempts} attempts` : '';
  outcome.log.push(`${action}: ${count(batch.targets.length, 'target')} failed${tries}: ${error.describe()}`);
  for (const target of batch.targets) outcome.log.push(`  ${target}`);
}

/** The targets of an accepted batch that the provider refused. */
function refusedIn(batch: BatchOutcome): TargetFailure[] {
  const inBatch = new Set(batch.targets);
  return (batch.accepted?.refused ?? []).filter((failure) => inBatch.has(failure.url));
}

/** The error recorded for a batch that was never sent because an earlier error stopped its operation or the run. */
function notSent(cause: ApiError): ApiError {
  // A spent quota's message tells every target the same: the provider's answer, and its RequestId.
  const dailyQuota = cause.details.dailyQuota ? { dailyQuota: true, requestId: cause.details.requestId } : {};
  return new ApiError(
    cause.code,
    `not sent: stopped after ${cause.describe()}`,
    cause.disposition,
    dailyQuota,
  );
}
