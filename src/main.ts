import * as core from '@actions/core';
import { dryRun } from './delivery/dry-run.js';
import { realClock } from './delivery/pacing.js';
import { execute } from './delivery/sequence.js';
import { credentialValues } from './inputs/credentials.js';
import { readSettings } from './inputs/read-settings.js';
import type { InputContext } from './inputs/values.js';
import { coalescingOf } from './plan/coalesce.js';
import { planOperations, planTargets } from './plan/operations.js';
import type { ProviderDefinition } from './providers/provider.js';
import { PROVIDERS } from './providers/registry.js';
import { changedFilesSummary, logChangedFiles } from './report/changed-files.js';
import { publishFailure } from './report/failure.js';
import { publish } from './report/publish.js';
import { findChangedFiles } from './targets/changed-files.js';

const log = { info: core.info, warning: core.warning, error: core.error };

/** The step: settings → targets → plan → execute → report. Any error fails the step with its message. */
export async function run(providers: readonly ProviderDefinition[] = PROVIDERS): Promise<void> {
  try {
    const inputs: InputContext = {
      read: (name) => core.getInput(name),
      env: process.env,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    };
    // Before anything can be logged, a bad input's message included.
    const variables = providers.map((known) => known.credentialVariables);
    for (const value of credentialValues(inputs, variables)) core.setSecret(value);
    const { settings, provider, notices } = readSettings(inputs, providers);
    for (const line of notices.info) core.info(line);
    for (const warning of notices.warnings) core.warning(warning);

    const changed =
      settings.changedFiles &&
      (await findChangedFiles(settings.changedFiles, inputs.env, { log, limits: settings.delivery }));
    const planned = planOperations(planTargets(settings, changed), provider.apis);
    if (changed) logChangedFiles(changed, planned);

    const coalescing = coalescingOf(settings, changed);
    const execution = settings.dryRun
      ? dryRun(settings, provider, planned, coalescing, log)
      : await execute(settings, provider, planned, coalescing, {
          log,
          getIdToken: (audience) => core.getIDToken(audience),
          mask: (value) => core.setSecret(value),
          env: inputs.env,
          clock: realClock,
          random: Math.random,
        });
    await publish(
      {
        providerLabel: provider.label,
        ...execution,
        failOnTaskFailure: settings.delivery.failOnTaskFailure,
        intro: changed && changedFilesSummary(changed),
        changedFiles: changed ? changed.mapping.files : undefined,
      },
      inputs.env,
    );
  } catch (error) {
    await publishFailure(error);
  }
}
