import * as core from '@actions/core';
import { dryRun } from './delivery/dry-run.js';
import { type Clock, realClock } from './delivery/pacing.js';
import { execute } from './delivery/sequence.js';
import { credentialValues } from './inputs/credentials.js';
import { readSettings } from './inputs/read-settings.js';
import { runnerInputs } from './inputs/values.js';
import { coalescingOf } from './plan/coalesce.js';
import { planOperations, planTargets } from './plan/operations.js';
import type { ProviderDefinition } from './providers/provider.js';
import { PROVIDERS } from './providers/registry.js';
import { changedFilesSummary, logChangedFiles } from './report/changed-files.js';
import { publishFailure } from './report/failure.js';
import { publish } from './report/publish.js';
import { type RunReport, undeliveredUrls } from './report/run-report.js';
import { DeployStateSession } from './state/session.js';
import { findChangedFiles } from './targets/changed-files.js';
import { deployedContent } from './targets/deployed.js';

const log = { info: core.info, warning: core.warning, error: core.error };

/** Time and chance, for every wait, retry, pace and jitter of the run: tests pass a fake clock. */
export interface RunDeps {
  clock: Clock;
  random: () => number;
}

/** The step: settings → targets → plan → execute → report. Any error fails the step with its message. */
export async function run(
  providers: readonly ProviderDefinition[] = PROVIDERS,
  { clock, random }: RunDeps = { clock: realClock, random: Math.random },
): Promise<void> {
  try {
    const inputs = runnerInputs((name) => core.getInput(name), process.env);
    // Before anything can be logged, a bad input's message included.
    for (const value of credentialValues(inputs, providers)) core.setSecret(value);
    const { settings, provider, notices } = readSettings(inputs, providers);
    for (const line of notices.info) core.info(line);
    for (const warning of notices.warnings) core.warning(warning);

    const state = settings.state && (await DeployStateSession.open(settings.state, inputs.env, log));
    const changed =
      settings.changedFiles &&
      (await findChangedFiles(settings.changedFiles, inputs.env, {
        log,
        limits: settings.delivery,
        earlier: state?.earlier,
        clock,
      }));
    const targets = planTargets(settings, changed);
    const planned = planOperations(state ? state.addCarried(targets) : targets, provider.apis);
    if (changed) logChangedFiles(changed, planned);

    const coalescing = coalescingOf(settings, changed);
    const execution = settings.dryRun
      ? dryRun(settings, provider, planned, coalescing, log)
      : await execute(settings, provider, planned, coalescing, {
          log,
          getIdToken: (audience) => core.getIDToken(audience),
          mask: (value) => core.setSecret(value),
          env: inputs.env,
          clock,
          random,
          expected: deployedContent(changed || undefined),
        });
    const report: RunReport = {
      providerLabel: provider.label,
      ...execution,
      failOnTaskFailure: settings.delivery.failOnTaskFailure,
      intro: changed && changedFilesSummary(changed),
      changedFiles: changed ? changed.mapping.files : undefined,
      carriedOver: state?.carriedOver,
    };
    // A dry run reads the state and reports what it carries, but keeps nothing.
    const stateFile = settings.dryRun ? undefined : await state?.keep(changed, undeliveredUrls(report));
    await publish({ ...report, stateFile }, inputs.env);
  } catch (error) {
    await publishFailure(error);
  }
}
