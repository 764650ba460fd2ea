/** What the deploy state adds to a run, and what the run leaves to the next (docs/state.md#nothing-left-behind). */
import { liesUnder } from '../plan/directories.js';
import type { PlanTargets } from '../plan/operations.js';
import type { Manifest } from '../targets/manifest.js';
import type { MappedFile } from '../targets/url-map.js';
import type { DeployState, PendingKind, PendingTarget } from './format.js';

/**
 * The targets earlier runs could not deliver, added to this run's: file URLs with the URLs (prefetched too with
 * purge-prefetch), directories with the paths, deleted files' URLs purged only. What this mode cannot send (a
 * directory in a prefetch) stays pending as it is.
 */
export function withCarried(
  targets: PlanTargets,
  pending: readonly PendingTarget[],
): { targets: PlanTargets; sent: PendingTarget[]; kept: PendingTarget[] } {
  const purges = targets.mode === 'purge' || targets.mode === 'purge-prefetch';
  const sendable = (kind: PendingKind): boolean => kind === 'url' || purges;
  const sent = pending.filter((item) => sendable(item.kind));
  const of = (kind: PendingKind): string[] =>
    sent.filter((item) => item.kind === kind).map((item) => item.target);
  return {
    targets: {
      ...targets,
      urls: [...targets.urls, ...of('url')],
      paths: [...targets.paths, ...of('path')],
      purgeOnlyUrls: [...(targets.purgeOnlyUrls ?? []), ...of('purge-only')],
    },
    sent,
    kept: pending.filter((item) => !sendable(item.kind)),
  };
}

/** A run as the next state needs to know it. */
export interface RunForState {
  /** When the run ends (ISO 8601): the state's savedAt, and `since` of what it fails first. */
  now: string;
  /** What the run was asked to send, the carried targets included: says how each target is sent again. */
  targets: PlanTargets;
  /** Carried targets that were sent (their `since` is kept) and those this mode could not send. */
  carried: { sent: readonly PendingTarget[]; kept: readonly PendingTarget[] };
  /** With changed-files-source: content, the manifests compared and the files that differ. */
  content: { previous: Manifest | undefined; current: Manifest; files: readonly MappedFile[] } | undefined;
}

/**
 * The state for the next run, given every target this run did not deliver (its `failed` list; stale URLs found
 * after verification can be added). A changed file any of whose URLs was not delivered, or lies under a directory
 * that was not, keeps its old manifest entry, so the next run finds it changed again; an added one has none, so
 * it is left out of the manifest and its URLs are kept as pending purges too (it may be deleted by the next run).
 * Any other target not delivered is kept pending; hosts, cache tags and other non-URL targets are not carried.
 */
export function stateForNextRun(run: RunForState, undelivered: ReadonlySet<string>): DeployState {
  const directories = new Set([...undelivered].filter((target) => target.endsWith('/')));
  const missed = (url: string): boolean => undelivered.has(url) || liesUnder(url, directories);
  const since = new Map(run.carried.sent.map((item) => [item.target, item.since]));
  const pending: PendingTarget[] = [...run.carried.kept];
  const handledByManifest = new Set<string>();
  let manifest: Manifest | undefined;
  if (run.content) {
    const { previous, current, files } = run.content;
    manifest = new Map(current);
    for (const file of files) {
      if (file.skipped) continue;
      for (const url of file.urls) handledByManifest.add(url);
      if (!file.urls.some(missed)) continue;
      const before = previous?.get(file.path);
      if (before) {
        manifest.set(file.path, before);
        continue;
      }
      // A new file not delivered has no old entry to keep: its URLs wait as purges, in case it is gone by then.
      manifest.delete(file.path);
      for (const target of file.urls)
        pending.push({ target, kind: 'purge-only', since: since.get(target) ?? run.now });
    }
  }
  const paths = new Set(run.targets.paths);
  const urls = new Set(run.targets.urls);
  const purgeOnly = new Set(run.targets.purgeOnlyUrls ?? []);
  for (const target of undelivered) {
    if (!/^https?:\/\//i.test(target) || handledByManifest.has(target)) continue;
    const coalesced = target.endsWith('/') && !paths.has(target) && !urls.has(target);
    // With content, the files under a coalesced directory keep their old entries: the directory need not wait.
    if (coalesced && run.content) continue;
    const kind: PendingKind =
      paths.has(target) || coalesced
        ? 'path'
        : purgeOnly.has(target) && !urls.has(target)
          ? 'purge-only'
          : 'url';
    pending.push({ target, kind, since: since.get(target) ?? run.now });
  }
  return { savedAt: run.now, manifest, pending };
}

/** What the log and the summary say of the carried targets: how many, and since when (the oldest). */
export interface CarriedOver {
  count: number;
  since: string;
  targets: string[];
}

export function carriedOver(pending: readonly PendingTarget[]): CarriedOver | undefined {
  if (pending.length === 0) return undefined;
  const since = pending.reduce(
    (oldest, item) => (item.since < oldest ? item.since : oldest),
    pending[0]?.since ?? '',
  );
  return { count: pending.length, since, targets: pending.map((item) => item.target) };
}
