import * as core from '@actions/core';
import type { ChangedFilesSettings } from '../inputs/changed-files.js';
import type { Settings } from '../inputs/read-settings.js';
import type { PlannedOperation, PlanTargets } from '../plan/operations.js';
import { escapeHtml, logLines } from '../report/report.js';
import { count, hasControlCharacter, quote } from '../text.js';
import { type Comparison, type Log, resolveComparison } from './commits.js';
import { parseRawDiff } from './diff.js';
import { compareRequest, readEvent } from './event.js';
import { execGit, Git, type GitExec } from './git.js';
import { type ChangedFileMapping, type MappedFile, mapChangedFiles } from './url-map.js';

export interface ChangedFiles {
  /** Undefined when there was nothing to compare (the push deleted its branch). */
  comparison: Comparison | undefined;
  mapping: ChangedFileMapping;
}

export interface ChangedFilesOptions {
  /** Runs git; the real one by default. */
  exec?: GitExec;
  log?: Log;
}

const CORE_LOG: Log = { info: core.info, warning: core.warning };

/**
 * The files the deploy commit changed, mapped to URLs. The repository is GITHUB_WORKSPACE (or the current
 * folder); the commits come from the event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH) or the since input.
 */
export async function findChangedFiles(
  settings: ChangedFilesSettings,
  env: Record<string, string | undefined>,
  options: ChangedFilesOptions = {},
): Promise<ChangedFiles> {
  const log = options.log ?? CORE_LOG;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const git = new Git(options.exec ?? execGit(workspace, env), workspace, log.info);
  await checkRepository(git, workspace);
  const request = compareRequest(readEvent(env, settings.since === undefined), settings.since);
  const comparison = await resolveComparison(git, request, log);
  const entries = comparison ? parseRawDiff(await git.diff(comparison.from, comparison.to)) : [];
  return { comparison, mapping: mapChangedFiles(entries, settings) };
}

async function checkRepository(git: Git, workspace: string): Promise<void> {
  if ((await git.attempt(['rev-parse', '--git-dir'])) === undefined) {
    throw new Error(
      `changed-files: ${workspace} is not a git repository; check the repository out first (actions/checkout) into the workspace`,
    );
  }
}

/** The explicit targets plus the changed files' URLs: deleted files' URLs are purged, never prefetched. */
export function withChangedFiles(settings: Settings, changed: ChangedFiles | undefined): PlanTargets {
  if (!changed) return settings;
  return {
    ...settings,
    urls: [...settings.urls, ...changed.mapping.urls],
    purgeOnlyUrls: changed.mapping.purgeOnlyUrls,
  };
}

/** One log group with every changed file, its status and URLs; a notice when nothing is left to send. */
export function logChangedFiles(changed: ChangedFiles, operations: readonly PlannedOperation[]): void {
  const { files } = changed.mapping;
  const urls = changed.mapping.urls.length + changed.mapping.purgeOnlyUrls.length;
  core.startGroup(
    `Changed files (${changed.comparison?.description ?? 'nothing to compare'}): ${count(files.length, 'file')}, ${count(urls, 'URL')}`,
  );
  core.info(logLines(files.map(describeFile)));
  core.endGroup();
  if (operations.length === 0) {
    core.notice('changed-files: no changed file maps to a URL; nothing to purge or prefetch.');
  }
}

/** `M  blog/a b.html -> https://…/blog/a%20b.html`, or `M  README.md: outside root-dir`. */
export function describeFile(file: MappedFile): string {
  const name = hasControlCharacter(file.path) ? quote(file.path) : file.path;
  if (file.skipped) return `${file.status}  ${name}: ${file.skipped}, skipped`;
  return `${file.status}  ${name} -> ${file.urls.join(' ')}${file.deleted ? ' (deleted: purge only)' : ''}`;
}

/** Counts for the job summary, as one HTML paragraph. */
export function changedFilesSummary(changed: ChangedFiles): string {
  const { files, urls, purgeOnlyUrls } = changed.mapping;
  const skipped = new Map<string, number>();
  for (const file of files) if (file.skipped) skipped.set(file.skipped, (skipped.get(file.skipped) ?? 0) + 1);
  const parts = [
    `${count(files.length, 'changed file')}`,
    `${count(urls.length, 'URL')} of added or modified files`,
    `${count(purgeOnlyUrls.length, 'URL')} of deleted files (purged only)`,
    ...[...skipped].map(([reason, n]) => `${n} skipped: ${reason}`),
  ];
  const compared = changed.comparison ? escapeHtml(changed.comparison.description) : 'nothing to compare';
  return `<p>Changed files (<code>${compared}</code>): ${parts.join(', ')}.</p>`;
}
