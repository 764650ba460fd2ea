/**
 * changed-files and the tree at the compared commits, through the bundle: a root-dir that exists at neither is
 * refused, and coalescing counts the unchanged files under each directory (git ls-tree of the deploy commit).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import type { DailyQuota } from '../fakes/tencent-cdn/types.js';
import { GitFixture } from '../support/git-fixture.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const BASE = 'https://www.example.com/';
const U = (path: string): string => `${BASE}${path}`;

let emulator: TencentCdnEmulator | undefined;
let repo: GitFixture | undefined;

afterEach(async () => {
  await emulator?.close();
  repo?.cleanup();
});

/** A site pushed to origin, then one pushed commit with `changes`; the run compares the two. */
async function deploy(
  changes: Record<string, string | null>,
  inputs: Record<string, string>,
  dailyQuota: DailyQuota = {},
): Promise<{ run: ActionRun; cdn: TencentCdnEmulator }> {
  const cdn = await startTencentCdnEmulator({ dailyQuota });
  emulator = cdn;
  const git = new GitFixture();
  repo = git;
  const before = git.commit({
    'README.md': 'readme',
    'site/index.html': 'home',
    'site/keep.html': 'kept',
    'site/blog/index.html': 'blog',
    'site/blog/post.html': 'post',
    'drafts/draft.html': 'draft',
  });
  git.push();
  const after = git.commit(changes);
  git.push();
  const run = await runAction(
    {
      ...stepInputs(cdn),
      'changed-files': 'true',
      'base-url': BASE,
      ...inputs,
    },
    {
      workspace: git.checkout(),
      env: git.pushEnv(before, after),
    },
  );
  return { run, cdn };
}

const sent = (cdn: TencentCdnEmulator, field: 'urls' | 'paths'): string[] =>
  cdn.accepted.flatMap((task) => task[field] ?? []).sort();

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
  // blog/ gets 6 new files beside 2 unchanged ones; docs/ is new, 5 files; keep.html changes: 12 URLs.
  const changes = {
    ...Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [`site/blog/${name}.html`, name])),
    ...Object.fromEntries(['1', '2', '3', '4', '5'].map((name) => [`site/docs/${name}.html`, name])),
    'site/keep.html': 'kept 2',
  };

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

  it('fails before sending, with the numbers, when not even the site root fits', async () => {
    const { run, cdn } = await deploy(changes, { 'root-dir': 'site' }, { purgeUrls: 0, purgePaths: 0 });
    expect(run.exitCode).toBe(1);
    expect(cdn.accepted).toEqual([]);
    expect(run.stdout).toContain('Coalescing cannot fit the URL purge: 0 directory purges are left today');
    expect(run.stdout).toContain('PurgeUrlsCache needs 12 but 0 of 0 a day are available');
  });
});
