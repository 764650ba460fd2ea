/**
 * The directories a URL lies under, as a directory purge names them (Tencent PurgePathCache, EdgeOne purge_prefix,
 * Alibaba Directory: a URL ending in `/` that covers every URL starting with it).
 */

/**
 * Every directory the URL lies under, from the host's root down: `https://h/a/b.js` → `https://h/`, `https://h/a/`.
 * A directory URL lies under itself (`https://h/a/` → `https://h/`, `https://h/a/`). The query and fragment are not
 * part of the path. Empty for a URL without a path (`https://h`).
 */
export function directoriesOf(url: string): string[] {
  const scheme = url.indexOf('://');
  if (scheme < 0) return [];
  const end = pathEnd(url);
  const directories: string[] = [];
  for (
    let slash = url.indexOf('/', scheme + 3);
    slash >= 0 && slash < end;
    slash = url.indexOf('/', slash + 1)
  )
    directories.push(url.slice(0, slash + 1));
  return directories;
}

/** True when the URL lies under one of `directories` (directory URLs ending in `/`). */
export function liesUnder(url: string, directories: ReadonlySet<string>): boolean {
  if (directories.size === 0) return false;
  return directoriesOf(url).some((directory) => directories.has(directory));
}

/** The deepest of `directories` the URL lies under, if any. */
export function coveringDirectory(url: string, directories: ReadonlySet<string>): string | undefined {
  if (directories.size === 0) return undefined;
  return directoriesOf(url)
    .reverse()
    .find((directory) => directories.has(directory));
}

function pathEnd(url: string): number {
  const query = url.indexOf('?');
  const fragment = url.indexOf('#');
  const ends = [query, fragment, url.length].filter((index) => index >= 0);
  return Math.min(...ends);
}
