/**
 * changed-files and the tree at the compared commits, through the bundle: a root-dir that exists at neither is
 * refused, and coalescing counts the unchanged files under each directory (git ls-tree of the deploy commit). The
 * other cases run run() in process: test/targets/site-tree-step.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { U } from '../support/changed-files-step.js';
import { changes, sent, siteTreeDeploys } from '../support/site-tree-deploy.js';
import { bundle } from '../support/step-runner.js';

const deploy = siteTreeDeploys(bundle);

describe('root-dir and the compared commits', () => {
  it('refuses a root-dir that is a folder at neither commit, naming the folders that exist, and sends nothing', async () => {
    const { run, cdn } = await deploy({ 'site/keep.html': 'kept 2' }, { 'root-dir': 'stie' });
    expect(run.exitCode).toBe(1);
    expect(cdn.requests).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^Input 'root-dir' has the value "stie": no such folder in either compared commit \([0-9a-f]{7}, [0-9a-f]{7}\); the folders at the top of the repository are "drafts", "site"\. /,
    );
  });
});

describe('coalescing with changed-files', () => {
  it('purges the directory with no unchanged file, where the deepest-directory choice would take the larger blog/', async () => {
    const { run, cdn } = await deploy(changes, { 'root-dir': 'site' }, { purgeUrls: 7, purgePaths: 1 });
    expect(run.exitCode).toBe(0);
    expect(sent(cdn, 'paths')).toEqual([U('docs/')]);
    expect(sent(cdn, 'urls')).toEqual(
      [...['a', 'b', 'c', 'd', 'e', 'f'].map((name) => U(`blog/${name}.html`)), U('keep.html')].sort(),
    );
    expect(run.stdout).toContain(
      "5 URLs under 1 directory purged as directories to fit today's quota (7 URL and 1 directory purges available); 7 URLs purged one by one. The directories also hold 0 files this deploy did not change",
    );
  });
});
