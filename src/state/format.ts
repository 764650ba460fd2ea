/**
 * The deploy state kept between runs, and its JSON (docs/state.md#the-state-file). Read back from a cache that any
 * step of the repository could have written, so it is checked like an input; a state that fails is ignored.
 */
import { checkDirectory, checkUrl } from '../inputs/urls.js';
import type { Manifest } from '../targets/manifest.js';

export const STATE_FORMAT = 1;

/** How a pending target is sent: a file URL (purged, and prefetched with purge-prefetch), a directory, a deleted file's URL. */
export const PENDING_KINDS = ['url', 'path', 'purge-only'] as const;
export type PendingKind = (typeof PENDING_KINDS)[number];

/** A target a run could not deliver, sent again by the next; `since` is the time of the first run that failed it. */
export interface PendingTarget {
  target: string;
  kind: PendingKind;
  since: string;
}

export interface DeployState {
  /** When the run that wrote it ended (ISO 8601). */
  savedAt: string;
  /** With changed-files-source: content, what every file held when it was last delivered. */
  manifest: Manifest | undefined;
  pending: PendingTarget[];
}

/** Bounds of a state read back: far above a real site, low enough that a forged one cannot exhaust the runner. */
export const STATE_LIMITS = { files: 5_000_000, pending: 1_000_000, pathLength: 4096 } as const;

export function serializeState(state: DeployState): string {
  const manifest: Record<string, { hash: string; size: number }> | null = state.manifest ? {} : null;
  if (manifest && state.manifest) for (const [path, entry] of state.manifest) manifest[path] = entry;
  return JSON.stringify({ format: STATE_FORMAT, savedAt: state.savedAt, manifest, pending: state.pending });
}

/** The state in `text`, or why it cannot be used. `baseUrls`: a pending target must lie under one (empty: any). */
export function parseState(text: string, baseUrls: readonly string[]): DeployState | { invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { invalid: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(value)) return { invalid: 'not a JSON object' };
  if (value.format !== STATE_FORMAT)
    return { invalid: `format ${JSON.stringify(value.format)}, this version reads format ${STATE_FORMAT}` };
  if (!isDate(value.savedAt)) return { invalid: 'savedAt is not a date' };
  const manifest = value.manifest === null ? undefined : readManifest(value.manifest);
  if (typeof manifest === 'string') return { invalid: manifest };
  const pending = readPending(value.pending, baseUrls);
  if (typeof pending === 'string') return { invalid: pending };
  return { savedAt: value.savedAt, manifest, pending };
}

function readManifest(value: unknown): Manifest | string {
  if (!isObject(value)) return 'manifest is not an object';
  const manifest: Manifest = new Map();
  for (const path in value) {
    if (manifest.size >= STATE_LIMITS.files) return `manifest has more than ${STATE_LIMITS.files} files`;
    const entry = value[path];
    if (!isSafePath(path))
      return `manifest names a path that is not a relative path: ${JSON.stringify(path.slice(0, 200))}`;
    if (
      !isObject(entry) ||
      typeof entry.hash !== 'string' ||
      !SHA256.test(entry.hash) ||
      !Number.isSafeInteger(entry.size) ||
      (entry.size as number) < 0
    )
      return `manifest entry of ${JSON.stringify(path.slice(0, 200))} is not {hash: 64 hex digits, size: bytes}`;
    manifest.set(path, { hash: entry.hash, size: entry.size as number });
  }
  return manifest;
}

function readPending(value: unknown, baseUrls: readonly string[]): PendingTarget[] | string {
  if (!Array.isArray(value)) return 'pending is not a list';
  if (value.length > STATE_LIMITS.pending) return `pending has more than ${STATE_LIMITS.pending} targets`;
  const pending: PendingTarget[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.target !== 'string' || !isDate(item.since))
      return 'a pending entry is not {target, kind, since}';
    const { target, since } = item;
    const kind = PENDING_KINDS.find((known) => known === item.kind);
    if (!kind) return `a pending entry's kind is not one of ${PENDING_KINDS.join(', ')}`;
    try {
      (kind === 'path' ? checkDirectory : checkUrl)('state', target);
    } catch (error) {
      return `pending target ${error instanceof Error ? error.message : String(error)}`;
    }
    if (baseUrls.length > 0 && !baseUrls.some((base) => target.startsWith(base)))
      return `pending target ${JSON.stringify(target.slice(0, 200))} lies under none of the sites' base URLs (${baseUrls.join(', ')})`;
    pending.push({ target, kind, since });
  }
  return pending;
}

const SHA256 = /^[0-9a-f]{64}$/;

function isSafePath(path: string): boolean {
  return (
    path !== '' &&
    path.length <= STATE_LIMITS.pathLength &&
    !path.startsWith('/') &&
    !path.includes('\0') &&
    !path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  );
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
