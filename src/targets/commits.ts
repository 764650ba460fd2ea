import { FULL_SHA } from '../inputs/changed-files.js';
import type { Log } from '../settings.js';
import type { CompareRequest } from './event.js';
import { type Git, GitCommandError } from './git.js';

/** The two commits (full SHAs) whose trees are compared, and how they were chosen, for the log and summary. */
export interface Comparison {
  from: string;
  to: string;
  /** "push: before..after", "pull_request: merge base of base and head", … */
  description: string;
}

/** The tree of no files, to compare a root commit with: every file counts as added. */
const EMPTY_TREE = {
  40: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  64: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
} as const;

/** Depths of the successive fetches that look for a merge base in a shallow clone, before the whole history. */
const DEEPEN_STEPS = [16, 256, 4096];

const HINT =
  'changed-files needs it to compare the deploy commit; check that it exists on origin, or give actions/checkout fetch-depth: 0 to fetch the whole history';

/** Resolves the request to two commits present in the repository, fetching from origin what a shallow clone lacks. */
export async function resolveComparison(
  git: Git,
  request: CompareRequest,
  log: Log,
): Promise<Comparison | undefined> {
  switch (request.kind) {
    case 'nothing':
      log.info(`changed-files: ${request.reason}; no changed files.`);
      return undefined;
    case 'range': {
      const to = await ensureCommit(git, request.after, 'after');
      if (!(await tryEnsureCommit(git, request.before))) {
        log.warning(
          `The push's previous commit ${short(request.before)} cannot be fetched from origin (a force push rewrote the history?): comparing ${short(to)} with its parent only. Give the since input to compare with another commit.`,
        );
        return parentComparison(
          git,
          to,
          `${request.event}: parent of ${short(to)} (before unreachable)`,
          log,
        );
      }
      return { from: request.before, to, description: `${request.event}: ${range(request.before, to)}` };
    }
    case 'parent': {
      log.warning(request.warning);
      const to = await ensureCommit(git, request.after, 'after');
      return parentComparison(git, to, `${request.event}: parent of ${short(to)} (new ref)`, log);
    }
    case 'merge-base': {
      const base = await ensureCommit(git, request.base, 'pull_request.base.sha');
      const head = await ensureCommit(git, request.head, 'pull_request.head.sha');
      const from = await mergeBase(git, base, head);
      return {
        from,
        to: head,
        description: `${request.event}: ${range(from, head)} (merge base of ${short(base)} and ${short(head)})`,
      };
    }
    case 'since': {
      const to = await git.resolveCommit('HEAD');
      if (to === undefined) throw new Error('changed-files: the repository has no commit checked out (HEAD)');
      const from = await resolveSince(git, request.since);
      return { from, to, description: `since ${request.since}: ${range(from, to)} (HEAD)` };
    }
  }
}

/** The commit, fetched by SHA (depth 1) when the clone lacks it; an error with the fetch-depth hint otherwise. */
async function ensureCommit(git: Git, sha: string, name: string): Promise<string> {
  if (await tryEnsureCommit(git, sha)) return sha;
  throw new Error(`changed-files: cannot fetch commit ${sha} (${name}) from origin; ${HINT}.`);
}

async function tryEnsureCommit(git: Git, sha: string): Promise<boolean> {
  if (!FULL_SHA.test(sha)) throw new Error(`not a full commit SHA: ${sha}`);
  if ((await git.resolveCommit(sha)) !== undefined) return true;
  try {
    await git.fetch(['--depth=1'], [sha]);
  } catch (error) {
    if (isMissingCommit(error, sha)) return false;
    throw error;
  }
  return (await git.resolveCommit(sha)) !== undefined;
}

/** What git says when it cannot reach origin at all: origin was never asked for the commit. */
const NETWORK_FAILURE =
  /could not resolve host|failed to connect|connection (?:timed out|refused|reset)|operation timed out|network is unreachable|could not read from remote repository|early eof|returned error: 5\d\d|ssl_connect|gnutls|proxy/i;

/**
 * True when git ran and found no such commit on origin; a network failure is thrown instead, with what git said,
 * so that it is never taken for a rewritten history.
 */
function isMissingCommit(error: unknown, ref: string): boolean {
  if (!(error instanceof GitCommandError) || error.exitCode === undefined) return false;
  if (NETWORK_FAILURE.test(error.stderr)) {
    throw new Error(
      `changed-files: cannot reach origin to fetch ${short(ref)}: ${error.stderr.trim().split('\n')[0] ?? error.message}. This is a network failure (DNS, a proxy or a firewall of a self-hosted runner), not a missing commit: check that the runner reaches origin, then run the job again.`,
    );
  }
  return true;
}

/** Compares a commit with its first parent, fetched when the clone stops at the commit; a root commit with nothing. */
async function parentComparison(git: Git, to: string, description: string, log: Log): Promise<Comparison> {
  let parent = await git.resolveCommit(`${to}^1`);
  if (parent === undefined && (await git.isShallow())) {
    await fetchOrExplain(git, ['--depth=2'], [to]);
    parent = await git.resolveCommit(`${to}^1`);
  }
  if (parent === undefined) {
    log.info(
      `changed-files: ${short(to)} has no parent (the first commit): every file in it counts as added.`,
    );
    return { from: emptyTree(to), to, description: `${description}: root commit, every file added` };
  }
  return { from: parent, to, description: `${description}: ${range(parent, to)}` };
}

/** The merge base, deepening a shallow clone step by step until the histories meet. */
async function mergeBase(git: Git, base: string, head: string): Promise<string> {
  const find = (): Promise<string | undefined> => git.attempt(['merge-base', base, head]);
  let found = await find();
  for (const depth of DEEPEN_STEPS) {
    if (found !== undefined || !(await git.isShallow())) break;
    await fetchOrExplain(git, [`--depth=${depth}`], [base, head]);
    found = await find();
  }
  if (found === undefined && (await git.isShallow())) {
    await fetchOrExplain(git, ['--unshallow'], [base, head]);
    found = await find();
  }
  if (found === undefined || !FULL_SHA.test(found)) {
    throw new Error(
      `changed-files: ${short(base)} and ${short(head)} have no common ancestor, so the pull request's changes are unknown; give the since input to name the commit to compare with`,
    );
  }
  return found;
}

/** `since`: a local commit, tag or branch; else fetched from origin by SHA or by name. */
async function resolveSince(git: Git, since: string): Promise<string> {
  const local = await git.resolveCommit(since);
  if (local !== undefined) return local;
  try {
    await git.fetch(['--depth=1'], [since]);
    const fetched = await git.resolveCommit(FULL_SHA.test(since) ? since : 'FETCH_HEAD');
    if (fetched !== undefined) return fetched;
  } catch (error) {
    if (!isMissingCommit(error, since)) throw error;
  }
  throw new Error(
    `changed-files: since ${since} is no commit, tag or branch of the repository or of origin (an abbreviated SHA must be in the clone: give the full SHA); ${HINT}.`,
  );
}

async function fetchOrExplain(git: Git, options: string[], refs: string[]): Promise<void> {
  try {
    await git.fetch(options, refs);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    throw new Error(
      `changed-files: cannot fetch the history of ${refs.map(short).join(' and ')} (${error.message}); ${HINT}.`,
    );
  }
}

export function emptyTree(sha: string): string {
  return sha.length === 64 ? EMPTY_TREE[64] : EMPTY_TREE[40];
}

function short(sha: string): string {
  return FULL_SHA.test(sha) ? sha.slice(0, 12) : sha;
}

function range(from: string, to: string): string {
  return `${short(from)}..${short(to)}`;
}
