/**
 * changed-files from the GitHub REST API through the bundle, in a workspace that is not a git repository (a deploy
 * job that downloaded its build): the fake API answers what GitHub would for real commits of a fixture repository,
 * and the URLs on the wire must be those git gives for the same push.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  FAKE_REPOSITORY,
  FAKE_TOKEN,
  type GitHubApiFake,
  type GitHubApiFakeOptions,
  type GitHubFile,
  startGitHubApiFake,
} from '../fakes/github-api/server.js';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();

const BASE = 'https://www.example.com/';
const U = (path: string): string => `${BASE}${path}`;

let github: GitHubApiFake | undefined;

afterEach(async () => {
  await github?.close();
  github = undefined;
});

interface Run {
  event: { name: string; payload: unknown };
  inputs?: Record<string, string>;
  /** A checkout to run in; by default a new empty folder, as a job that downloaded its build has. */
  workspace?: string;
}

async function act(fake: GitHubApiFakeOptions, run: Run): Promise<ActionRun> {
  github = await startGitHubApiFake(fake);
  return runAction(
    {
      ...stepInputs(fixture.emulator),
      'changed-files': 'true',
      'base-url': BASE,
      'root-dir': 'site',
      'github-token': FAKE_TOKEN,
      ...run.inputs,
    },
    {
      ...(run.workspace === undefined ? {} : { workspace: run.workspace }),
      env: {
        ...fixture.repo.env,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: FAKE_REPOSITORY,
        GITHUB_EVENT_NAME: run.event.name,
        GITHUB_EVENT_PATH: fixture.repo.event(run.event.payload),
      },
    },
  );
}

/** What GitHub lists for `from...to` of the fixture: git's diff with rename detection, in the API's words. */
function githubFiles(from: string, to: string): GitHubFile[] {
  const fields = fixture.repo
    .git(fixture.repo.author, 'diff', '--name-status', '-z', '-M', from, to)
    .split('\0');
  const files: GitHubFile[] = [];
  const names: Record<string, GitHubFile['status']> = {
    A: 'added',
    M: 'modified',
    D: 'removed',
    T: 'changed',
  };
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i++] ?? '';
    const path = fields[i++] ?? '';
    if (status.startsWith('R'))
      files.push({ filename: fields[i++] ?? '', status: 'renamed', previous_filename: path });
    else files.push({ filename: path, status: names[status] ?? 'changed' });
  }
  return files;
}

const push = (before: string, after: string) => ({
  name: 'push',
  payload: { ref: 'refs/heads/main', before, after },
});

/** The log without the lines that register secrets for masking (which must name them). */
const unmasked = (run: ActionRun): string =>
  run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

/** Every URL sent to this API, over all its requests, sorted. */
function sent(action: string): string[] {
  return fixture.emulator.requests
    .filter((request) => request.action === action)
    .flatMap((request) => (request.body as { Urls: string[] }).Urls)
    .sort();
}

describe('changed-files from the GitHub API, without a checkout', () => {
  it('gives for a push exactly the URLs git gives: added, modified, removed, renamed, spaces and unicode', async () => {
    const before = fixture.repo.commit({
      'README.md': 'readme',
      'site/index.html': 'home',
      'site/a b.html': 'space',
      'site/\u00fcn\u00efc\u00f8d\u00e9.txt': 'unicode',
      'site/old.css': 'old',
      'site/move-me.js': 'a file long enough that git sees the move as a rename',
      'site/blog/index.html': 'blog',
    });
    fixture.repo.commit({
      'site/index.html': 'home 2',
      'site/a b.html': 'space 2',
      'site/\u00fcn\u00efc\u00f8d\u00e9.txt': 'unicode 2',
      'site/old.css': null,
      'site/new file \u00e9.html': 'added',
      'README.md': 'readme 2',
    });
    const after = fixture.repo.move({ 'site/move-me.js': 'site/js/moved.js' });
    fixture.repo.push();
    const files = githubFiles(before, after);
    expect(files).toContainEqual({
      filename: 'site/js/moved.js',
      status: 'renamed',
      previous_filename: 'site/move-me.js',
    });

    const fromApi = await act(
      { comparisons: { [`${before}...${after}`]: { status: 'ahead', files } } },
      { event: push(before, after) },
    );
    expect(fromApi.errors).toEqual([]);
    expect(fromApi.exitCode).toBe(0);
    const viaApi = sent('PurgeUrlsCache');
    const expected = [
      U('index.html'),
      BASE,
      U('a%20b.html'),
      U('%C3%BCn%C3%AFc%C3%B8d%C3%A9.txt'),
      U('old.css'),
      U('new%20file%20%C3%A9.html'),
      U('move-me.js'),
      U('js/moved.js'),
    ].sort();
    expect(viaApi).toEqual(expected);
    expect(fromApi.stdout).toContain('is not a git checkout, so the changed files come from the GitHub API');
    expect(fromApi.stdout).toContain(
      `::group::Changed files (push: ${before.slice(0, 12)}...${after.slice(0, 12)}, from the GitHub API)`,
    );
    expect(fromApi.stdout).toContain(`D  site/move-me.js -> ${U('move-me.js')} (deleted: purge only)`);
    expect(fromApi.stdout).toContain('M  README.md: outside root-dir, skipped');
    expect(fromApi.summary).toContain('8 changed files, 6 URLs of added or modified files');
    expect(github?.requests.map((request) => request.authorization)).toEqual([`token ${FAKE_TOKEN}`]);
    // Registered as a secret before anything is logged, and in no other line.
    expect(fromApi.stdout.startsWith('::add-mask::')).toBe(true);
    expect(fromApi.stdout).toContain(`::add-mask::${FAKE_TOKEN}\n`);
    expect(unmasked(fromApi)).not.toContain(FAKE_TOKEN);

    fixture.emulator.requests.length = 0;
    // The fixture's origin is a local path, not GITHUB_REPOSITORY, so auto would take the API here.
    const fromGit = await act(
      {},
      {
        event: push(before, after),
        workspace: fixture.repo.checkout(),
        inputs: { 'changed-files-source': 'git' },
      },
    );
    expect(fromGit.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(viaApi);
    expect(github?.requests).toEqual([]);
  });

  it('purges all 250 files of a pull request listed over three pages', async () => {
    const files = Array.from(
      { length: 250 },
      (_, i): GitHubFile => ({
        filename: `site/page ${i}.html`,
        status: i % 50 === 0 ? 'removed' : 'modified',
      }),
    );
    const run = await act(
      { pulls: { 42: files } },
      {
        event: {
          name: 'pull_request',
          payload: {
            number: 42,
            // A pull request from a branch of the same repository (one from a fork is refused).
            pull_request: {
              number: 42,
              base: { sha: 'a'.repeat(40), repo: { full_name: FAKE_REPOSITORY } },
              head: { sha: 'b'.repeat(40), repo: { full_name: FAKE_REPOSITORY } },
            },
          },
        },
      },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(files.map((_, i) => U(`page%20${i}.html`)).sort());
    expect(github?.requests.map((request) => request.path)).toEqual([
      `/repos/${FAKE_REPOSITORY}/pulls/42/files?per_page=100`,
      `/repos/${FAKE_REPOSITORY}/pulls/42/files?per_page=100&page=2`,
      `/repos/${FAKE_REPOSITORY}/pulls/42/files?per_page=100&page=3`,
    ]);
  });

  it('fails before sending anything when a comparison lists 300 files, and points to a checkout', async () => {
    const before = 'a'.repeat(40);
    const after = 'b'.repeat(40);
    const files = Array.from(
      { length: 301 },
      (_, i): GitHubFile => ({ filename: `site/f${i}.html`, status: 'added' }),
    );
    const run = await act(
      { comparisons: { [`${before}...${after}`]: { status: 'ahead', files } } },
      { event: push(before, after) },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('the GitHub API lists at most 300 files of the comparison');
    expect(run.errors[0]).toContain('so the list may be cut; nothing was sent');
    expect(run.errors[0]).toContain('actions/checkout: the default fetch-depth is enough');
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('fails on a bad token with a message naming github-token and the permissions, sending nothing', async () => {
    const before = 'a'.repeat(40);
    const after = 'b'.repeat(40);
    const run = await act(
      { comparisons: { [`${before}...${after}`]: { status: 'ahead', files: [] } } },
      { event: push(before, after), inputs: { 'github-token': 'ghs_notTheRightOne' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('HTTP 401 (Bad credentials)');
    expect(run.errors[0]).toContain('Check the github-token input');
    expect(run.errors[0]).toContain('contents: read');
    expect(unmasked(run)).not.toContain('ghs_notTheRightOne');
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('takes the API when asked to, even in a checkout, and waits out a rate limit', async () => {
    const before = fixture.repo.commit({ 'site/a.html': 'a' });
    const after = fixture.repo.commit({ 'site/a.html': 'a 2' });
    fixture.repo.push();
    const run = await act(
      {
        failFirst: { requests: 1, answer: '429-retry-after', seconds: 1 },
        comparisons: { [`${before}...${after}`]: { status: 'ahead', files: githubFiles(before, after) } },
      },
      {
        event: push(before, after),
        workspace: fixture.repo.checkout(),
        inputs: { 'changed-files-source': 'api' },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('The GitHub API is rate limiting this token (HTTP 429): waiting 1 s');
    expect(sent('PurgeUrlsCache')).toEqual([U('a.html')]);
    expect(github?.requests.map((request) => request.answered)).toEqual([429, 200]);
  });
});
