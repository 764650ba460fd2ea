/**
 * changed-files from the GitHub REST API through the bundle, in a workspace that is not a git repository (a deploy
 * job that downloaded its build): the fake API answers what GitHub would for real commits of a fixture repository,
 * and the URLs on the wire must be those git gives for the same push. The other cases run run() in process:
 * test/targets/changed-files-api-step.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_TOKEN } from '../fakes/github-api/server.js';
import { BASE, sentUrls, U } from '../support/changed-files-step.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { apiPush, githubApiCase } from '../support/github-api-step.js';
import { type ActionRun, runAction, shownLog } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();
const api = githubApiCase(fixture, (inputs, env, workspace) =>
  runAction(inputs, { ...(workspace === undefined ? {} : { workspace }), env }),
);
const { act, githubFiles } = api;
const sent = (action: string): string[] => sentUrls(fixture, action);
const unmasked = (run: ActionRun): string => shownLog(run.stdout);

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
      { event: apiPush(before, after) },
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
    expect(api.github?.requests.map((request) => request.authorization)).toEqual([`token ${FAKE_TOKEN}`]);
    // Registered as a secret before anything is logged, and in no other line.
    expect(fromApi.stdout.startsWith('::add-mask::')).toBe(true);
    expect(fromApi.stdout).toContain(`::add-mask::${FAKE_TOKEN}\n`);
    expect(unmasked(fromApi)).not.toContain(FAKE_TOKEN);

    fixture.emulator.requests.length = 0;
    // The fixture's origin is a local path, not GITHUB_REPOSITORY, so auto would take the API here.
    const fromGit = await act(
      {},
      {
        event: apiPush(before, after),
        workspace: fixture.repo.checkout(),
        inputs: { 'changed-files-source': 'git' },
      },
    );
    expect(fromGit.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(viaApi);
    expect(api.github?.requests).toEqual([]);
  });
});
