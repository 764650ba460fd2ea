/** Changed files from the GitHub REST API, against the fake on 127.0.0.1: statuses, pages, limits, errors, waits. */
import { afterEach, describe, expect, it } from 'vitest';
import { listApiChanges } from '../../src/targets/api-changes.js';
import type { CompareRequest } from '../../src/targets/event.js';
import { GitHubApi } from '../../src/targets/github-api.js';
import {
  FAKE_REPOSITORY,
  FAKE_TOKEN,
  type GitHubApiFake,
  type GitHubApiFakeOptions,
  type GitHubFile,
  startGitHubApiFake,
} from '../fakes/github-api/server.js';
import { rejectionOf } from '../support/thrown.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const P = 'c'.repeat(40);

let fake: GitHubApiFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Listed {
  messages: string[];
  slept: number[];
}

async function list(
  options: GitHubApiFakeOptions,
  request: CompareRequest,
  extra: { token?: string; timeoutMs?: number; sha?: string } = {},
): Promise<Listed & Awaited<ReturnType<typeof listApiChanges>>> {
  fake = await startGitHubApiFake(options);
  const messages: string[] = [];
  const slept: number[] = [];
  let clock = Date.now();
  const log = { info: (m: string) => messages.push(m), warning: (m: string) => messages.push(m) };
  const api = await GitHubApi.connect({
    token: extra.token ?? FAKE_TOKEN,
    baseUrl: fake.url,
    repository: FAKE_REPOSITORY,
    timeoutMs: extra.timeoutMs ?? 1_800_000,
    maxAttempts: 3,
    log,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  });
  const [owner = '', repo = ''] = FAKE_REPOSITORY.split('/');
  const listed = await listApiChanges(api, { owner, repo, sha: extra.sha }, request, log);
  return { ...listed, messages, slept };
}

const range = (before = A, after = B): CompareRequest => ({ kind: 'range', event: 'push', before, after });
const files = (n: number, status: GitHubFile['status'] = 'modified'): GitHubFile[] =>
  Array.from({ length: n }, (_, i) => ({ filename: `site/f${i}.html`, status }));
const statuses = (entries: Array<{ status: string; path: string }>): string[] =>
  entries.map((entry) => `${entry.status} ${entry.path}`);

describe('changed files from the GitHub API', () => {
  it('maps statuses as git does: a rename is the old name deleted and the new one added', async () => {
    const listed = await list(
      {
        comparisons: {
          [`${A}...${B}`]: {
            status: 'ahead',
            files: [
              { filename: 'site/new.html', status: 'added' },
              { filename: 'site/a b.html', status: 'modified' },
              { filename: 'site/mode.sh', status: 'changed' },
              { filename: 'site/old.css', status: 'removed' },
              { filename: 'site/js/moved.js', status: 'renamed', previous_filename: 'site/move-me.js' },
              { filename: 'site/copy.txt', status: 'copied', previous_filename: 'site/orig.txt' },
              { filename: 'site/same.txt', status: 'unchanged' },
            ],
          },
        },
      },
      range(),
    );
    expect(statuses(listed.entries)).toEqual([
      'A site/new.html',
      'M site/a b.html',
      'M site/mode.sh',
      'D site/old.css',
      'D site/move-me.js',
      'A site/js/moved.js',
      'A site/copy.txt',
    ]);
    expect(listed.comparison).toEqual({
      from: A,
      to: B,
      description: `push: ${A.slice(0, 12)}...${B.slice(0, 12)}, from the GitHub API`,
    });
    expect(fake?.requests.map((r) => [r.path, r.authorization])).toEqual([
      [`/repos/${FAKE_REPOSITORY}/compare/${A}...${B}`, `token ${FAKE_TOKEN}`],
    ]);
  });

  it('lists a comparison of 299 files, and refuses one of 300, which may have been cut', async () => {
    const ok = await list(
      { comparisons: { [`${A}...${B}`]: { status: 'ahead', files: files(299) } } },
      range(),
    );
    expect(ok.entries).toHaveLength(299);
    await fake?.close();
    const error = await rejectionOf(
      Error,
      list({ comparisons: { [`${A}...${B}`]: { status: 'ahead', files: files(400) } } }, range()),
    );
    expect(error.message).toContain('lists at most 300 files of the comparison');
    expect(error.message).toContain('listed 300, so the list may be cut; nothing was sent');
    expect(error.message).toContain('actions/checkout: the default fetch-depth is enough');
  });

  it('reads every page of a pull request, up to 2,999 files, and refuses 3,000', async () => {
    const request: CompareRequest = {
      kind: 'merge-base',
      event: 'pull_request',
      base: A,
      head: B,
      number: 12,
    };
    const ok = await list({ pulls: { 12: files(2999) } }, request);
    expect(ok.entries).toHaveLength(2999);
    expect(fake?.requests).toHaveLength(30);
    expect(fake?.requests[0]?.path).toBe(`/repos/${FAKE_REPOSITORY}/pulls/12/files?per_page=100`);
    expect(fake?.requests[29]?.path).toBe(`/repos/${FAKE_REPOSITORY}/pulls/12/files?per_page=100&page=30`);
    expect(ok.comparison?.description).toBe(
      `pull_request: files of pull request #12 at ${B.slice(0, 12)}, from the GitHub API`,
    );
    await fake?.close();
    const error = await rejectionOf(Error, list({ pulls: { 12: files(3000) } }, request));
    expect(error.message).toContain('at most 3,000 files of pull request #12, and it listed 3,000');
  });

  it('compares a new branch with the parent of its commit, over the commit pages', async () => {
    const listed = await list(
      { commits: { [B]: { parent: P, files: files(301, 'added') } } },
      { kind: 'parent', event: 'push', after: B, warning: 'only the last commit counts' },
    );
    expect(listed.entries).toHaveLength(301);
    expect(listed.messages).toContain('only the last commit counts');
    expect(listed.comparison?.from).toBe(P);
    expect(fake?.requests.map((r) => r.path)).toEqual([
      `/repos/${FAKE_REPOSITORY}/commits/${B}`,
      `/repos/${FAKE_REPOSITORY}/commits/${B}?page=2`,
    ]);
  });

  it('compares since with the run commit, and both sides of a diverged history', async () => {
    const listed = await list(
      {
        comparisons: {
          [`v1.0...${B}`]: {
            status: 'diverged',
            files: [
              { filename: 'site/both.html', status: 'modified' },
              { filename: 'site/head-only.html', status: 'added' },
            ],
          },
          [`${B}...v1.0`]: {
            status: 'diverged',
            files: [
              { filename: 'site/both.html', status: 'removed' },
              { filename: 'site/since-only.html', status: 'added' },
              { filename: 'site/since-edit.html', status: 'modified' },
              { filename: 'site/since-gone.html', status: 'removed' },
              { filename: 'site/new-name.html', status: 'renamed', previous_filename: 'site/old-name.html' },
            ],
          },
        },
      },
      { kind: 'since', event: 'workflow_dispatch', since: 'v1.0' },
      { sha: B },
    );
    // What head has: files only the since side added are absent (deleted); the rest are as the merge base has them.
    expect(statuses(listed.entries)).toEqual([
      'M site/both.html',
      'A site/head-only.html',
      'D site/since-only.html',
      'M site/since-edit.html',
      'M site/since-gone.html',
      'M site/old-name.html',
      'D site/new-name.html',
    ]);
    expect(listed.comparison?.description).toContain('(diverged: both sides of the merge base)');
  });

  it('lists nothing and asks nothing for a push that deleted its branch', async () => {
    const listed = await list({}, { kind: 'nothing', event: 'push', reason: 'the push deleted main' });
    expect(listed.entries).toEqual([]);
    expect(fake?.requests).toEqual([]);
  });

  it.each([
    [
      'a wrong token',
      { token: 'ghs_wrong' },
      'HTTP 401 (Bad credentials): the token is missing, expired or wrong',
    ],
    [
      'a token without the permission',
      { token: 'ghs_powerless' },
      'HTTP 403 (Resource not accessible by integration): the token cannot read',
    ],
    ['an unknown commit', {}, 'HTTP 404 (Not Found)'],
  ])('refuses %s with a message naming github-token and the permissions', async (_, extra, cause) => {
    const error = await rejectionOf(
      Error,
      list({ powerlessToken: 'ghs_powerless', comparisons: {} }, range(), extra),
    );
    expect(error.message).toContain(cause);
    expect(error.message).toContain('Check the github-token input');
    expect(error.message).toContain('contents: read');
    expect(error.message).toContain('pull-requests: read');
    expect(error.message).not.toContain(FAKE_TOKEN);
  });

  it.each([
    ['403-reset' as const, 'HTTP 403'],
    ['429-retry-after' as const, 'HTTP 429'],
  ])('waits out a rate limit (%s) within the timeout, then asks again', async (answer, status) => {
    const listed = await list(
      {
        failFirst: { requests: 2, answer, seconds: 30 },
        comparisons: { [`${A}...${B}`]: { status: 'ahead', files: files(1) } },
      },
      range(),
    );
    expect(listed.entries).toHaveLength(1);
    expect(listed.slept).toHaveLength(2);
    expect(listed.slept[0]).toBeGreaterThanOrEqual(29_000);
    expect(listed.messages[0]).toContain(`rate limiting this token (${status})`);
  });

  it('gives up on a rate limit that lasts past the timeout, without waiting', async () => {
    const error = await rejectionOf(
      Error,
      list(
        {
          failFirst: { requests: 1, answer: '429-retry-after', seconds: 601 },
          comparisons: { [`${A}...${B}`]: { status: 'ahead', files: files(1) } },
        },
        range(),
        { timeoutMs: 600_000 },
      ),
    );
    expect(error.message).toContain('rate limit of this token is exhausted');
    expect(error.message).toContain('past the timeout');
    expect(fake?.requests).toHaveLength(1);
  });

  it('waits at least 1 s after a rate limit, longer each time, and gives up within the timeout', async () => {
    const error = await rejectionOf(
      Error,
      list(
        { failFirst: { requests: 1_000_000, answer: '429-retry-after', seconds: 0 }, comparisons: {} },
        range(),
        { timeoutMs: 60_000 },
      ),
    );
    expect(error.message).toContain('past the timeout');
    // 1 + 2 + 4 + 8 + 16 = 31 s; 32 s more would end past the 60 s timeout.
    expect(fake?.requests).toHaveLength(6);
  });

  it('says what the API answered on one line, whatever its message holds', async () => {
    const message = 'Server Error\n::error::injected\r\n::add-mask::x';
    const comparisons = { [`${A}...${B}`]: { status: 'ahead' as const, files: files(1) } };
    const listed = await list(
      { failFirst: { requests: 1, answer: '502', seconds: 0, message }, comparisons },
      range(),
    );
    expect(listed.messages).toEqual([
      'The GitHub API failed (Server Error ::error::injected ::add-mask::x): asking again in 1 s.',
    ]);
  });

  it('follows no redirect to another host, and says so', async () => {
    const other = await startGitHubApiFake({
      comparisons: { [`${A}...${B}`]: { status: 'ahead', files: files(1) } },
    });
    try {
      const error = await rejectionOf(Error, list({ redirectTo: other.url }, range()));
      expect(error.message).toBe(
        `changed-files: the GitHub API at ${new URL(fake?.url ?? '').origin} redirected GET /repos/${FAKE_REPOSITORY}/compare/${A}...${B} to another host (${new URL(other.url).origin}); refused: the changed files are listed by the API of GITHUB_API_URL only. Check GITHUB_API_URL, or check the repository out (actions/checkout) so that git lists the changed files`,
      );
      expect(other.requests).toEqual([]);
      expect(fake?.requests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('follows a redirect to its own host, at most 5 times', async () => {
    const error = await rejectionOf(Error, list({ redirectTo: 'self' }, range()));
    expect(error.message).toBe(
      `changed-files: the GitHub API redirected GET /repos/${FAKE_REPOSITORY}/compare/${A}...${B} more than 5 times; refused`,
    );
    expect(fake?.requests).toHaveLength(6);
    expect(new Set(fake?.requests.map((request) => request.authorization))).toEqual(
      new Set([`token ${FAKE_TOKEN}`]),
    );
  });

  it('asks again after a 5xx, up to max-attempts', async () => {
    const comparisons = { [`${A}...${B}`]: { status: 'ahead' as const, files: files(1) } };
    const ok = await list({ failFirst: { requests: 2, answer: '502', seconds: 0 }, comparisons }, range());
    expect(ok.entries).toHaveLength(1);
    expect(ok.slept).toEqual([1000, 2000]);
    await fake?.close();
    const error = await rejectionOf(
      Error,
      list({ failFirst: { requests: 3, answer: '502', seconds: 0 }, comparisons }, range()),
    );
    expect(error.message).toContain('Server Error (after 3 attempts)');
  });

  it('serves GitHub Enterprise Server under its /api/v3 path', async () => {
    const listed = await list(
      { prefix: '/api/v3', pulls: { 3: files(150) } },
      { kind: 'merge-base', event: 'pull_request', base: A, head: B, number: 3 },
    );
    expect(listed.entries).toHaveLength(150);
    expect(fake?.requests).toHaveLength(2);
  });
});
