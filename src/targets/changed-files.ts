import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { ChangedFilesSettings, DeliverySettings, Log } from '../settings.js';
import { quote } from '../text.js';
import { type ChangeList, listApiChanges } from './api-changes.js';
import { type Comparison, resolveComparison } from './commits.js';
import { type EarlierManifest, findContentChanges } from './content.js';
import { parseRawDiff } from './diff.js';
import { type CompareRequest, compareRequest, readEvent } from './event.js';
import type { FileVersions } from './expected-content.js';
import { apiVersions, gitVersions } from './file-versions.js';
import { execGit, Git, type GitExec } from './git.js';
import { GitHubApi, type GitHubApiOptions } from './github-api.js';
import type { Manifest } from './manifest.js';
import { chooseSource } from './source.js';
import { unmatchedPatternWarnings } from './unmatched-patterns.js';
import { type ChangedFileMapping, mapChangedFiles, servedUrls } from './url-map.js';

export interface ChangedFiles {
  /** Undefined when there was nothing to compare (the push deleted its branch). */
  comparison: Comparison | undefined;
  mapping: ChangedFileMapping;
  /**
   * The URLs of every file the sites serve at the deploy commit (git ls-tree): what a directory purge would also
   * purge. Undefined when there was nothing to compare, or without a checkout (the GitHub API).
   */
  siteFiles: string[] | undefined;
  /** `changed-files-source: content`: the manifest of the sites' folders now. */
  manifest?: Manifest;
  /** `changed-files-source: content`: the manifest of the last delivered deploy, if there was one. */
  previousManifest?: Manifest | undefined;
  /** The files at the compared commits, for `verify`; without them its URLs are checked by status. */
  versions?: FileVersions;
}

export interface ChangedFilesOptions {
  /** Runs git; the real one by default. */
  exec?: GitExec;
  /** Where git's fetches, the GitHub API's waits and the choice of commits are reported. */
  log: Log;
  /** The GitHub API's rate limits are waited out within `timeoutMs`; 5xx answers retried `maxAttempts` times. */
  limits: Pick<DeliverySettings, 'timeoutMs' | 'maxAttempts'>;
  /** The GitHub API's waits and deadline; the real clock by default. */
  clock?: Required<Pick<GitHubApiOptions, 'now' | 'sleep'>>;
  /** `changed-files-source: content`: the manifest to compare with (from the deploy state). */
  earlier?: EarlierManifest | undefined;
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
  if (settings.source === 'content') {
    const earlier = options.earlier ?? { manifest: undefined, why: 'no deploy state is kept (state: off)' };
    return findContentChanges(settings, workspace, earlier, log);
  }
  const git = new Git(options.exec ?? execGit(workspace, env), workspace, log.info);
  const source = await chooseSource(settings.source, git, workspace, env.GITHUB_REPOSITORY, log);
  const request = compareRequest(readEvent(env, settings.since === undefined), settings.since);
  if (source === 'api') {
    // No tree to read without a checkout: coalescing falls back to the deepest directories.
    const { comparison, entries, versions } = await fromApi(settings, env, request, options);
    return { comparison, mapping: mapChangedFiles(entries, settings), siteFiles: undefined, versions };
  }
  const versions = gitVersions(git);
  const { comparison, entries } = await listGitChanges(git, request, log);
  if (!comparison)
    return { comparison, mapping: mapChangedFiles(entries, settings), siteFiles: undefined, versions };
  await checkRootDirs(git, comparison, settings, workspace);
  const served = settings.sites.length === 1 ? (settings.sites[0]?.rootDir ?? '') : '';
  const siteFiles = servedUrls(await git.files(comparison.to, served), settings.sites);
  const mapping = mapChangedFiles(entries, settings);
  for (const warning of unmatchedPatternWarnings(settings, mapping.files)) log.warning(warning);
  return { comparison, mapping, siteFiles, versions };
}

/**
 * A root-dir that is a folder at neither compared commit is a typo far more often than a site that moved: refused,
 * with the folders that do exist.
 */
async function checkRootDirs(
  git: Git,
  { from, to }: Comparison,
  { sites, sitesInput }: Pick<ChangedFilesSettings, 'sites' | 'sitesInput'>,
  workspace: string,
): Promise<void> {
  for (const { rootDir } of sites) {
    if (rootDir === '') continue;
    if ((await git.folders(to, rootDir)).length > 0 || (await git.folders(from, rootDir)).length > 0)
      continue;
    const folders = await git.folders(to);
    const existing =
      folders.length > 0
        ? `the folders at the top of the repository are ${folders.map((folder) => quote(folder)).join(', ')}`
        : 'the repository has no folder at its top';
    // A build output: on disk, never committed (gitignored), so git has no change in it to map.
    const uncommitted = existsSync(join(workspace, rootDir))
      ? ` ${rootDir} exists in the workspace but in no commit (a build output, gitignored?): changed-files maps committed files only, so give the folder of the committed files the site is served from.`
      : '';
    throw new InputError(
      sitesInput,
      rootDir,
      `no such folder in either compared commit (${to.slice(0, 7)}, ${from.slice(0, 7)}); ${existing}. ${sitesInput === 'sites' ? "A sites line's ROOT-DIR" : 'root-dir'} is the folder of the repository served at its URL, relative to its top.${uncommitted}`,
    );
  }
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
): Promise<ChangeList & { versions: FileVersions }> {
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
    ...options.clock,
  });
  const changes = await listApiChanges(api, { owner, repo, sha: env.GITHUB_SHA }, request, options.log);
  return { ...changes, versions: apiVersions(api, owner, repo) };
}
