/**
 * The deploys of the tree tests (test/e2e/site-tree.test.ts, test/targets/site-tree-step.test.ts): a site pushed to
 * origin, one pushed commit of changes, the step comparing the two with an emulator of its own.
 */
import { afterEach } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import type { DailyQuota } from '../fakes/tencent-cdn/types.js';
import { BASE } from './changed-files-step.js';
import { GitFixture } from './git-fixture.js';
import type { ActionRun } from './run-action.js';
import type { Runner } from './step-runner.js';

export const sent = (cdn: TencentCdnEmulator, field: 'urls' | 'paths'): string[] =>
  cdn.accepted.flatMap((task) => task[field] ?? []).sort();

/** blog/ gets 6 new files beside 2 unchanged ones; docs/ is new, 5 files; keep.html changes: 12 URLs. */
export const changes = {
  ...Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [`site/blog/${name}.html`, name])),
  ...Object.fromEntries(['1', '2', '3', '4', '5'].map((name) => [`site/docs/${name}.html`, name])),
  'site/keep.html': 'kept 2',
};

/** Registers, for the calling test file, the cleanup of what `deploy` makes; returns `deploy`, run by `runner`. */
export function siteTreeDeploys(runner: Runner) {
  let emulator: TencentCdnEmulator | undefined;
  let repo: GitFixture | undefined;
  afterEach(async () => {
    await emulator?.close();
    repo?.cleanup();
  });
  /** A site pushed to origin, then one pushed commit with `changes`; the run compares the two. */
  return async function deploy(
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
    const run = await runner(
      { ...stepInputs(cdn), 'changed-files': 'true', 'base-url': BASE, ...inputs },
      git.checkout(),
      git.pushEnv(before, after),
    );
    return { run, cdn };
  };
}
