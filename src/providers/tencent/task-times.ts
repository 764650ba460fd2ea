/**
 * Tencent's task lists (CDN DescribePurgeTasks / DescribePushTasks, EdgeOne DescribePurgeTasks /
 * DescribePrefetchTasks) list every task of a time range at once: a connection notes when it created each task, so
 * that the tasks it waits for are read over their time range, a page of up to 1,000 rows a request, instead of one
 * request per task (docs/tencent-api.md#task-status-lists).
 */

import { readAllPages, type TencentClient } from './api.js';

/**
 * A signed request is refused when its timestamp is more than 5 minutes from the provider's clock, so a task the
 * provider accepted was created, by its clock, within 5 minutes of the time its request was sent and answered here.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A time range in Unix milliseconds, ends included, in whole seconds. */
export interface TimeRange {
  from: number;
  to: number;
}

export class TaskTimes {
  private readonly created = new Map<string, TimeRange>();

  constructor(private readonly now: () => number) {}

  /** Runs a submission and notes the time range its tasks were created in. */
  async track<T extends { taskIds: readonly string[] }>(submit: () => Promise<T>): Promise<T> {
    const from = this.now();
    const accepted = await submit();
    const to = this.now();
    for (const taskId of accepted.taskIds) this.created.set(taskId, { from, to });
    return accepted;
  }

  /**
   * The queries that list `taskIds`: one over the time range they were created in (by the provider's clock), and
   * one by ID for each task this connection did not create.
   */
  queries<Query>(
    taskIds: readonly string[],
    byRange: (range: TimeRange) => Query,
    byId: (taskId: string) => Query,
  ): Query[] {
    const known = taskIds.flatMap((taskId) => this.created.get(taskId) ?? []);
    const unknown = taskIds.filter((taskId) => !this.created.has(taskId));
    const range = known.reduce<TimeRange | undefined>(
      (sum, span) =>
        sum ? { from: Math.min(sum.from, span.from), to: Math.max(sum.to, span.to) } : { ...span },
      undefined,
    );
    const widened =
      range &&
      byRange({
        from: Math.floor((range.from - CLOCK_SKEW_MS) / 1000) * 1000,
        to: Math.ceil((range.to + CLOCK_SKEW_MS) / 1000) * 1000,
      });
    return [...(widened === undefined ? [] : [widened]), ...unknown.map(byId)];
  }
}

/** Every row the queries list, each read page by page. */
export async function readTaskLists(
  client: () => Promise<TencentClient>,
  action: string,
  queries: readonly Record<string, unknown>[],
  rowsField: string,
  paced: () => Promise<void>,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const query of queries)
    rows.push(...(await readAllPages(await client(), action, query, rowsField, paced)));
  return rows;
}
