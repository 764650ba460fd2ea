/**
 * A root-dir is checked at both compared commits: a deploy may add the served folder or delete it, and only a
 * folder at neither commit is a typo.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { findChangedFiles } from '../../src/targets/changed-files.js';
import { GitFixture } from '../support/git-fixture.js';
import { settingsFrom } from '../support/settings.js';

let repo: GitFixture;
beforeEach(() => {
  repo = new GitFixture();
});
afterEach(() => {
  repo.cleanup();
});

/** The changed files between `since` and HEAD of the author's clone, with this root-dir. */
function changedSince(since: string, rootDir: string) {
  const settings = settingsFrom({
    provider: 'tencent-cdn',
    'dry-run': 'true',
    'changed-files': 'true',
    'base-url': 'https://www.example.com/',
    'root-dir': rootDir,
    since,
  });
  if (!settings.changedFiles) throw new Error('changed-files is off');
  const env = { ...process.env, ...repo.env, GITHUB_WORKSPACE: repo.author };
  const log = { info: () => {}, warning: () => {} };
  return findChangedFiles(settings.changedFiles, env, { log, limits: settings.delivery });
}

describe('root-dir at the compared commits', () => {
  it('takes a root-dir that only the earlier commit has: the deploy deleted it', async () => {
    const before = repo.commit({ 'site/index.html': 'home', 'drafts/draft.html': 'draft' });
    repo.commit({ 'drafts/draft.html': null });
    const changed = await changedSince(before, 'drafts');
    expect(changed.mapping.purgeOnlyUrls).toEqual(['https://www.example.com/draft.html']);
  });

  it('takes a root-dir that only the later commit has: the deploy added it', async () => {
    const before = repo.commit({ 'site/index.html': 'home' });
    repo.commit({ 'drafts/draft.html': 'draft' });
    const changed = await changedSince(before, 'drafts');
    expect(changed.mapping.urls).toEqual(['https://www.example.com/draft.html']);
  });

  it('refuses a root-dir that neither commit has, naming the folders there are', async () => {
    const before = repo.commit({ 'site/index.html': 'home' });
    repo.commit({ 'site/index.html': 'home 2' });
    const refusal = await changedSince(before, 'stie').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).message).toContain(
      `no such folder in either compared commit (${repo.git(repo.author, 'rev-parse', 'HEAD').slice(0, 7)}, ${before.slice(0, 7)}); the folders at the top of the repository are "site"`,
    );
  });
});
