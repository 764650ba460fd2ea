import * as core from '@actions/core';
import { keylessCredentials } from './delivery/credentials.js';
import {
  type DeliveryResult,
  deliver,
  NOTHING_SENT,
  type OperationOutcome,
  refuseAll,
} from './delivery/engine.js';
import { createHttpClient, type HttpSend, MAX_IN_FLIGHT } from './delivery/http.js';
import { realClock } from './delivery/pacing.js';
import { type TaskOutcome, type WatchedTask, waitForTasks } from './delivery/wait.js';
import {
  CREDENTIAL_VARIABLES,
  type Credentials,
  readSettings,
  type Settings,
} from './inputs/read-settings.js';
import { type PlannedOperation, planOperations } from './plan/operations.js';
import { describeShortfall, fitToQuotas } from './plan/quota.js';
import { ApiError } from './providers/api-error.js';
import type { OperationKind, ProviderConnection, ProviderDefinition, Quota } from './providers/provider.js';
import { PROVIDER_DEFINITIONS } from './providers/registry.js';
import {
  allFailed,
  failureReason,
  logOperations,
  logTasks,
  type RunReport,
  setOutputs,
  writeSummary,
} from './report/report.js';
import {
  changedFilesSummary,
  findChangedFiles,
  logChangedFiles,
  withChangedFiles,
} from './targets/changed-files.js';
import { count } from './text.js';

const CREDENTIAL_INPUTS = ['secret-id', 'secret-key', 'session-token'];
const REQUEST_TIMEOUT_MS = 30_000;

export async function run(): Promise<void> {
  try {
    maskCredentials();
    const settings = readSettings({
      read: (name) => core.getInput(name),
      env: process.env,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    });
    const changed = settings.changedFiles && (await findChangedFiles(settings.changedFiles, process.env));
    const provider = PROVIDER_DEFINITIONS[settings.provider];
    const report: RunReport = {
      providerLabel: provider.label,
      operations: planOperations(withChangedFiles(settings, changed), provider.apis),
      delivery: undefined,
      tasks: undefined,
      waitedForEveryTask: false,
      failOnTaskFailure: settings.delivery.failOnTaskFailure,
      intro: changed && changedFilesSummary(changed),
    };
    if (changed) logChangedFiles(changed, report.operations);
    if (!settings.dryRun) {
      // Nothing to send (changed files that map to no URL): no credentials are needed, no request is made.
      if (report.operations.length === 0) report.delivery = NOTHING_SENT;
      else await submitAndWait(settings, provider, report);
    }

    logOperations(report);
    logTasks(report);
    setOutputs(report);
    await writeSummary(report);
    warnAboutResends(report.delivery);
    const failed = allFailed(report);
    if (failed.length > 0) core.setFailed(failureReason(failed));
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function submitAndWait(
  settings: Settings,
  provider: ProviderDefinition,
  report: RunReport,
): Promise<void> {
  const deadline = Date.now() + settings.delivery.timeoutMs;
  const http = createHttpClient();
  try {
    const credentials = credentialSource(settings, http.send);
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
        core.error(refused.message);
        report.delivery = refuseAll(report.operations, refused.code, `not sent: ${refused.describe()}`);
        return;
      }
    }
    const connection = provider.connect({
      settings,
      credentials,
      send: http.send,
      now: Date.now,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const quotas = await readQuotas(connection, report.operations);
    if (quotas instanceof ApiError) {
      report.delivery = refuseAll(
        report.operations,
        quotas.code,
        `not sent: stopped after ${quotas.describe()}`,
      );
      return;
    }
    const { operations, shortfalls } = fitToQuotas(report.operations, quotas);
    report.operations = operations;
    if (shortfalls.length > 0) {
      const numbers = shortfalls.map(describeShortfall).join('; ');
      report.delivery = refuseAll(
        operations,
        'QuotaExceeded',
        `not sent: today's quota is too small for this job: ${numbers}`,
      );
      return;
    }
    const waitFor = (outcomes: readonly OperationOutcome[]): Promise<TaskOutcome[]> =>
      waitForTasks(watchedTasks(outcomes), {
        clock: realClock,
        timeoutMs: settings.delivery.waitTimeoutMs,
        statusApis: provider.statusApis,
        describe: (kind, taskId) => connection.describeTask(kind, taskId),
      });
    // purge-prefetch: the purges whose tasks were waited for before the prefetch.
    const purges = { outcomes: [] as readonly OperationOutcome[], tasks: [] as TaskOutcome[] };
    report.delivery = await deliver(operations, connection.submit, {
      maxAttempts: settings.delivery.maxAttempts,
      concurrency: MAX_IN_FLIGHT,
      clock: realClock,
      random: Math.random,
      deadline,
      betweenPhases: async (outcomes) => {
        purges.outcomes = outcomes;
        purges.tasks = await waitForPurges(outcomes, waitFor, settings);
        return new Set(purges.tasks.flatMap((task) => task.failedTargets));
      },
    });
    const { wait } = settings.delivery;
    const rest = report.delivery.operations.filter((outcome) => !purges.outcomes.includes(outcome));
    const tasks = [...purges.tasks, ...(wait ? await waitFor(rest) : [])];
    report.tasks = wait || tasks.length > 0 ? tasks : undefined;
    report.waitedForEveryTask = wait;
  } finally {
    await http.close();
  }
}

/** Static keys, or with role-arn temporary credentials from the job's OIDC token, renewed before they expire. */
function credentialSource(settings: Settings, send: HttpSend): () => Promise<Credentials> {
  if (settings.oidc) {
    return keylessCredentials(settings, settings.oidc, {
      getIdToken: (audience) => core.getIDToken(audience),
      mask: (value) => core.setSecret(value),
      env: process.env,
      send,
      clock: realClock,
      random: Math.random,
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
  operations: readonly PlannedOperation[],
): Promise<Partial<Record<OperationKind, Quota>> | ApiError> {
  try {
    return await connection.readQuotas(operations.map((operation) => operation.kind));
  } catch (error) {
    if (error instanceof ApiError && error.disposition === 'run') return error;
    const reason = error instanceof ApiError ? error.describe() : String(error);
    core.warning(
      `Could not read today's quota (${reason}); going on with the documented per-request limits.`,
    );
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
): Promise<TaskOutcome[]> {
  const seconds = settings.delivery.waitTimeoutMs / 1000;
  const tasks = outcomes.reduce((sum, outcome) => sum + outcome.taskIds.length, 0);
  if (tasks === 0) return [];
  core.info(
    `Waiting for ${count(tasks, 'purge task')} to finish before the prefetch (at most wait-timeout, ${seconds} s): a purge that takes effect after the prefetch would drop what it warmed.`,
  );
  const done = await waitFor(outcomes);
  const unfinished = done.filter((task) => task.state === 'running' || task.state === 'unknown').length;
  core.info(
    unfinished > 0
      ? `${count(unfinished, 'purge task')} not known to be finished after ${seconds} s; prefetching anyway.`
      : 'Every purge task is final; prefetching what was purged.',
  );
  return done;
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

function warnAboutResends(delivery: DeliveryResult | undefined): void {
  if (delivery && delivery.ambiguousResends > 0) {
    core.warning(
      `${delivery.ambiguousResends} request(s) got no answer after they were sent and were sent again: the provider may have received them twice, which purges or warms nothing wrong but counts twice against the daily quota.`,
    );
  }
}

/** Registers every credential value as a secret before anything can be logged. */
function maskCredentials(): void {
  const values = [
    ...CREDENTIAL_INPUTS.map((name) => core.getInput(name)),
    ...Object.values(CREDENTIAL_VARIABLES).flatMap(({ id, key, token }) =>
      [id, key, token].map((name) => process.env[name] ?? ''),
    ),
  ];
  for (const value of values) if (value !== '') core.setSecret(value);
}
