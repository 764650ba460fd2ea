import { posix } from 'node:path';
import { InputError } from '../errors.js';
import type { SiteMapping } from '../settings.js';
import { hasControlCharacter } from '../text.js';
import { checkUrl } from './urls.js';
import { listLines, type ReadInput } from './values.js';

const SITE_LINE = 'ROOT-DIR => BASE-URL, such as apps/web/dist => https://www.example.com/';

/**
 * The folders served and their URLs: the `sites` lines, or else the one `root-dir` served at `base-url`.
 * `sites` replaces the other two, so giving both is refused.
 */
export function readSites(read: ReadInput): SiteMapping[] {
  const sites = read('sites');
  if (sites === '')
    return [{ rootDir: readRootDir('root-dir', read('root-dir')), baseUrl: readBaseUrl(read) }];
  for (const replaced of ['root-dir', 'base-url']) {
    const value = read(replaced);
    if (value !== '') {
      throw new InputError(
        replaced,
        value,
        `sites replaces root-dir and base-url: give each folder and its URL as a sites line (${SITE_LINE}), or remove sites`,
      );
    }
  }
  const mappings: SiteMapping[] = [];
  for (const line of listLines(sites)) {
    const arrow = line.lastIndexOf('=>');
    if (arrow < 0) throw new InputError('sites', line, `expected one mapping per line: ${SITE_LINE}`);
    const rootDir = readRootDir('sites', line.slice(0, arrow).trim());
    const baseUrl = siteUrl('sites', line.slice(arrow + 2).trim());
    if (mappings.some((known) => known.rootDir === rootDir)) {
      throw new InputError(
        'sites',
        line,
        `the folder ${rootDir === '' ? '(the root)' : rootDir} is mapped twice; give each root-dir once`,
      );
    }
    mappings.push({ rootDir, baseUrl });
  }
  if (mappings.length === 0)
    throw new InputError('sites', sites, `expected one mapping per line: ${SITE_LINE}`);
  return mappings;
}

function readBaseUrl(read: ReadInput): string {
  const value = read('base-url');
  if (value === '') {
    throw new InputError(
      'base-url',
      value,
      'required with changed-files: true: the absolute http(s) URL the site is served at, such as https://www.example.com/ (or several folders and URLs in sites)',
    );
  }
  return siteUrl('base-url', value);
}

function siteUrl(input: string, given: string): string {
  const value = checkUrl(input, given);
  if (value.includes('?')) {
    throw new InputError(
      input,
      value,
      'expected the URL of the site without a query (?…), such as https://www.example.com/docs/',
    );
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/** A folder inside the repository, as a POSIX path relative to its root: '' for the root itself. */
export function readRootDir(input: string, value: string): string {
  const accepted =
    'expected a folder inside the repository, relative to its root with / between folders, such as public or site/dist';
  if (
    hasControlCharacter(value) ||
    value.includes('\\') ||
    value.startsWith('/') ||
    /^[A-Za-z]:/.test(value)
  ) {
    throw new InputError(input, value, accepted);
  }
  const normalised = posix.normalize(value === '' ? '.' : value).replace(/\/+$/, '');
  if (normalised === '..' || normalised.startsWith('../')) {
    throw new InputError(input, value, `${accepted}; ".." must not lead out of it`);
  }
  return normalised === '.' ? '' : normalised;
}
