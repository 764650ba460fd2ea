import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangedFilesSource, Log } from '../settings.js';
import { flatten } from '../text.js';
import { type Git, GitCommandError } from './git.js';

/**
 * Where the changed files are listed. `auto`: git when the workspace is a checkout of the run's repository (its
 * top folder, and an `origin` that names GITHUB_REPOSITORY when both are known), else the GitHub API: a deploy job
 * that downloaded its build, or checked out another repository. `git` fails without a repository.
 */
export async function chooseSource(
  source: Exclude<ChangedFilesSource, 'content'>,
  git: Git,
  workspace: string,
  repository: string | undefined,
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
  const reason = await whyNotACheckout(git, workspace, repository);
  if (reason === undefined) return 'git';
  log.info(
    `changed-files: ${reason}, so the changed files come from the GitHub API (changed-files-source: auto).`,
  );
  return 'api';
}

/** Undefined when the workspace is a checkout of the repository; else why not, for the log. */
async function whyNotACheckout(
  git: Git,
  workspace: string,
  repository: string | undefined,
): Promise<string | undefined> {
  const notACheckout = `${workspace} is not a git checkout`;
  let top: string | undefined;
  try {
    top = await git.attempt(['rev-parse', '--show-toplevel']);
  } catch (error) {
    // git is not installed: no checkout can be read either.
    if (error instanceof GitCommandError)
      return `${workspace} cannot be read as a git checkout (${error.message})`;
    throw error;
  }
  // git runs with GIT_CEILING_DIRECTORIES above the workspace: a repository it finds is the workspace's own.
  if (top === undefined || top === '') return notACheckout + checkoutBelow(workspace);
  const origin = repository ? await git.attempt(['remote', 'get-url', 'origin']) : undefined;
  if (repository && origin && !namesRepository(origin, repository)) {
    return `the checkout in ${workspace} is of another repository (origin ${flatten(redactCredentials(origin))}), not ${repository}`;
  }
  return undefined;
}

/** `https://github.com/o/r`, `https://github.com/o/r.git`, `git@github.com:o/r.git`: the path ends in `o/r`. */
function namesRepository(url: string, repository: string): boolean {
  const path = url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
  const name = repository.toLowerCase();
  return path.endsWith(`/${name}`) || path.endsWith(`:${name}`);
}

/** A remote URL may carry a token (`https://x-access-token:…@github.com/…`): never log it. */
function redactCredentials(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}

/** A hint when a checkout lies one folder down (actions/checkout with `path:`), which git in the workspace misses. */
export function checkoutBelow(workspace: string): string {
  let folders: string[];
  try {
    folders = readdirSync(workspace, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(workspace, entry.name, '.git')))
      .map((entry) => entry.name);
  } catch {
    return '';
  }
  const [first] = folders;
  if (first === undefined) return '';
  return ` (a checkout is in ${first}/, as actions/checkout with path: ${first} makes: changed-files reads git in the workspace itself, so check out without path: to list the changes with git)`;
}
