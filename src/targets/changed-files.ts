import { InputError } from '../errors.js';
import type { ChangedFilesSettings, Log } from '../settings.js';
import { quote } from '../text.js';
import { type Comparison, resolveComparison } from './commits.js';
import { parseRawDiff } from './diff.js';
import { compareRequest, readEvent } from './event.js';
import { execGit, Git, type GitExec } from './git.js';
import { type ChangedFileMapping, mapChangedFiles, servedUrls } from './url-map.js';

export interface ChangedFiles {
  /** Undefined when there was nothing to compare (the push deleted its branch). */
  comparison: Comparison | undefined;
  mapping: ChangedFileMapping;
  /**
   * The URLs of every file under root-dir at the deploy commit (git ls-tree): what a directory purge would also
   * purge. Undefined when there was nothing to compare.
   */
  siteFiles: string[] | undefined;
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
  if (!comparison) return { comparison, mapping: mapChangedFiles([], settings), siteFiles: undefined };
  await checkRootDir(git, comparison, settings.rootDir);
  const entries = parseRawDiff(await git.diff(comparison.from, comparison.to));
  const siteFiles = servedUrls(await git.files(comparison.to, settings.rootDir), settings);
  return { comparison, mapping: mapChangedFiles(entries, settings), siteFiles };
}

/**
 * A root-dir that is a folder at neither compared commit is a typo far more often than a site that moved: refused,
 * with the folders that do exist.
 */
async function checkRootDir(git: Git, { from, to }: Comparison, rootDir: string): Promise<void> {
  if (rootDir === '') return;
  for (const commit of [to, from]) {
    if ((await git.folders(commit, rootDir)).length > 0) return;
  }
  const folders = await git.folders(to);
  const existing =
    folders.length > 0
      ? `the folders at the top of the repository are ${folders.map((folder) => quote(folder)).join(', ')}`
      : 'the repository has no folder at its top';
  throw new InputError(
    'root-dir',
    rootDir,
    `no such folder in either compared commit (${to.slice(0, 7)}, ${from.slice(0, 7)}); ${existing}. root-dir is the folder of the repository served at base-url, relative to its top`,
  );
}

async function checkRepository(git: Git, workspace: string): Promise<void> {
  if ((await git.attempt(['rev-parse', '--git-dir'])) === undefined) {
    throw new Error(
      `changed-files: ${workspace} is not a git repository; check the repository out first (actions/checkout) into the workspace`,
    );
  }
}
