import * as core from '@actions/core';
import { deliver } from './delivery.js';
import { createHttpClient } from './http.js';
import { readSettings } from './inputs.js';
import { realClock } from './pacing.js';
import { planOperations } from './plan.js';
import { PROVIDER_DEFINITIONS } from './providers/registry.js';
import { failureReason, logOperations, type RunReport, setOutputs, writeSummary } from './report.js';

const CREDENTIAL_INPUTS = ['secret-id', 'secret-key', 'session-token'];
const CREDENTIAL_VARIABLES = [
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SESSION_TOKEN',
];
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 5;
const CONCURRENCY = 8;

export async function run(): Promise<void> {
  try {
    maskCredentials();
    const settings = readSettings({
      read: (name) => core.getInput(name),
      env: process.env,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    });
    const provider = PROVIDER_DEFINITIONS[settings.provider];
    const operations = planOperations(settings, provider.apis);
    const report: RunReport = { providerLabel: provider.label, operations, delivery: undefined };

    if (!settings.dryRun) {
      const http = createHttpClient();
      try {
        const submit = provider.connect({
          settings,
          send: http.send,
          now: Date.now,
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
        report.delivery = await deliver(operations, submit, {
          maxAttempts: MAX_ATTEMPTS,
          concurrency: CONCURRENCY,
          clock: realClock,
          random: Math.random,
        });
      } finally {
        await http.close();
      }
    }

    logOperations(report);
    setOutputs(report);
    await writeSummary(report);
    const { delivery } = report;
    if (delivery && delivery.ambiguousResends > 0) {
      core.warning(
        `${delivery.ambiguousResends} request(s) got no answer after they were sent and were sent again: the provider may have received them twice, which purges or warms nothing wrong but counts twice against the daily quota.`,
      );
    }
    if (delivery && delivery.failed.length > 0) core.setFailed(failureReason(delivery.failed));
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** Registers every credential value as a secret before anything can be logged. */
function maskCredentials(): void {
  const values = [
    ...CREDENTIAL_INPUTS.map((name) => core.getInput(name)),
    ...CREDENTIAL_VARIABLES.map((name) => process.env[name] ?? ''),
  ];
  for (const value of values) if (value !== '') core.setSecret(value);
}
