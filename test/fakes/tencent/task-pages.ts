/**
 * Returns the page of `rows` (one row per target, grouped by task) from `offset`, and counts a poll for every
 * task whose log the page completes. A poll is a read of a task's whole log: it counts when the page holds the
 * task's last row, so that a log read over several pages shows one consistent status.
 */
export function pageCountingPolls<Row, Task extends { polls: number }>(
  rows: readonly Row[],
  taskOf: (row: Row) => Task,
  offset: number,
  limit: number,
): Row[] {
  const end = offset + limit;
  const last = new Map(rows.map((row, index) => [taskOf(row), index]));
  for (const [task, index] of last) if (index >= offset && index < end) task.polls++;
  return rows.slice(offset, end);
}
