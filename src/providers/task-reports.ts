import { isRecord } from './json.js';
import type { TaskReport } from './provider.js';

/**
 * The report of each task asked for, from the rows a status API listed (rows of other tasks are left aside): its own
 * rows go to `report`, which counts a task without rows as running.
 */
export function reportsByTask(
  taskIds: readonly string[],
  rows: readonly unknown[],
  idField: string,
  report: (rows: readonly unknown[]) => TaskReport,
): Map<string, TaskReport> {
  const rowsOf = new Map<string, unknown[]>(taskIds.map((taskId) => [taskId, []]));
  for (const row of rows) {
    if (isRecord(row)) rowsOf.get(String(row[idField] ?? ''))?.push(row);
  }
  return new Map([...rowsOf].map(([taskId, own]) => [taskId, report(own)]));
}
