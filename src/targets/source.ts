import { realpath } from 'node:fs/promises';
import type { ChangedFilesSource, Log } from '../settings.js';
import { type Git, GitCommandError } from './git.js';

/**
 * Where the changed files are listed. `auto`: git when the workspace is the top folder of a git checkout, else the
 * GitHub API (a deploy job that downloaded its build instead of checking the repository out); `git` fails
 * without a repository.
 */
export async function chooseSource(
  source: ChangedFilesSource,
  git: Git,
  workspace: string,
  log: Log,
): Promise<'git' | 'api'> {
  if (source === 'api') return 'api';
  if (source === 'git') {
    if ((await git.attempt(['rev-parse', '--git-dir'])) === undefined) {
      throw new Error(
        `changed-files: ${workspace} is not a git repository; check the repository out first (actions/checkout) into the workspace, or set changed-files-source: api to list the changed files through the GitHub API`,
      );
    }
    return 'git';
  }
  if (await isCheckout(git, workspace)) return 'git';
  log.info(
    `changed-files: ${workspace} is not a git checkout, so the changed files come from the GitHub API (changed-files-source: auto).`,
  );
  return 'api';
}

async function isCheckout(git: Git, workspace: string): Promise<boolean> {
  let top: string | undefined;
  try {
    top = await git.attempt(['rev-parse', '--show-toplevel']);
  } catch (error) {
    // git is not installed: no checkout can be read either.
    if (error instanceof GitCommandError) return false;
    throw error;
  }
  if (top === undefined || top === '') return false;
  const [topReal, workspaceReal] = await Promise.all([realpath(top), realpath(workspace)]).catch(() => []);
  return topReal !== undefined && topReal === workspaceReal;
}
