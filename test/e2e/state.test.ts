/**
 * changed-files-source: content and the deploy state, through the bundle against a fake of the Actions cache
 * service (test/fakes/actions-cache/): two deploys in a row, the second sending only what changed between the
 * two builds and what the first could not deliver. The other cases run run() in process:
 * test/state/deploy-state.test.ts.
 */

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import { CONTENT, deployStatePerTest, sent, U } from '../support/deploy-state.js';
import { bundle } from '../support/step-runner.js';

const state = deployStatePerTest(bundle);
const { build, deploy } = state;

describe('changed-files-source: content with the deploy state in the Actions cache', () => {
  it('purges every file on the first deploy, then only what changed and what the first could not deliver', async () => {
    await build({
      'public/index.html': 'home',
      'public/about.html': 'about v1',
      'public/old.html': 'old',
      'public/blog/index.html': 'blog',
      'public/blog/a.html': 'a',
      'public/blog/b.html': 'b',
      'public/blog/c.html': 'c',
      'public/.git/HEAD': 'not served',
    });
    // Today's URL quota takes 4: coalescing purges blog/ as a directory, and that purge is refused.
    const first = await deploy(CONTENT, { dailyQuota: { purgeUrls: 4 } }, (cdn) =>
      cdn.failNext({
        action: 'PurgePathCache',
        kind: 'error',
        code: 'LimitExceeded.CdnPurgePathExceedDayLimit',
        message: 'day limit',
      }),
    );
    expect(first.run.stdout).toContain(
      'changed-files: no manifest of an earlier deploy (no deploy state in the Actions cache under cdn-purge-prefetch-state-1-',
    );
    expect(first.run.stdout).toContain('so every one of the 7 files in public/ counts as changed');
    expect(sent(first.cdn, 'PurgeUrlsCache')).toEqual([
      U(''),
      U('about.html'),
      U('index.html'),
      U('old.html'),
    ]);
    expect(first.run.exitCode).toBe(1);
    expect((first.run.report as CompleteResult).failed.map((failure) => failure.url)).toEqual([U('blog/')]);
    const stateFile = first.run.outputs['state-file'] ?? '';
    expect(stateFile).toBe(join(state.runnerTemp, 'cdn-purge-prefetch-state', 'state.json'));
    expect(state.cache.entries.map((entry) => entry.key)).toEqual([
      expect.stringMatching(/^cdn-purge-prefetch-state-1-[0-9a-f]{24}-42-1-\d+$/),
    ]);

    // The next build: one file modified, one added, one deleted, and one the first run missed deleted too.
    await build({
      'public/about.html': 'about v2',
      'public/new.html': 'new',
      'public/old.html': null,
      'public/blog/c.html': null,
      'public/index.html': 'home',
    });
    await rm(stateFile);
    const second = await deploy(CONTENT);
    expect(second.run.exitCode).toBe(0);
    expect(second.run.stdout).toContain('Deploy state: restored cdn-purge-prefetch-state-1-');
    expect(second.run.stdout).toContain(': a manifest of 3 files, 5 pending targets.');
    expect(second.run.stdout).toContain('Deploy state: 5 targets carried over from earlier runs');
    expect(sent(second.cdn, 'PurgeUrlsCache')).toEqual(
      [
        'about.html',
        'blog/',
        'blog/a.html',
        'blog/b.html',
        'blog/c.html',
        'blog/index.html',
        'new.html',
        'old.html',
      ].map(U),
    );
    expect(sent(second.cdn, 'PurgePathCache')).toEqual([]);
    expect(state.cache.entries).toHaveLength(2);

    // A third deploy of the same build sends nothing and keeps the state as it is.
    const third = await deploy(CONTENT);
    expect(third.run.exitCode).toBe(0);
    expect(third.cdn.accepted).toEqual([]);
    expect(third.run.stdout).toContain('Deploy state: unchanged by this run; nothing to save.');
    expect(state.cache.entries).toHaveLength(2);
  });
});
