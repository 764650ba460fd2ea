import type { Quota } from '../providers/provider.js';
import type { OperationKind } from '../settings.js';
import type { PlannedOperation } from './operations.js';

export interface Shortfall {
  operation: PlannedOperation;
  needed: number;
  quota: Quota;
}

/**
 * Fits the plan to today's quota: batch sizes shrink to what the quota API allows, and every operation that needs
 * more than is available today is a shortfall. Operations without a quota keep their documented limits.
 */
export function fitToQuotas(
  operations: readonly PlannedOperation[],
  quotas: Partial<Record<OperationKind, Quota>>,
): { operations: PlannedOperation[]; shortfalls: Shortfall[] } {
  const shortfalls: Shortfall[] = [];
  const fitted = operations.map((operation) => {
    const quota = quotas[operation.kind];
    if (!quota) return operation;
    if (operation.targets.length > quota.available) {
      shortfalls.push({ operation, needed: operation.targets.length, quota });
    }
    const batchSize =
      quota.batchSize > 0 ? Math.min(operation.api.batchSize, quota.batchSize) : operation.api.batchSize;
    return batchSize === operation.api.batchSize
      ? operation
      : { ...operation, api: { ...operation.api, batchSize } };
  });
  return { operations: fitted, shortfalls };
}

/** "PurgeUrlsCache needs 2500 but 1500 of 10000 a day are available (mainland)". */
export function describeShortfall({ operation, needed, quota }: Shortfall): string {
  return `${operation.api.action} needs ${needed} but ${quota.available} of ${quota.total} a day are available (${quota.scope})`;
}
