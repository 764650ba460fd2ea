/** changed-files and the tree at the compared commits, run() in process: sites lines, a deleted root-dir, a quota of 0. */
import { describe, expect, it } from 'vitest';
import { BASE, U } from '../support/changed-files-step.js';
import { changes, sent, siteTreeDeploys } from '../support/site-tree-deploy.js';
import { inProcess } from '../support/step-runner.js';

const deploy = siteTreeDeploys(inProcess);

describe('root-dir and the compared commits', () => {
  it('refuses a sites line whose folder is at neither commit, naming sites', async () => {
    const { run, cdn } = await deploy(
      { 'site/keep.html': 'kept 2' },
      { 'base-url': '', sites: `site => ${BASE}\nsite/blgo => https://blog.example.com/` },
    );
    expect(run.exitCode).toBe(1);
    expect(cdn.requests).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^Input 'sites' has the value "site\/blgo": no such folder in either compared commit \([0-9a-f]{7}, [0-9a-f]{7}\); the folders at the top of the repository are "drafts", "site"\. A sites line's ROOT-DIR /,
    );
  });

  it('takes a root-dir that exists only at the earlier commit: the deploy deleted it', async () => {
    const { run, cdn } = await deploy({ 'drafts/draft.html': null }, { 'root-dir': 'drafts' });
    expect(run.exitCode).toBe(0);
    expect(sent(cdn, 'urls')).toEqual([U('draft.html')]);
  });
});

describe('coalescing with changed-files', () => {
  it('fails before sending, with the numbers, when not even the site root fits', async () => {
    const { run, cdn } = await deploy(changes, { 'root-dir': 'site' }, { purgeUrls: 0, purgePaths: 0 });
    expect(run.exitCode).toBe(1);
    expect(cdn.accepted).toEqual([]);
    expect(run.stdout).toContain('Coalescing cannot fit the URL purge: 0 directory purges are left today');
    expect(run.stdout).toContain('PurgeUrlsCache needs 12 but 0 of 0 a day are available');
  });
});
