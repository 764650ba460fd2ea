import type { ChangedFilesSettings, DeliverySettings, Log } from '../settings.js';
import { type ChangeList, listApiChanges } from './api-changes.js';
import { type Comparison, resolveComparison } from './commits.js';
import { parseRawDiff } from './diff.js';
import { type CompareRequest, compareRequest, readEvent } from './event.js';
import { execGit, Git, type GitExec } from './git.js';
import { GitHubApi } from './github-api.js';
import { chooseSource } from './source.js';
import { type ChangedFileMapping, mapChangedFiles } from './url-map.js';

export interface ChangedFiles {
  /** Undefined when there was nothing to compare (the push deleted its branch). */
  comparison: Comparison | undefined;
  mapping: ChangedFileMapping;
}

export interface ChangedFilesOptions {
  /** Runs git; the real one by default. */
  exec?: GitExec;
  /** Where git's fetches, the GitHub API's waits and the choice of commits are reported. */
  log: Log;
  /** The GitHub API's rate limits are waited out within `timeoutMs`; 5xx answers retried `maxAttempts` times. */
  limits: Pick<DeliverySettings, 'timeoutMs' | 'maxAttempts'>;
}

/**
 * The files the deploy commit changed, mapped to URLs: from git in the workspace (GITHUB_WORKSPACE, or the
 * current folder), or from the GitHub REST API when there is no checkout (`changed-files-source`). The commits
 * come from the event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH) or the since input.
 */
export async function findChangedFiles(
  settings: ChangedFilesSettings,
  env: Record<string, string | undefined>,
  options: ChangedFilesOptions,
): Promise<ChangedFiles> {
  const { log } = options;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const git = new Git(options.exec ?? execGit(workspace, env), workspace, log.info);
  const source = await chooseSource(settings.source, git, workspace, env.GITHUB_REPOSITORY, log);
  const request = compareRequest(readEvent(env, settings.since === undefined), settings.since);
  const { comparison, entries } =
    source === 'git'
      ? await listGitChanges(git, request, log)
      : await fromApi(settings, env, request, options);
  return { comparison, mapping: mapChangedFiles(entries, settings) };
}

async function listGitChanges(git: Git, request: CompareRequest, log: Log): Promise<ChangeList> {
  const comparison = await resolveComparison(git, request, log);
  const entries = comparison ? parseRawDiff(await git.diff(comparison.from, comparison.to)) : [];
  return { comparison, entries };
}

async function fromApi(
  settings: ChangedFilesSettings,
  env: Record<string, string | undefined>,
  request: CompareRequest,
  options: ChangedFilesOptions,
): Promise<ChangeList> {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new Error(
      `changed-files: GITHUB_REPOSITORY (${repository || 'not set'}) names no owner/repository, so the GitHub API cannot list the changed files; check the repository out (actions/checkout) instead`,
    );
  }
  if (settings.githubToken === '') {
    throw new Error(
      'changed-files: the github-token input is empty, and the GitHub API needs a token to list the changed files: leave github-token at its default (the job token) with "permissions: contents: read, pull-requests: read", or check the repository out (actions/checkout)',
    );
  }
  const api = await GitHubApi.connect({
    token: settings.githubToken,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    ...options.limits,
    log: options.log,
  });
  return listApiChanges(api, { owner, repo, sha: env.GITHUB_SHA }, request, options.log);
}
