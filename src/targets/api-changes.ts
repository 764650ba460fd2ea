import { FULL_SHA } from '../inputs/changed-files.js';
import type { Log } from '../settings.js';
import { type Comparison, emptyTree } from './commits.js';
import type { DiffEntry } from './diff.js';
import type { CompareRequest } from './event.js';
import { type GitHubApi, nextPage } from './github-api.js';

/**
 * The most files each endpoint lists (docs/github-api.md#limits). A list that reaches its limit may have been
 * cut, so it is refused rather than purged as if it were complete.
 */
export const COMPARE_FILE_LIMIT = 300;
export const PULL_REQUEST_FILE_LIMIT = 3000;
export const COMMIT_FILE_LIMIT = 3000;

/** One entry of a `files` list: compare, commit and pull request files share this shape. */
interface ApiFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

export interface ChangeList {
  comparison: Comparison | undefined;
  entries: DiffEntry[];
}

/** The repository and the commit the run is for (GITHUB_REPOSITORY, GITHUB_SHA). */
export interface ApiRepository {
  owner: string;
  repo: string;
  /** The event's commit: what `since` is compared with. */
  sha: string | undefined;
}

/** The changed files of the request, listed by the GitHub REST API (docs/github-api.md#endpoints). */
export async function listApiChanges(
  api: GitHubApi,
  repository: ApiRepository,
  request: CompareRequest,
  log: Log,
): Promise<ChangeList> {
  const { owner, repo } = repository;
  switch (request.kind) {
    case 'nothing':
      log.info(`changed-files: ${request.reason}; no changed files.`);
      return { comparison: undefined, entries: [] };
    case 'range':
      return compare(api, repository, request.before, request.after, `${request.event}`);
    case 'since': {
      const head = repository.sha;
      if (head === undefined || !FULL_SHA.test(head)) {
        throw new Error(
          `changed-files: GITHUB_SHA (${head ?? 'not set'}) is no full commit SHA, so the GitHub API cannot compare since ${request.since} with the run's commit`,
        );
      }
      return compare(api, repository, request.since, head, `since ${request.since}`);
    }
    case 'parent': {
      log.warning(request.warning);
      let parent: unknown;
      const files = await pagedFiles(
        api,
        'GET /repos/{owner}/{repo}/commits/{ref}',
        { owner, repo, ref: request.after },
        (data) => {
          parent ??= (data as { parents?: Array<{ sha?: unknown }> }).parents?.[0]?.sha ?? '';
          return (data as { files?: unknown }).files;
        },
        COMMIT_FILE_LIMIT,
        `the commit ${short(request.after)}`,
      );
      return {
        comparison: {
          // A root commit has no parent: every file in it is listed as added.
          from: typeof parent === 'string' && FULL_SHA.test(parent) ? parent : emptyTree(request.after),
          to: request.after,
          description: `${request.event}: parent of ${short(request.after)} (new ref), from the GitHub API`,
        },
        entries: files.flatMap(toEntries),
      };
    }
    case 'merge-base': {
      if (request.number === undefined) {
        throw new Error(
          `changed-files: the ${request.event} event payload has no pull request number, so the GitHub API cannot list its files; give the since input, or check the repository out (actions/checkout)`,
        );
      }
      const files = await pagedFiles(
        api,
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
        { owner, repo, pull_number: request.number, per_page: 100 },
        (data) => data,
        PULL_REQUEST_FILE_LIMIT,
        `pull request #${request.number}`,
      );
      return {
        comparison: {
          from: request.base,
          to: request.head,
          description: `${request.event}: files of pull request #${request.number} at ${short(request.head)}, from the GitHub API`,
        },
        entries: files.flatMap(toEntries),
      };
    }
  }
}

/**
 * `base...head`: GitHub compares `head` with the merge base. When the two have diverged (a force push, a `since`
 * on another branch), files changed only on `base`'s side differ too: `head...base` lists them, and each is
 * purged as `head` has it (docs/github-api.md#endpoints).
 */
async function compare(
  api: GitHubApi,
  repository: ApiRepository,
  base: string,
  head: string,
  label: string,
): Promise<ChangeList> {
  const forward = await compareFiles(api, repository, base, head);
  const entries = forward.files.flatMap(toEntries);
  let description = `${label}: ${short(base)}...${short(head)}, from the GitHub API`;
  if (forward.status === 'diverged' || forward.status === 'behind') {
    const backward = await compareFiles(api, repository, head, base);
    const seen = new Set(entries.map((entry) => entry.path));
    for (const entry of backward.files.flatMap(undoneOnHead)) {
      if (!seen.has(entry.path)) entries.push(entry);
      seen.add(entry.path);
    }
    description += ` (${forward.status}: both sides of the merge base)`;
  }
  return { comparison: { from: base, to: head, description }, entries };
}

async function compareFiles(
  api: GitHubApi,
  { owner, repo }: ApiRepository,
  base: string,
  head: string,
): Promise<{ status: string; files: ApiFile[] }> {
  const response = await api.get('GET /repos/{owner}/{repo}/compare/{basehead}', {
    owner,
    repo,
    basehead: `${base}...${head}`,
  });
  const data = response.data as { status?: unknown; files?: unknown };
  const files = checkFiles(data.files ?? [], `the comparison ${short(base)}...${short(head)}`);
  checkLimit(files.length, COMPARE_FILE_LIMIT, `the comparison of ${short(base)} with ${short(head)}`);
  return { status: typeof data.status === 'string' ? data.status : '', files };
}

/** Every page of a files list, following the `Link` header, refused when it reaches `limit`. */
async function pagedFiles(
  api: GitHubApi,
  route: string,
  parameters: Record<string, unknown>,
  pick: (data: unknown) => unknown,
  limit: number,
  what: string,
): Promise<ApiFile[]> {
  const files: ApiFile[] = [];
  let response = await api.get(route, parameters);
  for (;;) {
    files.push(...checkFiles(pick(response.data) ?? [], what));
    checkLimit(files.length, limit, what);
    const next = nextPage(response.headers.link);
    if (next === undefined) return files;
    response = await api.page(next);
  }
}

function checkLimit(count: number, limit: number, what: string): void {
  if (count < limit) return;
  throw new Error(
    `changed-files: the GitHub API lists at most ${limit.toLocaleString('en')} files of ${what}, and it listed ${count.toLocaleString('en')}, so the list may be cut; nothing was sent. Check the repository out (actions/checkout: the default fetch-depth is enough) so that git lists every changed file, or list the URLs in urls / paths`,
  );
}

function checkFiles(value: unknown, what: string): ApiFile[] {
  const valid =
    Array.isArray(value) &&
    value.every(
      (file: Partial<Record<keyof ApiFile, unknown>>) =>
        typeof file === 'object' &&
        file !== null &&
        typeof file.filename === 'string' &&
        typeof file.status === 'string' &&
        (file.previous_filename === undefined || typeof file.previous_filename === 'string'),
    );
  if (!valid)
    throw new Error(`changed-files: the GitHub API answered an unexpected list of files for ${what}`);
  return value as ApiFile[];
}

const STATUS_LETTERS: Record<string, string> = { added: 'A', modified: 'M', changed: 'M', removed: 'D' };

/** As git's diff without rename detection: a rename is the old name deleted and the new one added. */
function toEntries(file: ApiFile): DiffEntry[] {
  if (file.status === 'unchanged') return [];
  if (file.status === 'renamed' || file.status === 'copied') {
    const added = entry('A', file.filename);
    const old = file.previous_filename;
    return file.status === 'renamed' && old !== undefined ? [entry('D', old), added] : [added];
  }
  return [entry(STATUS_LETTERS[file.status] ?? 'X', file.filename)];
}

/**
 * A file changed on the other side of the merge base, as `head` has it: added there → absent here (deleted);
 * removed or modified there → as the merge base has it here (modified).
 */
function undoneOnHead(file: ApiFile): DiffEntry[] {
  switch (file.status) {
    case 'added':
    case 'copied':
      return [entry('D', file.filename)];
    case 'renamed':
      return [
        ...(file.previous_filename === undefined ? [] : [entry('M', file.previous_filename)]),
        entry('D', file.filename),
      ];
    case 'unchanged':
      return [];
    default:
      return [entry(file.status in STATUS_LETTERS ? 'M' : 'X', file.filename)];
  }
}

/** The API gives no file modes: symlinks and submodules are not told apart from files. */
function entry(status: string, path: string): DiffEntry {
  return { status, path, oldMode: '', newMode: '', undecodable: false };
}

function short(ref: string): string {
  return FULL_SHA.test(ref) ? ref.slice(0, 12) : ref;
}
