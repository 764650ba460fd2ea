/**
 * The deploy state in the Actions cache, run() in process against a fake of the cache service
 * (test/fakes/actions-cache/): targets carried over between runs, and a cache that fails.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import { startActionsCacheFake } from '../fakes/actions-cache/server.js';
import { BASE, CONTENT, deployStatePerTest, sent, U } from '../support/deploy-state.js';
import { inProcess } from '../support/step-runner.js';

const state = deployStatePerTest(inProcess);
const { build, deploy, saveForged } = state;

describe('targets carried over between runs', () => {
  it('sends again, with a log line and a summary line, the targets an earlier run could not deliver', async () => {
    const first = await deploy({ urls: U('a.js'), paths: U('img/'), state: 'cache' }, {}, (cdn) =>
      cdn.failNext({
        action: 'PurgeUrlsCache',
        kind: 'error',
        code: 'LimitExceeded.CdnPurgeUrlExceedDayLimit',
        message: 'day limit',
      }),
    );
    expect(first.run.exitCode).toBe(1);
    expect(first.run.stdout).toContain(
      'Deploy state: 1 target not delivered, written to the state for the next run.',
    );

    const second = await deploy({ urls: U('b.js'), state: 'cache' });
    expect(second.run.exitCode).toBe(0);
    expect(sent(second.cdn, 'PurgeUrlsCache')).toEqual([U('a.js'), U('b.js')]);
    expect(second.run.stdout).toMatch(
      /Deploy state: 1 target carried over from earlier runs \(not delivered since \d{4}-\d\d-\d\dT[\d:.]+Z\), sent again by this run\./,
    );
    expect(second.run.summary).toContain('1 target carried over from earlier runs (not delivered since ');
    const report = second.run.report as CompleteResult;
    expect(report['carried-over']).toEqual({ count: 1, since: expect.any(String), targets: [U('a.js')] });

    // Delivered now: the third run has nothing left to carry.
    const third = await deploy({ urls: U('c.js'), state: 'cache' });
    expect(sent(third.cdn, 'PurgeUrlsCache')).toEqual([U('c.js')]);
  });

  it('a dry run reads the state and reports what it would carry, but saves nothing', async () => {
    await deploy({ urls: U('a.js'), state: 'cache' }, {}, (cdn) =>
      cdn.failNext({
        action: 'PurgeUrlsCache',
        kind: 'error',
        code: 'LimitExceeded.CdnPurgeUrlExceedDayLimit',
      }),
    );
    const entries = state.cache.entries.length;
    const dry = await deploy({ urls: U('b.js'), state: 'cache', 'dry-run': 'true' });
    expect(dry.run.exitCode).toBe(0);
    expect(JSON.parse(dry.run.outputs.urls ?? '')).toEqual([U('b.js'), U('a.js')]);
    expect(dry.run.outputs['state-file']).toBe('');
    expect(state.cache.entries).toHaveLength(entries);
    expect(state.cache.calls.filter((call) => call.method === 'CreateCacheEntry')).toHaveLength(1);
  });
});

describe('a cache that fails', () => {
  it('cannot be reached: a warning, and the run goes on as a first deploy', async () => {
    await build({ 'public/a.html': 'a' });
    const closed = await startActionsCacheFake();
    await closed.close();
    const { run, cdn } = await deploy(CONTENT, {}, () => {}, closed.env);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('::warning::Failed to restore: ');
    expect(run.stdout).toContain('so every one of the 1 file in public/ counts as changed');
    expect(sent(cdn, 'PurgeUrlsCache')).toEqual([U('a.html')]);
    expect(run.stdout).toContain('::warning::Deploy state: the Actions cache did not take the state');
  });

  it('is not on this runner: a warning of our own with content (or state: cache), which the state decides', async () => {
    await build({ 'public/a.html': 'a' });
    const { run } = await deploy(CONTENT, {}, () => {}, {});
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      '::warning::Deploy state: the Actions cache service is not available to this step (ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL unset: not on a GitHub Actions runner?); this run goes on as a first deploy, and its state is not kept.',
    );
    expect(run.stdout.match(/::warning::/g)).toHaveLength(1);
    expect(run.outputs['state-file']).toBe(join(state.runnerTemp, 'cdn-purge-prefetch-state', 'state.json'));
  });

  it('refuses the save, which the library logs only as information: the action warns', async () => {
    await build({ 'public/a.html': 'a' });
    state.cache.refuseReservations = true;
    const { run } = await deploy(CONTENT);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Failed to save: Unable to reserve cache with key cdn-purge-prefetch-state-1-',
    );
    expect(run.stdout).toContain('::warning::Deploy state: the Actions cache did not take the state');
  });

  it('holds a state that fails the checks: ignored with a warning', async () => {
    await build({ 'public/a.html': 'a' });
    expect((await deploy(CONTENT)).run.exitCode).toBe(0);
    const key = state.cache.entries[0]?.key ?? '';
    // Anyone who can write the repository's cache can save under the deployment's key: a pending URL of another site.
    await saveForged(`${key}-forged`, {
      format: 1,
      savedAt: new Date().toISOString(),
      manifest: {},
      pending: [{ target: 'https://evil.example.net/x', kind: 'url', since: new Date().toISOString() }],
    });
    const { run, cdn } = await deploy(CONTENT);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `::warning::Deploy state: the state restored from ${key}-forged is ignored: pending target "https://evil.example.net/x" lies under none of the sites' base URLs (${BASE}); this run goes on as a first deploy.`,
    );
    expect(sent(cdn, 'PurgeUrlsCache')).toEqual([U('a.html')]);
  });
});
