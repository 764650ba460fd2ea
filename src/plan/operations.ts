import type { ApiSpec, Quota } from '../providers/provider.js';
import type { OperationKind, Settings } from '../settings.js';
import type { ChangedFiles } from '../targets/changed-files.js';
import { thousands } from '../text.js';
import { coveringDirectory } from './directories.js';

export interface PlannedOperation {
  kind: OperationKind;
  /** For people: "Purge URLs", "Prefetch URLs", … */
  title: string;
  api: ApiSpec;
  targets: string[];
  /** Operations of phase 0 finish before those of phase 1 start (purge, then prefetch). */
  phase: 0 | 1;
  /** A target that failed in this earlier operation is not submitted here: only what was purged is warmed. */
  after: OperationKind | undefined;
  /** How the plan shaped this operation, for the log and the summary (URLs left out, URLs coalesced). */
  notes?: string[];
  /** Today's quota the plan was fitted to, when the provider has one for this kind. */
  quota?: Quota;
}

const TITLES: Record<OperationKind, string> = {
  'purge-urls': 'Purge URLs',
  'purge-paths': 'Purge directories',
  'purge-hosts': 'Purge hosts',
  'purge-tags': 'Purge cache tags',
  'purge-all': 'Purge the whole zone',
  'purge-regex': 'Purge by regular expression',
  prefetch: 'Prefetch URLs',
  unblock: 'Unblock URLs',
};

/** What to submit: `purgeOnlyUrls` are purged but never prefetched (the URLs of deleted files). */
export type PlanTargets = Pick<Settings, 'mode' | 'urls' | 'paths'> & {
  purgeOnlyUrls?: readonly string[];
  /** The provider's own purge targets (hosts, cache tags, regexes, a whole zone). */
  providerTargets?: Settings['providerSettings']['targets'];
};

/** The explicit and the provider's own targets, plus the changed files' URLs: deleted files' are purged only. */
export function planTargets(settings: Settings, changed: ChangedFiles | undefined): PlanTargets {
  const { mode, urls, paths, providerSettings } = settings;
  return {
    mode,
    urls: changed ? [...urls, ...changed.mapping.urls] : urls,
    paths,
    purgeOnlyUrls: changed?.mapping.purgeOnlyUrls ?? [],
    providerTargets: providerSettings.targets,
  };
}

/** Groups the targets into the operations the mode asks for, each with the API that carries it out. */
export function planOperations(
  targets: PlanTargets,
  apis: Partial<Record<OperationKind, ApiSpec>>,
): PlannedOperation[] {
  const { mode, paths } = targets;
  const urls = [...new Set(targets.urls)];
  const { kept: purgeUrls, notes } = withoutUrlsUnder(
    [...new Set([...urls, ...(targets.purgeOnlyUrls ?? [])])],
    paths,
  );
  const operations: PlannedOperation[] = [];
  const add = (kind: OperationKind, targets: string[], phase: 0 | 1, after?: OperationKind): void => {
    if (targets.length === 0) return;
    operations.push(plannedOperation(kind, targets, apis, phase, after));
  };
  if (mode === 'purge' || mode === 'purge-prefetch') {
    add('purge-urls', purgeUrls, 0);
    add('purge-paths', paths, 0);
    const directories = operations.find((operation) => operation.kind === 'purge-paths');
    if (directories && notes.length > 0) directories.notes = notes;
    for (const own of targets.providerTargets ?? []) add(own.kind, own.targets, 0);
  }
  if (mode === 'prefetch') add('prefetch', urls, 0);
  if (mode === 'purge-prefetch') add('prefetch', urls, 1, 'purge-urls');
  if (mode === 'unblock') add('unblock', urls, 0);
  return operations;
}

/** One operation of `kind`, carried out by the provider's API for it. */
export function plannedOperation(
  kind: OperationKind,
  targets: string[],
  apis: Partial<Record<OperationKind, ApiSpec>>,
  phase: 0 | 1,
  after?: OperationKind,
): PlannedOperation {
  const api = apis[kind];
  if (!api) throw new Error(`the provider has no API for ${kind}`);
  return { kind, title: TITLES[kind], api, targets, phase, after };
}

/**
 * No double work: a URL under a directory the run purges is not purged again on its own. The note counts what was
 * left out, by directory (the first few).
 */
export function withoutUrlsUnder(
  urls: readonly string[],
  directories: readonly string[],
): { kept: string[]; notes: string[] } {
  const purged = new Set(directories);
  const leftOut = new Map<string, number>();
  const kept = urls.filter((url) => {
    const directory = coveringDirectory(url, purged);
    if (directory !== undefined) leftOut.set(directory, (leftOut.get(directory) ?? 0) + 1);
    return directory === undefined;
  });
  if (leftOut.size === 0) return { kept, notes: [] };
  const shown = [...leftOut]
    .slice(0, NOTED_DIRECTORIES)
    .map(([directory, n]) => `${directory}: ${thousands(n)}`);
  const more = leftOut.size > NOTED_DIRECTORIES ? `, and ${leftOut.size - NOTED_DIRECTORIES} more` : '';
  return {
    kept,
    notes: [
      `${thousands(urls.length - kept.length)} ${urls.length - kept.length === 1 ? 'URL' : 'URLs'} not purged one by one: each lies under a directory this run purges (${shown.join(', ')}${more}).`,
    ],
  };
}

const NOTED_DIRECTORIES = 5;

/** Splits a list into consecutive batches of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer, not ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** Every distinct target of the plan, in order: the `urls` output. */
export function plannedTargets(operations: readonly PlannedOperation[]): string[] {
  return [...new Set(operations.flatMap((op) => op.targets))];
}
