/**
 * A dry run sends nothing and has no credentials, so it cannot read today's quotas: it fits the plan to the
 * provider's documented default quotas, coalescing included, and says what a real run would do with them.
 */
import { type Coalescing, fitPlan } from '../plan/coalesce.js';
import type { PlannedOperation } from '../plan/operations.js';
import { describeShortfall } from '../plan/quota.js';
import type { ProviderDefinition, Quota } from '../providers/provider.js';
import type { Log, OperationKind, Settings } from '../settings.js';
import { Secrets, secretValues } from './redact.js';
import type { Execution } from './sequence.js';

/** A run that sends nothing: the plan a real run would send if today's quotas were the documented defaults. */
export function dryRun(
  settings: Settings,
  provider: ProviderDefinition,
  planned: readonly PlannedOperation[],
  coalescing: Coalescing,
  log: Log,
): Omit<Execution, 'delivery'> & { delivery: undefined } {
  const quotas: Partial<Record<OperationKind, Quota>> = {};
  for (const [kind, total] of Object.entries(provider.defaultQuotas) as [OperationKind, number][]) {
    quotas[kind] = { batchSize: 0, available: total, total, scope: 'the documented default' };
  }
  const fitted = fitPlan(planned, quotas, coalescing, provider.apis);
  const { shortfalls, warnings } = fitted;
  const operations = fitted.operations.map((operation) => withRequestOptions(operation, provider, settings));
  for (const warning of warnings) log.warning(warning);
  if (shortfalls.length > 0) {
    log.warning(
      `With the documented default quotas a real run would send nothing: ${shortfalls.map(describeShortfall).join('; ')}.`,
    );
  }
  return { operations, delivery: undefined, tasks: undefined, waitedForEveryTask: false };
}

/**
 * The operation with a note of what each of its requests carries besides its targets (Area, headers, user agent,
 * M3U8 …), so that they can be checked before a real run; header and user-agent values stay redacted.
 */
function withRequestOptions(
  operation: PlannedOperation,
  provider: ProviderDefinition,
  settings: Settings,
): PlannedOperation {
  if (!provider.requestBody) return operation;
  const body = provider.requestBody(settings, settings.providerSettings.options, operation.kind, []);
  const options = Object.entries(body).filter(
    ([, value]) => value !== '' && !(Array.isArray(value) && value.length === 0),
  );
  const shown =
    options.length === 0
      ? "no options: the provider's defaults apply"
      : options.map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(', ');
  const secrets = new Secrets();
  for (const value of secretValues(settings)) secrets.add(value);
  const redacted = secrets.scrub(shown);
  const note = `Each ${operation.api.action} request carries, besides its targets, ${redacted}`;
  return { ...operation, notes: [...(operation.notes ?? []), note] };
}
