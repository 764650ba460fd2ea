import { InputError } from '../errors.js';
import { type Mode, VERIFY_MODES, type VerifySettings } from '../settings.js';
import { oneOf, type ReadInput, readInteger } from './values.js';

/** The most URLs one run may fetch through the CDN to verify them (`verify-limit`). */
export const MAX_VERIFY_LIMIT = 10_000;

/**
 * `verify` and `verify-limit` (docs/verify.md#inputs). Verifying needs file URLs (from `urls` or `changed-files`)
 * and a purge to check: mode `purge` or `purge-prefetch`.
 */
export function readVerify(
  read: ReadInput,
  mode: Mode,
  targets: { urls: number; changedFiles: boolean },
): VerifySettings | undefined {
  const value = oneOf('verify', read('verify') || 'off', VERIFY_MODES);
  const limit = readInteger(read, 'verify-limit', 100, 1, MAX_VERIFY_LIMIT);
  if (value === 'off') return undefined;
  if (mode !== 'purge' && mode !== 'purge-prefetch') {
    throw new InputError(
      'verify',
      value,
      `verify checks at the edge what a purge changed: it takes mode purge or purge-prefetch, not ${mode}`,
    );
  }
  if (targets.urls === 0 && !targets.changedFiles) {
    throw new InputError(
      'verify',
      value,
      'verify fetches file URLs through the CDN: give urls, urls-file or changed-files: true (directories, hosts and cache tags are not fetched)',
    );
  }
  return { mode: value, limit };
}
