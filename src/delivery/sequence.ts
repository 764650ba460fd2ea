/**
 * The run's sequence, in the order it happens: credentials, today's quotas, the purges, the wait for them before a
 * prefetch, the prefetches, and with `wait` the wait for every task.
 */

import { ApiError } from '../errors.js';
import { type Coalescing, describeShortfalls, fitPlan, quotaKinds } from '../plan/coalesce.js';
import { liesUnder } from '../plan/directories.js';
import { type PlannedOperation, plannedOperation } from '../plan/operations.js';
import type { ProviderConnection, ProviderDefinition, Quota } from '../providers/provider.js';
import type { HttpSend } from '../providers/transport.js';
import type { Credentials, Log, OperationKind, Settings } from '../settings.js';
import { type ExpectedContent, STATUS_ONLY } from '../targets/expected-content.js';
import { count } from '../text.js';
import { quotaReadFailure } from './blame.js';
import { keylessCredentials } from './credentials.js';
import type { EdgeFetch } from './edge-fetch.js';
import { logEndpointOverrides } from './endpoints.js';
import { type DeliveryResult, deliver, NOTHING_SENT, type OperationOutcome, refuseAll } from './engine.js';
import { createHttpClient, MAX_IN_FLIGHT } from './http.js';
import type { Clock } from './pacing.js';
import { redacting, Secrets, scrubbing, secretValues } from './redact.js';
import { type PurgeAgain, type Verification, verifyDelivery } from './verify.js';
import { type TaskOutcome, type WatchedTask, waitForTasks } from './wait.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface ExecutionDeps {
  log: Log & { error(message: string): void };
  /** The job's OIDC token for an audience (`core.getIDToken`). */
  getIdToken: (audience: string) => Promise<string>;
  /** Registers a secret (`core.setSecret`). */
  mask: (value: string) => void;
  env: Record<string, string | undefined>;
  clock: Clock;
  random: () => number;
  /** With `verify`: what the edge should serve at each URL (default: every URL checked by status). */
  expected?: ExpectedContent;
  /** With `verify`: replaces the fetch through the CDN (tests). */
  edgeFetch?: EdgeFetch;
}

/** What was sent and what became of it. */
export interface Execution {
  /** The plan as sent: coalesced and with batch sizes fitted to today's quota. */
  operations: readonly PlannedOperation[];
  delivery: DeliveryResult;
  /** The states of the tasks waited for: every task with `wait`, else the purges a purge-prefetch waits for. */
  tasks: TaskOutcome[] | undefined;
  /** `wait`: `tasks` holds every task. */
  waitedForEveryTask: boolean;
  /** With `verify`, once every task was final: what the edge served. */
  verification?: Verification | undefined;
}

/** Sends the plan; every target ends accepted or in `delivery.failed`. */
export async function execute(
  settings: Settings,
  provider: ProviderDefinition,
  planned: readonly PlannedOperation[],
  coalescing: Coalescing,
  deps: ExecutionDeps,
): Promise<Execution> {
  // Nothing to send (changed files that map to no URL): no credentials are needed, no request is made.
  if (planned.length === 0) return notSent(planned, NOTHING_SENT);
  const http = createHttpClient();
  // Every secret of the run, and those that come during it (temporary credentials, the OIDC token), is masked in
  // the log in each form an answer may echo, and cleared from every answer before it is read.
  const secrets = new Secrets();
  const mask = (value: string): void => {
    for (const form of secrets.add(value)) deps.mask(form);
  };
  for (const value of secretValues(settings)) mask(value);
  try {
    return await sendAndWait(settings, provider, planned, coalescing, {
      ...deps,
      mask,
      secrets,
      send: scrubbing(http.send, secrets),
    });
  } finally {
    await http.close();
  }
}

async function sendAndWait(
  settings: Settings,
  provider: ProviderDefinition,
  planned: readonly PlannedOperation[],
  coalescing: Coalescing,
  deps: ExecutionDeps & { send: HttpSend; secrets: Secrets },
): Promise<Execution> {
  const { clock, log } = deps;
  logEndpointOverrides(settings, provider, log);
  const deadline = clock.now() + settings.delivery.timeoutMs;
  const credentials = credentialSource(settings, provider, deps);
  if (settings.oidc) {
    // Assumed before anything is sent, so that a refused token stops the run with its cause in plain words.
    const refused = await credentials().then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof ApiError) return error;
        throw error;
      },
    );
    if (refused) {
      log.error(refused.message);
      return notSent(planned, refuseAll(planned, refused.code, `not sent: ${refused.describe()}`));
    }
  }
  const connection = redacting(
    provider.connect(
      { settings, credentials, send: deps.send, now: clock.now, timeoutMs: REQUEST_TIMEOUT_MS },
      settings.providerSettings.options,
    ),
    deps.secrets,
  );
  const quotas = await readQuotas(
    connection,
    quotaKinds(planned, coalescing, provider.apis),
    planned.flatMap((operation) => operation.targets),
    log,
  );
  if (quotas instanceof ApiError) {
    const message = quotaReadFailure(quotas, settings, provider.credentialVariables);
    return notSent(planned, refuseAll(planned, quotas.code, message));
  }
  const { operations, shortfalls, warnings } = fitPlan(planned, quotas, coalescing, provider.apis);
  for (const warning of warnings) log.warning(warning);
  if (shortfalls.length > 0) {
    return notSent(operations, refuseAll(operations, 'QuotaExceeded', describeShortfalls(shortfalls)));
  }

  const waitFor = (outcomes: readonly OperationOutcome[]): Promise<TaskOutcome[]> =>
    waitForTasks(watchedTasks(outcomes), {
      clock,
      timeoutMs: settings.delivery.waitTimeoutMs,
      statusApis: provider.statusApis,
      describeTasks: (kind, taskIds, paced) => connection.describeTasks(kind, taskIds, paced),
      log,
    });
  const options = {
    maxAttempts: settings.delivery.maxAttempts,
    concurrency: MAX_IN_FLIGHT,
    clock,
    random: deps.random,
    log,
    deadline,
  };
  const purgedAt = clock.now();
  const purges = await deliver(
    operations.filter((operation) => operation.phase === 0),
    connection.submit,
    options,
  );
  const prefetches = operations.filter((operation) => operation.phase === 1);
  const waitedBeforePrefetch = prefetches.length > 0 && !purges.stoppedBy ? purges.operations : [];
  const started = clock.now();
  const purgeTasks = await waitForPurges(waitedBeforePrefetch, waitFor, settings, log);
  const prefetched = await deliver(prefetches, connection.submit, {
    ...options,
    // The wait for the purges counts against wait-timeout, not against the timeout that bounds sending.
    deadline: deadline + (clock.now() - started),
    earlier: { outcomes: purges.operations, failedInTasks: failedPurges(purges, purgeTasks, prefetches) },
    stoppedBy: purges.stoppedBy,
  });
  const delivery = inSequence(purges, prefetched);
  const { wait } = settings.delivery;
  const rest = delivery.operations.filter((outcome) => !waitedBeforePrefetch.includes(outcome));
  const tasks = [...purgeTasks, ...(wait ? await waitFor(rest) : [])];
  const purgeAgain: PurgeAgain = async (urls) => {
    // A purge of its own, with the same retries and its own `timeout`, then a wait of its own.
    const again = await deliver(
      [plannedOperation('purge-urls', [...urls], provider.apis, 0)],
      connection.submit,
      { ...options, deadline: clock.now() + settings.delivery.timeoutMs },
    );
    const failedInTasks = (await waitFor(again.operations)).flatMap((task) =>
      task.failedTargets.map((url) => ({
        url,
        code: 'TaskFailed',
        message: `${task.action} task ${task.taskId}`,
      })),
    );
    return { taskIds: again.taskIds, failed: [...again.failed, ...failedInTasks] };
  };
  const verification =
    settings.verify && !delivery.stoppedBy
      ? await verifyDelivery(
          settings.verify,
          verifiableUrls(planned, delivery, tasks),
          tasks,
          purgedAt,
          settings.delivery.timeoutMs,
          { clock, log, purgeAgain, expected: deps.expected ?? STATUS_ONLY, fetch: deps.edgeFetch },
        )
      : undefined;
  return {
    operations,
    delivery,
    tasks: wait || tasks.length > 0 ? tasks : undefined,
    waitedForEveryTask: wait,
    verification,
  };
}

/**
 * The file URLs the plan purged (before coalescing fitted some into directories) whose purge did not fail: in its
 * request, in its task, or through a directory that holds them.
 */
function verifiableUrls(
  planned: readonly PlannedOperation[],
  delivery: DeliveryResult,
  tasks: readonly TaskOutcome[],
): string[] {
  const urls = planned.filter((operation) => operation.kind === 'purge-urls');
  const failed = failedPurges(delivery, tasks, urls);
  for (const failure of delivery.failed) failed.add(failure.url);
  return urls.flatMap((operation) => operation.targets).filter((url) => !failed.has(url));
}

function notSent(operations: readonly PlannedOperation[], delivery: DeliveryResult): Execution {
  return { operations, delivery, tasks: undefined, waitedForEveryTask: false };
}

/** One result of two phases: the purges, then the prefetches (the plan's order). */
function inSequence(first: DeliveryResult, second: DeliveryResult): DeliveryResult {
  const operations = [...first.operations, ...second.operations];
  return {
    operations,
    taskIds: operations.flatMap((outcome) => outcome.taskIds),
    failed: operations.flatMap((outcome) => outcome.failed),
    ambiguousResends: first.ambiguousResends + second.ambiguousResends,
    stoppedBy: first.stoppedBy ?? second.stoppedBy,
  };
}

/** Static keys, or with role-arn temporary credentials from the job's OIDC token, renewed before they expire. */
function credentialSource(
  settings: Settings,
  provider: ProviderDefinition,
  deps: ExecutionDeps & { send: HttpSend },
): () => Promise<Credentials> {
  if (settings.oidc) {
    return keylessCredentials(provider.keyless, settings.site, settings.oidc, {
      ...deps,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }
  const { credentials } = settings;
  // readSettings refuses a run without credentials unless it is a dry run, which never gets here.
  if (!credentials) throw new Error('no credentials to sign requests with');
  return async () => credentials;
}

/**
 * Today's quotas, or the error that makes sending pointless (bad credentials). Any other failure to read them is
 * a warning: the documented limits apply, and a quota error during the run still stops its operation.
 */
async function readQuotas(
  connection: ProviderConnection,
  kinds: readonly OperationKind[],
  targets: readonly string[],
  log: Log,
): Promise<Partial<Record<OperationKind, Quota>> | ApiError> {
  try {
    const quotas = await connection.readQuotas(kinds, targets);
    const notices = new Set(Object.values(quotas).flatMap((quota) => (quota.notice ? [quota.notice] : [])));
    for (const notice of notices) log.warning(notice);
    return quotas;
  } catch (error) {
    if (error instanceof ApiError && error.disposition === 'run') return error;
    const reason = error instanceof ApiError ? error.describe() : String(error);
    log.warning(`Could not read today's quota (${reason}); going on with the documented per-request limits.`);
    return {};
  }
}

/**
 * purge-prefetch: the prefetch waits until the purges have taken effect, as Alibaba advises (Tencent gives a purge
 * about 5 minutes); a purge that lands after the prefetch would drop what it warmed. Bounded by wait-timeout; past
 * it the prefetch goes anyway.
 */
async function waitForPurges(
  outcomes: readonly OperationOutcome[],
  waitFor: (outcomes: readonly OperationOutcome[]) => Promise<TaskOutcome[]>,
  settings: Settings,
  log: Log,
): Promise<TaskOutcome[]> {
  const seconds = settings.delivery.waitTimeoutMs / 1000;
  const tasks = outcomes.reduce((sum, outcome) => sum + outcome.taskIds.length, 0);
  if (tasks === 0) return [];
  log.info(
    `Waiting for ${count(tasks, 'purge task')} to finish before the prefetch (at most wait-timeout, ${seconds} s): a purge that takes effect after the prefetch would drop what it warmed.`,
  );
  const done = await waitFor(outcomes);
  const unfinished = done.filter((task) => task.state === 'running' || task.state === 'unknown').length;
  log.info(
    unfinished > 0
      ? `${count(unfinished, 'purge task')} not known to be finished after ${seconds} s; prefetching anyway.`
      : 'Every purge task is final; prefetching what was purged.',
  );
  return done;
}

/**
 * Targets whose purge failed in its task, and the prefetch targets under a directory whose purge failed (in its
 * request or its task): what was not purged is not warmed.
 */
function failedPurges(
  purges: DeliveryResult,
  tasks: readonly TaskOutcome[],
  prefetches: readonly PlannedOperation[],
): Set<string> {
  const failed = new Set(tasks.flatMap((task) => task.failedTargets));
  const directories = new Set([
    ...purges.operations
      .filter((outcome) => outcome.operation.kind === 'purge-paths')
      .flatMap((outcome) => outcome.failed.map((failure) => failure.url)),
    ...tasks.filter((task) => task.kind === 'purge-paths').flatMap((task) => task.failedTargets),
  ]);
  for (const operation of prefetches)
    for (const target of operation.targets) if (liesUnder(target, directories)) failed.add(target);
  return failed;
}

function watchedTasks(outcomes: readonly OperationOutcome[]): WatchedTask[] {
  return outcomes.flatMap((outcome) =>
    outcome.batches.flatMap((batch) =>
      (batch.accepted?.taskIds ?? []).map((taskId) => ({
        kind: outcome.operation.kind,
        action: outcome.operation.api.action,
        taskId,
        targets: batch.targets,
      })),
    ),
  );
}
