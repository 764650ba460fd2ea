import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  commitExpectations,
  type ExpectedContent,
  type FileVersions,
  manifestExpectations,
  STATUS_ONLY,
} from '../../src/targets/expected-content.js';
import { apiVersions, gitVersions } from '../../src/targets/file-versions.js';
import { execGit, Git } from '../../src/targets/git.js';
import { GitHubApi } from '../../src/targets/github-api.js';
import type { Manifest } from '../../src/targets/manifest.js';
import type { MappedFile } from '../../src/targets/url-map.js';
import {
  FAKE_REPOSITORY,
  FAKE_TOKEN,
  type GitHubApiFake,
  startGitHubApiFake,
} from '../fakes/github-api/server.js';
import { GitFixture } from '../support/git-fixture.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const BASE = 'https://www.example.com/';

const mapped = (status: string, path: string, urls: string[]): MappedFile => ({
  status,
  path,
  urls,
  deleted: status === 'D',
  skipped: undefined,
  site: { rootDir: 'site', baseUrl: BASE },
});
const FILES = [
  mapped('M', 'site/index.html', [`${BASE}index.html`, BASE]),
  mapped('A', 'site/new.js', [`${BASE}new.js`]),
  mapped('D', 'site/old.css', [`${BASE}old.css`]),
  mapped('M', 'site/big.bin', [`${BASE}big.bin`]),
];
const BEFORE = { 'site/index.html': 'home v1', 'site/old.css': 'old', 'site/big.bin': 'x'.repeat(50) };
const AFTER = { 'site/index.html': 'home v2', 'site/new.js': 'new', 'site/big.bin': 'y'.repeat(51) };

/** What every URL of FILES expects, with `versions` reading the two commits and files of 50 bytes at most. */
async function expectationsOf(versions: FileVersions, from: string, to: string) {
  return expectationsFrom(commitExpectations(FILES, { from, to, description: 'test' }, versions, 50));
}

async function expectationsFrom(expected: ExpectedContent) {
  const urls = [...FILES.flatMap((file) => file.urls), `${BASE}explicit.html`];
  return Object.fromEntries(
    await Promise.all(urls.map(async (url) => [url, await expected.expectationOf(url)])),
  );
}

const EXPECTED = {
  [`${BASE}index.html`]: {
    expected: { kind: 'file', sha256: sha256('home v2'), size: 7 },
    previousSha256: sha256('home v1'),
    path: 'site/index.html',
  },
  [BASE]: {
    expected: { kind: 'file', sha256: sha256('home v2'), size: 7 },
    previousSha256: sha256('home v1'),
    path: 'site/index.html',
  },
  [`${BASE}new.js`]: {
    expected: { kind: 'file', sha256: sha256('new'), size: 3 },
    previousSha256: undefined,
    path: 'site/new.js',
  },
  [`${BASE}old.css`]: { expected: { kind: 'deleted' }, previousSha256: sha256('old'), path: 'site/old.css' },
  // 50 bytes are hashed, 51 are not: checked by status.
  [`${BASE}big.bin`]: {
    expected: { kind: 'too-large', size: 51 },
    previousSha256: sha256('x'.repeat(50)),
    path: 'site/big.bin',
  },
  [`${BASE}explicit.html`]: { expected: { kind: 'status' }, previousSha256: undefined, path: undefined },
};

describe('commitExpectations', () => {
  let repo: GitFixture | undefined;
  let fake: GitHubApiFake | undefined;
  afterEach(async () => {
    repo?.cleanup();
    await fake?.close();
    repo = undefined;
    fake = undefined;
  });

  it('with git: the deployed file and the previous one, read with git cat-file at the compared commits', async () => {
    repo = new GitFixture();
    const from = repo.commit(BEFORE);
    const to = repo.commit({ ...AFTER, 'site/old.css': null });
    const git = new Git(execGit(repo.author, repo.env), repo.author, () => undefined);
    expect(await expectationsOf(gitVersions(git), from, to)).toEqual(EXPECTED);
  });

  it('with the GitHub API: the contents at each commit, a file over 1 MB as a blob', async () => {
    const from = 'a'.repeat(40);
    const to = 'b'.repeat(40);
    const large = 'z'.repeat(1024 * 1024 + 1);
    fake = await startGitHubApiFake({
      contents: { [from]: BEFORE, [to]: { ...AFTER, 'site/large.txt': large } },
    });
    const api = await GitHubApi.connect({
      token: FAKE_TOKEN,
      baseUrl: fake.url,
      repository: FAKE_REPOSITORY,
      timeoutMs: 60_000,
      maxAttempts: 1,
      log: { info: () => undefined, warning: () => undefined },
    });
    const [owner = '', name = ''] = FAKE_REPOSITORY.split('/');
    const versions = apiVersions(api, owner, name);
    expect(await expectationsOf(versions, from, to)).toEqual(EXPECTED);
    expect(await versions.hash(to, 'site/large.txt', 2 * 1024 * 1024)).toEqual({
      sha256: sha256(large),
      size: large.length,
    });
    expect(fake.requests.map((request) => request.path)).toContain(
      `/repos/${FAKE_REPOSITORY}/contents/site%2Findex.html?ref=${to}`,
    );
    expect(fake.requests.filter((request) => request.path.includes('/git/blobs/'))).toHaveLength(1);
  });

  it('without changed files, every URL is checked by status', async () => {
    expect(await STATUS_ONLY.expectationOf(`${BASE}a.html`)).toEqual(EXPECTED[`${BASE}explicit.html`]);
  });
});

describe('manifestExpectations', () => {
  const manifestOf = (files: Record<string, string>): Manifest =>
    new Map(Object.entries(files).map(([path, text]) => [path, { hash: sha256(text), size: text.length }]));

  it('expects the hashes of the manifest now, stale at the earlier one; deleted files 404, big files by status', async () => {
    const expected = manifestExpectations(FILES, manifestOf(AFTER), manifestOf(BEFORE), 50);
    expect(await expectationsFrom(expected)).toEqual(EXPECTED);
  });

  it('knows no previous version on a first deploy, and hashes a file of exactly the limit', async () => {
    const expected = manifestExpectations(FILES, manifestOf(AFTER), undefined, 51);
    const all = await expectationsFrom(expected);
    expect(all[`${BASE}index.html`]?.previousSha256).toBeUndefined();
    expect(all[`${BASE}big.bin`]?.expected).toEqual({
      kind: 'file',
      sha256: sha256('y'.repeat(51)),
      size: 51,
    });
  });
});
