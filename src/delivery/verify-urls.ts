/** Which URLs a verification fetches, and what each answer means (docs/verify.md#what-is-compared). */
import type { Expectation } from '../targets/expected-content.js';
import type { EdgeAnswer } from './edge-fetch.js';

export type Verdict = 'fresh' | 'stale' | 'differs' | 'error';

export interface Check {
  verdict: Verdict;
  /** Why, for people: empty when fresh. */
  reason: string;
}

/**
 * At most `limit` of `urls`: index pages first (a URL ending in `/` or `index.html`), then other HTML pages, then
 * the rest; a group that does not fit whole is sampled evenly across it, so that every part of a large deploy is seen.
 */
export function chooseUrls(urls: readonly string[], limit: number): string[] {
  const groups: string[][] = [[], [], []];
  for (const url of new Set(urls)) groups[pageRank(url)]?.push(url);
  const chosen: string[] = [];
  for (const group of groups) chosen.push(...evenly(group, limit - chosen.length));
  return chosen;
}

/** 0: an index page; 1: another HTML page; 2: anything else. By the path, its query and fragment left out. */
function pageRank(url: string): number {
  const path = url.replace(/[?#].*$/s, '').toLowerCase();
  if (path.endsWith('/') || /\/index\.html?$/.test(path)) return 0;
  return /\.html?$/.test(path) ? 1 : 2;
}

/** `count` items spread evenly over `items`, in their order; all of them when they fit. */
export function evenly<T>(items: readonly T[], count: number): T[] {
  if (count <= 0) return [];
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

/** Slack on the `Age` check: the header counts whole seconds, and the clocks of the runner and the edge differ. */
const AGE_SLACK_MS = 2000;

/**
 * What an answer means against what was deployed: the body's hash against the deployed file's (stale when it is the
 * previous version's); a deleted file against 404 or 410; a URL without a file by its status and its `Age`, stale
 * when the copy is older than the purge (`purgedAt`, on the clock of `now`).
 */
export function judge(expectation: Expectation, answer: EdgeAnswer, purgedAt: number, now: number): Check {
  const { expected, previousSha256 } = expectation;
  const { status } = answer;
  if (status >= 500 || status === 429) return { verdict: 'error', reason: `HTTP ${status}` };
  const ok = status >= 200 && status < 300;
  const wholeBody = ok && !answer.cut;
  const isPrevious = wholeBody && previousSha256 !== undefined && answer.sha256 === previousSha256;
  if (expected.kind === 'deleted') {
    if (status === 404 || status === 410) return fresh;
    if (isPrevious) return { verdict: 'stale', reason: 'serves the deleted file' };
    return {
      verdict: 'differs',
      reason: `${describeStatus(answer)}; a deleted file should answer 404 or 410`,
    };
  }
  if (!ok) {
    const wanted = expected.kind === 'status' ? 'a 2xx answer' : 'the deployed file';
    return { verdict: 'differs', reason: `${describeStatus(answer)}; expected ${wanted}` };
  }
  if (expected.kind === 'file') {
    if (answer.cut) {
      return {
        verdict: 'error',
        reason: `the body is longer than ${answer.bytes} bytes, the most a check reads`,
      };
    }
    if (answer.sha256 === expected.sha256) return fresh;
    if (isPrevious) return { verdict: 'stale', reason: 'serves the version before the deploy' };
    const size =
      expected.size === undefined ? '' : ` (${answer.bytes} bytes, the deployed file has ${expected.size})`;
    return { verdict: 'differs', reason: `the body is not the deployed file${size}` };
  }
  // A file too large to compare, or a URL without a file: its copy must not predate the purge.
  if (answer.ageSeconds !== undefined && answer.ageSeconds * 1000 > now - purgedAt + AGE_SLACK_MS) {
    return { verdict: 'stale', reason: `Age ${answer.ageSeconds} s: cached before the purge` };
  }
  return fresh;
}

const fresh: Check = { verdict: 'fresh', reason: '' };

function describeStatus(answer: EdgeAnswer): string {
  return answer.location
    ? `HTTP ${answer.status} to ${answer.location} (not followed: another host, or a sixth redirect)`
    : `HTTP ${answer.status}`;
}
