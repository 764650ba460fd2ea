/**
 * How much of a run the step's outputs, log and job summary show. `report-file` always has all of it.
 *
 * GitHub accepts about 1 MB of outputs per job, counted in UTF-16 (about 500,000 ASCII characters), and 1 MiB of
 * summary per step. A step's outputs take at most 250,000 UTF-16 code units (JavaScript's string length), half of
 * the job's limit, so that other steps of the job keep room for theirs.
 */
export const OUTPUT_BUDGET = { 'task-ids': 40_000, urls: 100_000, failed: 100_000, stale: 10_000 } as const;

/** Per-target lines (the indented ones) shown in one log group. */
export const LOG_TARGET_LINES = 1000;

/** Task IDs named in a warning, and per operation in the summary. */
export const TASK_IDS_SHOWN = 20;

/** Rows of the summary's tables: kinds of failure, tasks. */
export const SUMMARY_ROWS = 50;

/** Targets shown as examples in one row of the summary. */
export const SUMMARY_EXAMPLES = 3;

/** A JSON array of the longest prefix of `items` that fits `budget` UTF-16 code units, and how many it holds. */
export function fitJsonArray(items: readonly unknown[], budget: number): { json: string; shown: number } {
  let length = 2;
  let shown = 0;
  for (const item of items) {
    const next = length + JSON.stringify(item).length + (shown > 0 ? 1 : 0);
    if (next > budget) break;
    length = next;
    shown += 1;
  }
  return { json: JSON.stringify(shown === items.length ? items : items.slice(0, shown)), shown };
}

/**
 * The lines of a log group with at most `limit` per-target lines: the first ones, then where the rest were cut,
 * "…and 98000 more: see report-file". Every other line (a request, its task IDs) is kept.
 */
export function capTargetLines(
  lines: readonly string[],
  isTarget: (line: string) => boolean = (line) => line.startsWith('  '),
  limit = LOG_TARGET_LINES,
): string[] {
  const kept: string[] = [];
  let shown = 0;
  let hidden = 0;
  let cutAt = 0;
  for (const line of lines) {
    if (!isTarget(line)) kept.push(line);
    else if (shown < limit) {
      kept.push(line);
      shown += 1;
    } else {
      if (hidden === 0) cutAt = kept.length;
      hidden += 1;
    }
  }
  if (hidden > 0) kept.splice(cutAt, 0, `  …and ${hidden} more: see report-file`);
  return kept;
}

/** The first `limit` items joined, and how many more there are: "a, b, c and 97 more". */
export function firstOf(items: readonly string[], limit: number, separator = ', '): string {
  const shown = items.slice(0, limit).join(separator);
  return items.length > limit ? `${shown}${separator}…and ${items.length - limit} more` : shown;
}
