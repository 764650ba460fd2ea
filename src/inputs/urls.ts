import { InputError } from '../errors.js';
import { count, hasControlCharacter } from '../text.js';
import { listEntries } from './values.js';

/** Longest URL accepted. Tencent answers `InvalidParameter.CdnUrlExceedLength` without documenting the number. */
export const MAX_URL_LENGTH = 2048;

/**
 * Splits `urls` or `paths` into entries (see `listEntries`): spaces, tabs and commas separate entries where the next
 * one starts with a scheme, so that a comma inside a URL (`/a,b.jpg`) survives, and a space inside one is refused
 * with the fix rather than cutting it in two.
 */
export function splitList(input: string, value: string): string[] {
  return listEntries(input, value, /[ \t,]+(?=https?:\/\/)/i).filter((entry) => entry !== '');
}

/** What the provider offers instead of a wildcard, in its own words; see `ProviderDefinition.wildcardFix`. */
export interface UrlFixes {
  wildcard?: string | undefined;
}

/** Characters a URL cannot hold as typed (the WHATWG URL standard's invalid code points that are ASCII). */
const NOT_IN_A_URL = /[<>"{}|\\^`]/;

/**
 * Checks one target URL; `input` names where it came from, for the error. Returns the URL to send: as given, or
 * with its non-ASCII characters percent-encoded (the host in punycode) as a browser does, since the CDN's cache
 * key is the encoded URL.
 */
export function checkUrl(input: string, entry: string, fixes: UrlFixes = {}): string {
  if (/\s/u.test(entry) || hasControlCharacter(entry)) {
    throw new InputError(
      input,
      entry,
      'a URL must not contain whitespace or control characters; percent-encode them (a space is %20)',
    );
  }
  if (/;\s*https?:\/\//i.test(entry)) {
    throw new InputError(
      input,
      entry,
      'a semicolon does not separate URLs: put one URL per line, or separate them with commas or spaces',
    );
  }
  if (/^["']|["']$/.test(entry)) {
    throw new InputError(
      input,
      entry,
      'remove the quotes around the URL: each entry is taken as it is written',
    );
  }
  if (/\$\{|\{\{/.test(entry)) {
    throw new InputError(
      input,
      entry,
      'this looks like a variable that was never expanded: GitHub expands expressions written in the workflow, but an input is not passed through a shell, so $VAR and templates stay as written',
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
  if (entry.includes('*')) {
    const folder = `${entry.slice(0, entry.indexOf('*')).replace(/[^/]*$/, '')}`;
    throw new InputError(
      input,
      entry,
      `a "*" is not a wildcard here: the CDN would look for a URL with a literal "*". To purge a folder, give ${folder} in paths${fixes.wildcard ? `; ${fixes.wildcard}` : ''}`,
    );
  }
  const invalid = NOT_IN_A_URL.exec(entry)?.[0];
  if (invalid) {
    throw new InputError(
      input,
      entry,
      invalid === '\\'
        ? 'a URL separates folders with "/", not "\\"'
        : `a URL cannot hold "${invalid}" as typed: percent-encode it as ${encodeURIComponent(invalid)}`,
    );
  }
  // Non-ASCII only: any other URL is sent exactly as written.
  return /[^\x21-\x7e]/.test(entry) ? url.href : entry;
}

/** The URLs `checkUrl` percent-encoded, as one line for the log; undefined when none was. */
export function encodedNote(given: readonly string[], sent: readonly string[]): string | undefined {
  const changed = given.flatMap((entry, i) => (sent[i] !== entry ? [`${entry} → ${sent[i]}`] : []));
  if (changed.length === 0) return undefined;
  const more = changed.length > 1 ? ` (and ${changed.length - 1} more)` : '';
  return `Percent-encoded the non-ASCII characters of ${count(changed.length, 'URL')}, as a browser does: the CDN caches the encoded URL. ${changed[0]}${more}`;
}

/** A file URL ending in `/` purges one page, the folder's index: a warning, since a folder is what was likely meant. */
export function folderUrlWarning(input: string, urls: readonly string[]): string | undefined {
  const folders = urls.filter((url) => url.endsWith('/'));
  if (folders.length === 0) return undefined;
  const shown = folders.slice(0, 3).join(', ') + (folders.length > 3 ? ', …' : '');
  return `${input}: ${count(folders.length, 'URL')} ending in "/" (${shown}): in ${input} each purges that one page, not the files under it. To purge a folder, give it in paths.`;
}

/** Checks a directory URL: an absolute URL that ends in `/`. */
export function checkDirectory(input: string, entry: string, fixes: UrlFixes = {}): string {
  const url = checkUrl(input, entry, fixes);
  if (!entry.endsWith('/')) {
    throw new InputError(
      input,
      entry,
      'a directory URL must end in "/" (for example https://www.example.com/static/)',
    );
  }
  return url;
}

/** Removes repeated entries, keeping the first of each. */
export function unique(entries: readonly string[]): string[] {
  return [...new Set(entries)];
}
