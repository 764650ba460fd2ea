/**
 * changed-files from the GitHub REST API, run() in process in a workspace that is not a git repository: pages,
 * limits, a bad token and a rate limit waited out on the fake clock.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_REPOSITORY, type GitHubFile } from '../fakes/github-api/server.js';
import { sentUrls, U } from '../support/changed-files-step.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { apiPush, githubApiCase } from '../support/github-api-step.js';
import { type ActionRun, shownLog } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

const fixture = emulatorAndRepoPerTest();
const api = githubApiCase(fixture, (inputs, env, workspace) =>
  runInProcess(inputs, undefined, env, workspace === undefined ? {} : { workspace }),
);
const { act, githubFiles } = api;
const sent = (action: string): string[] => sentUrls(fixture, action);
const unmasked = (run: ActionRun): string => shownLog(run.stdout);

describe('changed-files from the GitHub API, without a checkout', () => {
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
    expect(api.github?.requests.map((request) => request.path)).toEqual([
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
      { event: apiPush(before, after) },
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
      { event: apiPush(before, after), inputs: { 'github-token': 'ghs_notTheRightOne' } },
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
        event: apiPush(before, after),
        workspace: fixture.repo.checkout(),
        inputs: { 'changed-files-source': 'api' },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('The GitHub API is rate limiting this token (HTTP 429): waiting 1 s');
    expect(sent('PurgeUrlsCache')).toEqual([U('a.html')]);
    expect(api.github?.requests.map((request) => request.answered)).toEqual([429, 200]);
  });
});
