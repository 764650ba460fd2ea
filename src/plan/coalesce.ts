/**
 * Coalescing (`coalesce: auto`): a URL purge larger than today's URL quota becomes purges of the directories the
 * URLs lie under, chosen by the cover selection (cover.ts), so that the job fits both the URL and the directory
 * quota. Pure: the plan and today's quotas in, the fitted plan out.
 */
import type { ApiSpec, Quota } from '../providers/provider.js';
import type { CoalesceMode, OperationKind, QuotaReserve, Settings } from '../settings.js';
import type { ChangedFiles } from '../targets/changed-files.js';
import { thousands } from '../text.js';
import { chooseCover } from './cover.js';
import { type PlannedOperation, plannedOperation } from './operations.js';
import { describeShortfall, fitToQuotas, type Shortfall, withReserve } from './quota.js';

/** What coalescing knows of the run besides the plan. */
export interface Coalescing {
  mode: CoalesceMode;
  /** With changed-files: the URLs of every file served at the deploy commit (what a directory purge also purges). */
  siteFiles: readonly string[] | undefined;
  /** Directories purged only when nothing deeper fits: every site's base URL (the hosts' roots always are). */
  floors: readonly string[];
  /** `quota-reserve`: what the plan leaves of each daily quota; none when not given. */
  reserve?: QuotaReserve;
}

export function coalescingOf(settings: Settings, changed: ChangedFiles | undefined): Coalescing {
  return {
    mode: settings.coalesce,
    siteFiles: changed ? changed.siteFiles : undefined,
    floors: settings.changedFiles ? settings.changedFiles.sites.map((site) => site.baseUrl) : [],
    reserve: settings.quotaReserve,
  };
}

/** The quotas to read: with coalescing, the directory quota too, whenever URLs are purged. */
export function quotaKinds(
  operations: readonly PlannedOperation[],
  coalescing: Coalescing,
  apis: Partial<Record<OperationKind, ApiSpec>>,
): OperationKind[] {
  const kinds = new Set(operations.map((operation) => operation.kind));
  if (coalescing.mode === 'auto' && kinds.has('purge-urls') && apis['purge-paths']) kinds.add('purge-paths');
  return [...kinds];
}

export interface FittedPlan {
  operations: PlannedOperation[];
  shortfalls: Shortfall[];
  /** For the log: a directory at or above base-url or a host's root is purged; or coalescing could not fit. */
  warnings: string[];
}

/** Coalesces where needed, then fits batch sizes to today's quotas and names what still does not fit. */
export function fitPlan(
  operations: readonly PlannedOperation[],
  quotas: Partial<Record<OperationKind, Quota>>,
  coalescing: Coalescing,
  apis: Partial<Record<OperationKind, ApiSpec>>,
): FittedPlan {
  const usable = coalescing.reserve ? withReserve(quotas, coalescing.reserve) : quotas;
  const coalesced = coalesce(operations, usable, coalescing, apis);
  const fitted = fitToQuotas(coalesced.operations, usable);
  return { ...fitted, warnings: coalesced.warnings };
}

/** The message of a plan that does not fit: nothing is sent. */
export function describeShortfalls(shortfalls: readonly Shortfall[]): string {
  return `not sent: today's quota is too small for this job: ${shortfalls.map(describeShortfall).join('; ')}`;
}

function coalesce(
  operations: readonly PlannedOperation[],
  quotas: Partial<Record<OperationKind, Quota>>,
  coalescing: Coalescing,
  apis: Partial<Record<OperationKind, ApiSpec>>,
): { operations: PlannedOperation[]; warnings: string[] } {
  const unchanged = { operations: [...operations], warnings: [] };
  const urlOperation = operations.find((operation) => operation.kind === 'purge-urls');
  const urlQuota = quotas['purge-urls'];
  if (coalescing.mode === 'off' || !urlOperation || !urlQuota) return unchanged;
  if (urlOperation.targets.length <= urlQuota.available) return unchanged;
  const pathOperation = operations.find((operation) => operation.kind === 'purge-paths');
  const pathQuota = quotas['purge-paths'];
  const givenPaths = pathOperation?.targets ?? [];
  const directoriesLeft = pathQuota ? pathQuota.available - givenPaths.length : 0;
  const cover =
    directoriesLeft > 0 && apis['purge-paths']
      ? chooseCover({
          urls: urlOperation.targets,
          budget: {
            urls: urlQuota.available,
            directories: directoriesLeft,
            daily: pathQuota && { urls: urlQuota.total, directories: pathQuota.total },
          },
          siteFiles: coalescing.siteFiles,
          floors: coalescing.floors,
        })
      : undefined;
  if (!cover) {
    const why = pathQuota
      ? `${thousands(Math.max(0, directoriesLeft))} directory purges are left today and no choice of that many directories leaves at most ${thousands(urlQuota.available)} URLs`
      : "today's directory quota is not known";
    return { ...unchanged, warnings: [`Coalescing cannot fit the URL purge: ${why}.`] };
  }

  const directories = cover.directories.map((directory) => directory.url);
  const covered = cover.directories.reduce((sum, directory) => sum + directory.urls, 0);
  const collateral =
    cover.collateral === undefined
      ? ' Directories chosen as deep as possible: without changed-files, the files under them that did not change are not known.'
      : ` The directories also hold ${thousands(cover.collateral)} files this deploy did not change, purged too (the fewest of the choices tried).`;
  const note = `${thousands(covered)} URLs under ${thousands(directories.length)} ${directories.length === 1 ? 'directory' : 'directories'} purged as directories to fit today's quota (${thousands(urlQuota.available)} URL and ${thousands(directoriesLeft)} directory purges available); ${thousands(cover.urls.length)} URLs purged one by one.${collateral}`;
  const warnings = cover.aboveFloor
    ? [
        `Nothing below ${coalescing.floors.length > 0 ? `base-url (${coalescing.floors.join(', ')}) and ` : ''}the hosts' roots fits today's quota: purging ${directories.join(', ')}.`,
      ]
    : [];
  const allDirectories = [...givenPaths, ...directories];
  const kept = cover.urls;
  const pathsPlanned: PlannedOperation = {
    ...(pathOperation ?? plannedOperation('purge-paths', [], apis, 0)),
    targets: allDirectories,
    notes: [...(pathOperation?.notes ?? []), note, ...warnings],
  };
  const shaped = operations.flatMap((operation): PlannedOperation[] => {
    if (operation === urlOperation) {
      const urls = kept.length > 0 ? [{ ...operation, targets: kept }] : [];
      return pathOperation ? urls : [...urls, pathsPlanned];
    }
    return operation === pathOperation ? [pathsPlanned] : [operation];
  });
  return { operations: shaped, warnings };
}
