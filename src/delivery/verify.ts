/**
 * `verify`: once the last phase's tasks are done, fetch up to `verify-limit` of the purged file URLs through the CDN
 * and compare each with what was deployed; purge the stale ones once more, wait for that purge, and check them
 * again (docs/verify.md).
 */
import type { TargetFailure } from '../providers/provider.js';
import type { Log, VerifySettings } from '../settings.js';
import { type ExpectedContent, MAX_VERIFIED_BYTES } from '../targets/expected-content.js';
import { count } from '../text.js';
import { createEdgeFetch, type EdgeFetch } from './edge-fetch.js';
import { type Clock, Semaphore } from './pacing.js';
import { type Check, chooseUrls, judge, type Verdict } from './verify-urls.js';
import type { TaskOutcome } from './wait.js';

/** URLs fetched at once: a few, so that a verification never looks like an attack on the site. */
export const VERIFY_CONCURRENCY = 4;

/** One URL checked: the final verdict, after the second purge for those that were stale. */
export interface CheckedUrl extends Check {
  url: string;
  /** The file behind the URL, when there is one. */
  path: string | undefined;
  /** The verdict of the first check, when the URL was purged again and checked a second time. */
  first: Verdict | undefined;
}

/** A stale URL, as the `stale` output lists it. */
export interface StaleUrl {
  url: string;
  reason: string;
}

export interface Verification {
  mode: VerifySettings['mode'];
  /** The URLs that could be checked (purged and not failed), of which `checked` were fetched. */
  candidates: number;
  checked: CheckedUrl[];
  /** Still stale or differing after the second purge (or when it could not be sent). */
  stale: StaleUrl[];
  /** The second purge's task IDs, and its targets that were not accepted. */
  taskIds: string[];
  failed: TargetFailure[];
}

/** Purges the URLs again and waits for their tasks: the task IDs, and the URLs whose purge failed. */
export type PurgeAgain = (urls: readonly string[]) => Promise<{ taskIds: string[]; failed: TargetFailure[] }>;

export interface VerifyDeps {
  fetch: EdgeFetch;
  expected: ExpectedContent;
  clock: Clock;
  log: Log;
  purgeAgain: PurgeAgain;
}

/**
 * Checks up to `settings.limit` of `urls`, purged at `purgedAt` (clock time): every URL ends fresh, stale, differs
 * or error. Stale and differing ones are purged once more and checked again; those still so are `stale`.
 */
export async function verifyEdge(
  urls: readonly string[],
  purgedAt: number,
  settings: VerifySettings,
  deps: VerifyDeps,
): Promise<Verification> {
  const { log } = deps;
  const chosen = chooseUrls(urls, settings.limit);
  log.info(
    `verify: fetching ${chosen.length} of ${count(urls.length, 'purged URL')} through the CDN (index pages and HTML first), ${VERIFY_CONCURRENCY} at a time.`,
  );
  const first = await checkAll(chosen, purgedAt, deps);
  const again = first.filter((check) => check.verdict === 'stale' || check.verdict === 'differs');
  let taskIds: string[] = [];
  let failed: TargetFailure[] = [];
  let checked = first;
  if (again.length > 0) {
    for (const check of again) log.info(`verify: ${check.verdict}: ${check.url}: ${check.reason}`);
    log.info(`verify: purging ${count(again.length, 'URL')} once more, then checking them again.`);
    const sentAt = deps.clock.now();
    ({ taskIds, failed } = await deps.purgeAgain(again.map((check) => check.url)));
    const notPurged = new Map(failed.map((failure) => [failure.url, failure]));
    const purged = again.filter((check) => !notPurged.has(check.url));
    const second = new Map(
      (
        await checkAll(
          purged.map((check) => check.url),
          sentAt,
          deps,
        )
      ).map((check) => [check.url, check]),
    );
    checked = first.map((check) => {
      const retried = second.get(check.url);
      if (retried) return { ...retried, first: check.verdict };
      const refused = notPurged.get(check.url);
      return refused
        ? {
            ...check,
            reason: `${check.reason}; the second purge failed (${refused.code})`,
            first: check.verdict,
          }
        : check;
    });
  }
  const stale = checked
    .filter((check) => check.verdict === 'stale' || check.verdict === 'differs')
    .map(({ url, reason }) => ({ url, reason }));
  for (const check of checked.filter((one) => one.verdict === 'error'))
    log.info(`verify: could not check ${check.url}: ${check.reason}`);
  log.info(`verify: ${tally(checked)}.`);
  return { mode: settings.mode, candidates: urls.length, checked, stale, taskIds, failed };
}

/** "12 checked: 10 fresh, 1 stale, 1 differs, 0 errors". */
export function tally(checked: readonly CheckedUrl[]): string {
  const of = (verdict: Verdict) => checked.filter((check) => check.verdict === verdict).length;
  return `${checked.length} checked: ${of('fresh')} fresh, ${of('stale')} stale, ${of('differs')} differs, ${count(of('error'), 'error')}`;
}

async function checkAll(urls: readonly string[], purgedAt: number, deps: VerifyDeps): Promise<CheckedUrl[]> {
  const slots = new Semaphore(VERIFY_CONCURRENCY);
  return Promise.all(
    urls.map(async (url) => {
      await slots.acquire();
      try {
        return await checkOne(url, purgedAt, deps);
      } finally {
        slots.release();
      }
    }),
  );
}

async function checkOne(url: string, purgedAt: number, deps: VerifyDeps): Promise<CheckedUrl> {
  let path: string | undefined;
  try {
    const expectation = await deps.expected.expectationOf(url);
    path = expectation.path;
    const answer = await deps.fetch(url);
    return { url, path, first: undefined, ...judge(expectation, answer, purgedAt, deps.clock.now()) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { url, path, first: undefined, verdict: 'error', reason };
  }
}

export interface VerifyRunDeps {
  clock: Clock;
  log: Log;
  purgeAgain: PurgeAgain;
  /** What each URL should serve; URLs it does not know are checked by status. */
  expected: ExpectedContent;
  /** Replaces the real fetch (tests). */
  fetch?: EdgeFetch | undefined;
}

/** Per-request timeout of a verification: within `timeout`, and never more than this. */
const VERIFY_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Verifies the run's purged file URLs (`urls`, those whose purge did not fail) once every task is final; when some
 * task is not known to be finished, nothing is verified and a warning says so.
 */
export async function verifyDelivery(
  settings: VerifySettings,
  urls: readonly string[],
  tasks: readonly TaskOutcome[],
  purgedAt: number,
  timeoutMs: number,
  deps: VerifyRunDeps,
): Promise<Verification | undefined> {
  const unfinished = tasks.filter((task) => task.state === 'running' || task.state === 'unknown').length;
  if (unfinished > 0) {
    deps.log.warning(
      `verify: ${count(unfinished, 'task')} not known to be finished within wait-timeout, so the edge was not checked: a copy fetched now could still be purged. Give wait-timeout more time.`,
    );
    return undefined;
  }
  const edge = deps.fetch
    ? undefined
    : createEdgeFetch({
        timeoutMs: Math.min(VERIFY_REQUEST_TIMEOUT_MS, timeoutMs),
        maxBytes: MAX_VERIFIED_BYTES,
        hosts: new Set(urls.map((url) => new URL(url).host)),
        connections: VERIFY_CONCURRENCY,
      });
  const fetch = deps.fetch ?? edge?.fetch;
  if (!fetch) throw new Error('no way to fetch the edge');
  try {
    return await verifyEdge(urls, purgedAt, settings, { ...deps, fetch });
  } finally {
    await edge?.close();
  }
}
