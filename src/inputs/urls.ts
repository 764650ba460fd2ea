import { InputError } from '../errors.js';
import { hasControlCharacter } from '../text.js';

/** Longest URL accepted. Tencent answers `InvalidParameter.CdnUrlExceedLength` without documenting the number. */
export const MAX_URL_LENGTH = 2048;

/**
 * Splits a list input into entries: one per line, and a comma also separates entries where the next one starts
 * with a scheme, so that a comma inside a URL (`/a,b.jpg`) survives.
 */
export function splitList(value: string): string[] {
  return value
    .split(/\r?\n|,(?=[ \t]*https?:\/\/)/i)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
}

/** Checks one target URL; `input` names where it came from, for the error. */
export function checkUrl(input: string, entry: string): string {
  if (/\s/u.test(entry) || hasControlCharacter(entry)) {
    throw new InputError(
      input,
      entry,
      'a URL must not contain whitespace or control characters; percent-encode them (a space is %20)',
    );
  }
  if (entry.length > MAX_URL_LENGTH) {
    throw new InputError(
      input,
      entry,
      `a URL may be at most ${MAX_URL_LENGTH} characters long (this one has ${entry.length})`,
    );
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new InputError(
      input,
      entry,
      'expected an absolute http:// or https:// URL such as https://www.example.com/app.js',
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\/[^/]/i.test(entry)) {
    throw new InputError(
      input,
      entry,
      'expected an absolute http:// or https:// URL such as https://www.example.com/app.js',
    );
  }
  if (url.username || url.password) {
    throw new InputError(input, entry, 'a URL must not carry a user name or password (user:password@)');
  }
  if (entry.includes('#')) {
    throw new InputError(
      input,
      entry,
      'a fragment (#…) never reaches the CDN: remove it, or percent-encode a "#" in the path as %23',
    );
  }
  if (url.hostname.includes('*')) {
    throw new InputError(
      input,
      entry,
      'a wildcard host cannot be purged or prefetched: name the host itself',
    );
  }
  return entry;
}

/** Checks a directory URL: an absolute URL that ends in `/`. */
export function checkDirectory(input: string, entry: string): string {
  checkUrl(input, entry);
  if (!entry.endsWith('/')) {
    throw new InputError(
      input,
      entry,
      'a directory URL must end in "/" (for example https://www.example.com/static/)',
    );
  }
  return entry;
}

/** Removes repeated entries, keeping the first of each. */
export function unique(entries: readonly string[]): string[] {
  return [...new Set(entries)];
}
