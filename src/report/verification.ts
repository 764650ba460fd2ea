import type { StaleUrl, Verification } from '../delivery/verify.js';
import { count } from '../text.js';
import { SUMMARY_ROWS } from './limits.js';

/** One line for the failure (`verify: fail`) or the warning (`verify: warn`). */
export function staleReason(stale: readonly StaleUrl[]): string {
  const first = stale[0];
  if (!first) return '';
  return `${count(stale.length, 'URL')} still stale at the edge after a second purge (see the stale output); first: ${first.url}: ${first.reason}`;
}

/**
 * The summary's verification: the counts (checked, fresh, stale, differs, errors), how many of the purged URLs were
 * checked when verify-limit left some out, and a row for each URL that was not fresh at once (at most `SUMMARY_ROWS`).
 */
export function verificationTables(
  verification: Verification,
  escapeHtml: (text: string) => string,
): { counts: string[]; note: string | undefined; rows: string[][]; hidden: number } {
  const { checked, candidates } = verification;
  const of = (verdict: string) => String(checked.filter((check) => check.verdict === verdict).length);
  // Those that ended fresh only after the second purge too.
  const notFresh = checked.filter((check) => check.verdict !== 'fresh' || check.first !== undefined);
  const rows = notFresh
    .slice(0, SUMMARY_ROWS)
    .map((check) => [
      escapeHtml(check.url),
      check.first && check.first !== check.verdict
        ? `${check.verdict} (first ${check.first})`
        : check.verdict,
      escapeHtml(check.reason) || '—',
    ]);
  return {
    counts: [String(checked.length), of('fresh'), of('stale'), of('differs'), of('error')],
    note:
      checked.length < candidates
        ? `${checked.length} of ${candidates} purged URLs checked (verify-limit).`
        : undefined,
    rows,
    hidden: notFresh.length - rows.length,
  };
}
