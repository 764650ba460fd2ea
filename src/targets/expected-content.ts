/**
 * What the edge should serve at a URL once the deploy is purged, and what it served before: the model verification
 * compares bodies with (docs/verify.md#what-is-compared). A source of changed files plugs in by giving each URL's
 * expected SHA-256 and, when it knows it, the previous one: the files at the compared commits (git, the GitHub
 * API), or a content manifest's hashes.
 */
import { createHash } from 'node:crypto';
import type { Comparison } from './commits.js';
import type { Manifest } from './manifest.js';
import type { MappedFile } from './url-map.js';

/** The most bytes a verification reads of a body, or hashes of a file: larger files are checked by status. */
export const MAX_VERIFIED_BYTES = 16 * 1024 * 1024;

/** What a URL should answer after the deploy. */
export type Expected =
  /** The deployed file: its body's SHA-256 (hex), and its size when known. */
  | { kind: 'file'; sha256: string; size: number | undefined }
  /** The file was deleted: 404 or 410. */
  | { kind: 'deleted' }
  /** A file too large to hash within the verification's limit: checked by status only. */
  | { kind: 'too-large'; size: number }
  /** A URL with no file behind it (an explicit URL): checked by status, and by an `Age` older than the purge. */
  | { kind: 'status' };

export interface Expectation {
  expected: Expected;
  /** The SHA-256 of the version before the deploy, when known: a body equal to it is stale. */
  previousSha256: string | undefined;
  /** The file behind the URL, for the log and the report. */
  path: string | undefined;
}

/** Looks up what a URL should serve; URLs it knows nothing of are checked by status. */
export interface ExpectedContent {
  expectationOf(url: string): Promise<Expectation>;
}

/** A file's hash and size. */
export interface FileHash {
  sha256: string;
  size: number;
}

/**
 * Reads a file as a commit has it: its SHA-256 and size, or only its size when it is larger than `maxBytes` (not
 * read). git reads the blob (docs/verify.md#what-is-compared); the GitHub API its contents.
 */
export interface FileVersions {
  hash(commit: string, path: string, maxBytes: number): Promise<FileHash | { size: number }>;
}

/** Explicit URLs: no file behind any of them. */
export const STATUS_ONLY: ExpectedContent = {
  expectationOf: async () => ({ expected: { kind: 'status' }, previousSha256: undefined, path: undefined }),
};

/**
 * The changed files of a comparison: a URL of an added or modified file expects the file at `comparison.to`, and
 * is stale if it serves the one at `comparison.from`; a deleted file's URL expects 404 or 410. A URL of no changed
 * file is checked by status.
 */
export function commitExpectations(
  files: readonly MappedFile[],
  comparison: Comparison,
  versions: FileVersions,
  maxBytes: number,
): ExpectedContent {
  return changedFileExpectations(files, async (file, side) => {
    if (side === 'before')
      return file.status === 'A' ? undefined : versions.hash(comparison.from, file.path, maxBytes);
    return versions.hash(comparison.to, file.path, maxBytes);
  });
}

/**
 * The changed files of a content manifest (`changed-files-source: content`): as for a comparison, with the hashes
 * of this run's manifest and of the last delivered deploy's. The folder was hashed whole: no file is read again.
 */
export function manifestExpectations(
  files: readonly MappedFile[],
  current: Manifest,
  previous: Manifest | undefined,
  maxBytes: number,
): ExpectedContent {
  return changedFileExpectations(files, async (file, side) => {
    const entry = (side === 'before' ? previous : current)?.get(file.path);
    if (!entry) return undefined;
    return entry.size > maxBytes ? { size: entry.size } : { sha256: entry.hash, size: entry.size };
  });
}

/** A file's version before or after the deploy: hashed, too large to hash (its size), or none. */
type VersionOf = (
  file: MappedFile,
  side: 'before' | 'after',
) => Promise<FileHash | { size: number } | undefined>;

function changedFileExpectations(files: readonly MappedFile[], versionOf: VersionOf): ExpectedContent {
  const fileOf = new Map<string, MappedFile>();
  for (const file of files) for (const url of file.urls) fileOf.set(url, file);
  return {
    async expectationOf(url) {
      const file = fileOf.get(url);
      if (!file) return STATUS_ONLY.expectationOf(url);
      const previous = await versionOf(file, 'before');
      const previousSha256 = previous && hashed(previous) ? previous.sha256 : undefined;
      const current = file.deleted ? undefined : await versionOf(file, 'after');
      if (!current) return { expected: { kind: 'deleted' }, previousSha256, path: file.path };
      const expected: Expected = hashed(current)
        ? { kind: 'file', sha256: current.sha256, size: current.size }
        : { kind: 'too-large', size: current.size };
      return { expected, previousSha256, path: file.path };
    },
  };
}

function hashed(version: FileHash | { size: number }): version is FileHash {
  return 'sha256' in version;
}

/** SHA-256 of bytes, in hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
