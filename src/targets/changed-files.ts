import type { ChangedFilesSettings, Log } from '../settings.js';
import { type Comparison, resolveComparison } from './commits.js';
import { parseRawDiff } from './diff.js';
import { compareRequest, readEvent } from './event.js';
import { execGit, Git, type GitExec } from './git.js';
import { type ChangedFileMapping, mapChangedFiles } from './url-map.js';

export interface ChangedFiles {
  /** Undefined when there was nothing to compare (the push deleted its branch). */
  comparison: Comparison | undefined;
  mapping: ChangedFileMapping;
}

export interface ChangedFilesOptions {
  /** Runs git; the real one by default. */
  exec?: GitExec;
  /** Where git's fetches and the choice of commits are reported. */
  log: Log;
}

/**
 * The files the deploy commit changed, mapped to URLs. The repository is GITHUB_WORKSPACE (or the current
 * folder); the commits come from the event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH) or the since input.
 */
export async function findChangedFiles(
  settings: ChangedFilesSettings,
  env: Record<string, string | undefined>,
  options: ChangedFilesOptions,
): Promise<ChangedFiles> {
  const { log } = options;
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
