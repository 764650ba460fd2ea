/**
 * A dry run sends nothing and has no credentials, so it cannot read today's quotas: it fits the plan to the
 * provider's documented default quotas, coalescing included, and says what a real run would do with them.
 */
import { type Coalescing, fitPlan } from '../plan/coalesce.js';
import type { PlannedOperation } from '../plan/operations.js';
import { describeShortfall } from '../plan/quota.js';
import type { ProviderDefinition, Quota } from '../providers/provider.js';
import type { Log, OperationKind } from '../settings.js';
import type { Execution } from './sequence.js';

/** A run that sends nothing: the plan a real run would send if today's quotas were the documented defaults. */
export function dryRun(
  provider: ProviderDefinition,
  planned: readonly PlannedOperation[],
  coalescing: Coalescing,
  log: Log,
): Omit<Execution, 'delivery'> & { delivery: undefined } {
  const quotas: Partial<Record<OperationKind, Quota>> = {};
  for (const [kind, total] of Object.entries(provider.defaultQuotas) as [OperationKind, number][]) {
    quotas[kind] = { batchSize: 0, available: total, total, scope: 'the documented default' };
  }
  const { operations, shortfalls, warnings } = fitPlan(planned, quotas, coalescing, provider.apis);
  for (const warning of warnings) log.warning(warning);
  if (shortfalls.length > 0) {
    log.warning(
      `With the documented default quotas a real run would send nothing: ${shortfalls.map(describeShortfall).join('; ')}.`,
    );
  }
  return { operations, delivery: undefined, tasks: undefined, waitedForEveryTask: false };
}
