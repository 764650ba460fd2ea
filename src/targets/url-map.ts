import picomatch from 'picomatch';
import { MAX_URL_LENGTH } from '../inputs/urls.js';
import type { ChangedFilesSettings, SiteMapping } from '../settings.js';
import { rfc3986 } from '../text.js';
import type { DiffEntry } from './diff.js';

/** A changed file and what it becomes: its URLs, or why it has none. */
export interface MappedFile {
  /** git's status letter after splitting renames: A, M, D, T. */
  status: string;
  /** The path in the repository. */
  path: string;
  urls: string[];
  /** Deleted: purged, never prefetched. */
  deleted: boolean;
  /** Why the file has no URL: outside root-dir, excluded, a submodule, … */
  skipped: SkipReason | undefined;
  /** The site whose root-dir holds the file (the longest that matches); undefined outside every one. */
  site: SiteMapping | undefined;
}

export type SkipReason =
  | 'outside root-dir'
  | 'excluded'
  | 'submodule'
  | 'symlink'
  | 'name not UTF-8'
  | 'unknown change';

export interface ChangedFileMapping {
  /** The sites the files were mapped to, in the order given. */
  sites: readonly SiteMapping[];
  files: MappedFile[];
  /** URLs of added and modified files (and their directories), distinct, in diff order. */
  urls: string[];
  /** URLs of deleted files (and their directories): purged, never prefetched. */
  purgeOnlyUrls: string[];
}

const SUBMODULE = '160000';
const SYMLINK = '120000';
const MAPPED_STATUSES = new Set(['A', 'M', 'D']);

/**
 * Maps every changed file to its URLs: the base URL of the site with the longest root-dir that holds it + the
 * path relative to that root-dir, each segment percent-encoded; a changed index file also gives its directory's URL.
 */
export function mapChangedFiles(
  entries: readonly DiffEntry[],
  settings: ChangedFilesSettings,
): ChangedFileMapping {
  const siteOf = siteFinder(settings.sites);
  const selected = globFilter(settings.include, settings.exclude);
  const urls = new Set<string>();
  const purgeOnlyUrls = new Set<string>();
  const files: MappedFile[] = [];
  for (const entry of entries) {
    const deleted = entry.status === 'D';
    const site = siteOf(entry.path);
    const relative = site && (site.rootDir === '' ? entry.path : entry.path.slice(site.rootDir.length + 1));
    const skipped = relative === undefined ? 'outside root-dir' : skipReason(entry, relative, selected);
    const fileUrls =
      site === undefined || relative === undefined || skipped
        ? []
        : urlsOf(relative, { baseUrl: site.baseUrl, indexFile: settings.indexFile });
    for (const url of fileUrls) (deleted ? purgeOnlyUrls : urls).add(url);
    files.push({ status: entry.status, path: entry.path, urls: fileUrls, deleted, skipped, site });
  }
  return { sites: settings.sites, files, urls: [...urls], purgeOnlyUrls: [...purgeOnlyUrls] };
}

/** The site whose root-dir holds a path: the longest root-dir that is a whole-folder prefix of it. */
export function siteFinder(sites: readonly SiteMapping[]): (path: string) => SiteMapping | undefined {
  const longestFirst = [...sites].sort((a, b) => b.rootDir.length - a.rootDir.length);
  return (path) => longestFirst.find((site) => site.rootDir === '' || path.startsWith(`${site.rootDir}/`));
}

function skipReason(
  entry: DiffEntry,
  relative: string,
  selected: (path: string) => boolean,
): SkipReason | undefined {
  if (!selected(relative)) return 'excluded';
  if (entry.oldMode === SUBMODULE || entry.newMode === SUBMODULE) return 'submodule';
  if (entry.oldMode === SYMLINK || entry.newMode === SYMLINK) return 'symlink';
  if (entry.undecodable) return 'name not UTF-8';
  if (!MAPPED_STATUSES.has(entry.status)) return 'unknown change';
  return undefined;
}

/**
 * `include` (empty: everything) minus `exclude`, matched against the path relative to root-dir. `dot: true`:
 * `*` and `**` also match names that start with a dot (`.well-known/…`), as the served site has them.
 */
export function globFilter(
  include: readonly string[],
  exclude: readonly string[],
): (path: string) => boolean {
  const options = { dot: true, windows: false };
  const included = include.length === 0 ? () => true : picomatch([...include], options);
  const excluded = exclude.length === 0 ? () => false : picomatch([...exclude], options);
  return (path) => included(path) && !excluded(path);
}

/** The file's URL, and with an index file its directory's URL (`blog/index.html` → `blog/`). */
export function urlsOf(
  relative: string,
  settings: Pick<SiteMapping, 'baseUrl'> & Pick<ChangedFilesSettings, 'indexFile'>,
): string[] {
  const url = settings.baseUrl + encodePath(relative);
  checkLength(url, relative);
  const slash = relative.length - settings.indexFile.length - 1;
  const isIndex = relative.endsWith(settings.indexFile) && (slash < 0 || relative.charAt(slash) === '/');
  if (!isIndex) return [url];
  return [url, settings.baseUrl + (slash < 0 ? '' : `${encodePath(relative.slice(0, slash))}/`)];
}

/** The URLs of files of the repository (paths from its top), each under the site that serves it; others left out. */
export function servedUrls(paths: readonly string[], sites: readonly SiteMapping[]): string[] {
  const siteOf = siteFinder(sites);
  return paths.flatMap((path) => {
    const site = siteOf(path);
    if (!site) return [];
    return [site.baseUrl + encodePath(site.rootDir === '' ? path : path.slice(site.rootDir.length + 1))];
  });
}

/** Percent-encodes every segment of a path (RFC 3986: all but letters, digits and -._~), keeping the slashes. */
export function encodePath(path: string): string {
  // In one call: "%2F" can only come from a "/", since a "%" in a name becomes "%25".
  return rfc3986(path).replace(ENCODED_SLASH, '/');
}

const ENCODED_SLASH = /%2F/g;

function checkLength(url: string, path: string): void {
  if (url.length > MAX_URL_LENGTH) {
    throw new Error(
      `changed-files: ${JSON.stringify(path)} maps to a URL of ${url.length} characters, longer than the ${MAX_URL_LENGTH} a CDN accepts; leave it out with the exclude input`,
    );
  }
}
