/**
 * `changed-files-source: content`: every regular file of the sites' folders hashed into a manifest, compared with
 * the manifest of the last delivered deploy (docs/state.md#the-content-manifest).
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { InputError } from '../errors.js';
import type { ChangedFilesSettings, Log } from '../settings.js';
import { count, quote, thousands } from '../text.js';
import type { Comparison } from './commits.js';
import { compareManifests, type Manifest } from './manifest.js';
import { type ChangedFileMapping, mapChangedFiles, servedUrls, siteFinder } from './url-map.js';

/** Files read at once: enough to keep the disk and libuv's threads busy while one is being hashed. */
export const HASH_CONCURRENCY = 16;
const CHUNK_BYTES = 256 * 1024;

/** The manifest of the last delivered deploy, or why there is none (first run, no cache, a state ignored). */
export type EarlierManifest = { manifest: Manifest; savedAt: string } | { manifest: undefined; why: string };

export interface ContentChanges {
  comparison: Comparison;
  mapping: ChangedFileMapping;
  siteFiles: string[];
  /** The manifest of the folders as they are now. */
  manifest: Manifest;
  /** The manifest of the last delivered deploy, if there was one. */
  previousManifest: Manifest | undefined;
}

/** A file left out of the manifest, and why. */
export interface SkippedFile {
  path: string;
  reason: 'symlink leading outside' | 'symlink to a folder' | 'not a regular file';
}

/** Hashes the sites' folders in the workspace and maps what differs from the earlier manifest to URLs. */
export async function findContentChanges(
  settings: ChangedFilesSettings,
  workspace: string,
  earlier: EarlierManifest,
  log: Log,
): Promise<ContentChanges> {
  const roots = await checkFolders(settings, workspace);
  const { manifest, skipped } = await hashFolders(workspace, roots);
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).map((file) => `${quote(file.path)} (${file.reason})`);
    log.info(
      `changed-files: ${count(skipped.length, 'entry')} left out of the manifest: ${shown.join(', ')}${skipped.length > 5 ? ', …' : ''}.`,
    );
  }
  const siteOf = siteFinder(settings.sites);
  const entries = compareManifests(earlier.manifest, manifest, (path) => siteOf(path) !== undefined);
  const folders = settings.sites.map((site) => `${site.rootDir || '.'}/`).join(', ');
  const files = `${thousands(manifest.size)} ${manifest.size === 1 ? 'file' : 'files'}`;
  if (!earlier.manifest) {
    log.info(
      `changed-files: no manifest of an earlier deploy (${earlier.why}), so every one of the ${files} in ${folders} counts as changed; a purge larger than today's quota is fitted by coalescing.`,
    );
  }
  const description = earlier.manifest
    ? `content of ${folders} (${files}) against the manifest of the deploy of ${earlier.savedAt}`
    : `content of ${folders} (${files}), no earlier manifest`;
  return {
    comparison: { from: earlier.manifest ? earlier.savedAt : '', to: 'workspace', description },
    mapping: mapChangedFiles(entries, settings),
    siteFiles: servedUrls([...manifest.keys()], settings.sites),
    manifest,
    previousManifest: earlier.manifest,
  };
}

/** Each site's folder must be a folder of the workspace; the folders inside another one are walked with it. */
async function checkFolders(settings: ChangedFilesSettings, workspace: string): Promise<string[]> {
  const { sites, sitesInput } = settings;
  for (const { rootDir } of sites) {
    const folder = join(workspace, rootDir);
    const isFolder = await stat(folder).then(
      (found) => found.isDirectory(),
      () => false,
    );
    if (!isFolder) {
      throw new InputError(
        sitesInput,
        rootDir,
        `no such folder in the workspace (${folder}); with changed-files-source: content, ${sitesInput === 'sites' ? "a sites line's ROOT-DIR" : 'root-dir'} is the folder of the workspace the site is built into, such as public; build the site before this step`,
      );
    }
  }
  const dirs = sites.map((site) => site.rootDir);
  return dirs.filter(
    (dir) => !dirs.some((other) => other !== dir && (other === '' || dir.startsWith(`${other}/`))),
  );
}

/**
 * Every regular file under `roots` (folders relative to `workspace`), by its path from the workspace's top. `.git`
 * is left out; a symlink counts as the file it leads to when that lies inside the same root, and is skipped when
 * it leads outside (the web server would not serve it, or would serve another site's file) or to a folder.
 */
export async function hashFolders(
  workspace: string,
  roots: readonly string[],
  concurrency = HASH_CONCURRENCY,
): Promise<{ manifest: Manifest; skipped: SkippedFile[] }> {
  const files: Array<{ path: string; absolute: string }> = [];
  const skipped: SkippedFile[] = [];
  for (const root of roots) {
    const rootPath = join(workspace, root);
    const realRoot = await realpath(rootPath);
    const folders = [root];
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      const entries: Dirent[] = await readdir(join(workspace, folder), { withFileTypes: true });
      for (const entry of entries) {
        const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
        const absolute = join(workspace, path);
        if (entry.name === '.git') continue;
        if (entry.isDirectory()) folders.push(path);
        else if (entry.isFile()) files.push({ path, absolute });
        else if (entry.isSymbolicLink()) {
          const reason = await symlinkReason(absolute, realRoot);
          if (reason) skipped.push({ path, reason });
          else files.push({ path, absolute });
        } else skipped.push({ path, reason: 'not a regular file' });
      }
    }
  }
  const entries = await mapConcurrently(files, concurrency, ({ absolute }, buffer) =>
    hashFile(absolute, buffer),
  );
  const manifest: Manifest = new Map();
  files.forEach((file, index) => {
    const entry = entries[index];
    if (entry) manifest.set(file.path, entry);
  });
  return { manifest, skipped };
}

async function symlinkReason(absolute: string, realRoot: string): Promise<SkippedFile['reason'] | undefined> {
  const target = await realpath(absolute).catch(() => undefined);
  if (target === undefined || !(target === realRoot || target.startsWith(realRoot + sep)))
    return 'symlink leading outside';
  return (await stat(target)).isFile() ? undefined : 'symlink to a folder';
}

/** SHA-256 of a file, read in chunks into `buffer`: memory stays bounded whatever the file's size. */
async function hashFile(path: string, buffer: Buffer): Promise<{ hash: string; size: number }> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await file.close();
  }
  return { hash: hash.digest('hex'), size };
}

/** `work` over every item, at most `concurrency` at once, each worker with its own read buffer; results in order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, buffer: Buffer) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, buffer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
