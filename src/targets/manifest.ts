import type { DiffEntry } from './diff.js';

/** What a file held when it was hashed: its SHA-256 (hex) and its size in bytes. */
export interface ManifestEntry {
  hash: string;
  size: number;
}

/** Every regular file of the sites' folders, by its path from the workspace's top (`public/blog/a.html`). */
export type Manifest = Map<string, ManifestEntry>;

/**
 * The files that differ between two manifests, as git's statuses: A (only in `current`), M (other bytes), D (only in
 * `previous`), in path order. A renamed file is a deletion and an addition. No earlier manifest: every file is added.
 * `inScope` limits the deletions to the folders hashed now: a site no longer given is not purged.
 */
export function compareManifests(
  previous: Manifest | undefined,
  current: Manifest,
  inScope: (path: string) => boolean = () => true,
): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const entry = (status: string, path: string): DiffEntry => ({
    status,
    path,
    oldMode: '',
    newMode: '',
    undecodable: false,
  });
  for (const [path, now] of current) {
    const before = previous?.get(path);
    if (!before) entries.push(entry('A', path));
    else if (before.hash !== now.hash || before.size !== now.size) entries.push(entry('M', path));
  }
  for (const path of previous?.keys() ?? [])
    if (!current.has(path) && inScope(path)) entries.push(entry('D', path));
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
