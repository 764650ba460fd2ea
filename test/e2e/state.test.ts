/**
 * changed-files-source: content and the deploy state, through the bundle against a fake of the Actions cache
 * service (test/fakes/actions-cache/): two deploys in a row, the second sending only what changed between the
 * two builds and what the first could not deliver.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import { type ActionsCacheFake, startActionsCacheFake } from '../fakes/actions-cache/server.js';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import type { EmulatorOptions } from '../fakes/tencent-cdn/types.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const BASE = 'https://www.example.com/';
const U = (path: string): string => `${BASE}${path}`;

let cache: ActionsCacheFake;
let workspace: string;
let runnerTemp: string;
let emulators: TencentCdnEmulator[] = [];

beforeEach(async () => {
  cache = await startActionsCacheFake();
  workspace = await mkdtemp(join(tmpdir(), 'cdn-state-site-'));
  // The runner's temporary folder is the same for every job of a runner: the state's path, and so the cache's version.
  runnerTemp = await mkdtemp(join(tmpdir(), 'cdn-state-temp-'));
});

afterEach(async () => {
  await cache.close();
  for (const emulator of emulators) await emulator.close();
  emulators = [];
  await rm(workspace, { recursive: true, force: true });
  await rm(runnerTemp, { recursive: true, force: true });
});

/** Writes the build output: `null` deletes a file. */
async function build(files: Record<string, string | null>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(workspace, path);
    if (content === null) await rm(absolute);
    else {
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, content);
    }
  }
}

/** Saves `state` as the action's state file under `key`, through @actions/cache as a step would. */
async function saveForged(key: string, state: unknown): Promise<void> {
  const path = join(runnerTemp, 'cdn-purge-prefetch-state', 'state.json');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(state));
  const saved = { ...process.env };
  Object.assign(process.env, cache.env, { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp });
  // The library logs as a step does, on this process's standard output.
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const { saveCache } = await import('@actions/cache');
    expect(await saveCache([path], key)).toBeGreaterThan(0);
  } finally {
    quiet.mockRestore();
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await rm(path);
  }
}

async function deploy(
  inputs: Record<string, string>,
  options: EmulatorOptions = {},
  prepare: (emulator: TencentCdnEmulator) => void = () => {},
  env: Record<string, string> = cache.env,
): Promise<{ run: ActionRun; cdn: TencentCdnEmulator }> {
  const cdn = await startTencentCdnEmulator(options);
  emulators.push(cdn);
  prepare(cdn);
  const run = await runAction(
    { ...stepInputs(cdn), ...inputs },
    { workspace, env: { ...env, RUNNER_TEMP: runnerTemp, GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' } },
  );
  return { run, cdn };
}

const CONTENT = {
  'changed-files': 'true',
  'changed-files-source': 'content',
  'root-dir': 'public',
  'base-url': BASE,
};

const sent = (cdn: TencentCdnEmulator, action: string): string[] =>
  cdn.accepted
    .filter((task) => task.action === action)
    .flatMap((task) => task.urls ?? task.paths ?? [])
    .sort();

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
    expect(stateFile).toBe(join(runnerTemp, 'cdn-purge-prefetch-state', 'state.json'));
    expect(cache.entries.map((entry) => entry.key)).toEqual([
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
    expect(cache.entries).toHaveLength(2);

    // A third deploy of the same build sends nothing and keeps the state as it is.
    const third = await deploy(CONTENT);
    expect(third.run.exitCode).toBe(0);
    expect(third.cdn.accepted).toEqual([]);
    expect(third.run.stdout).toContain('Deploy state: unchanged by this run; nothing to save.');
    expect(cache.entries).toHaveLength(2);
  });
});

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
    const entries = cache.entries.length;
    const dry = await deploy({ urls: U('b.js'), state: 'cache', 'dry-run': 'true' });
    expect(dry.run.exitCode).toBe(0);
    expect(JSON.parse(dry.run.outputs.urls ?? '')).toEqual([U('b.js'), U('a.js')]);
    expect(dry.run.outputs['state-file']).toBe('');
    expect(cache.entries).toHaveLength(entries);
    expect(cache.calls.filter((call) => call.method === 'CreateCacheEntry')).toHaveLength(1);
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
    expect(run.outputs['state-file']).toBe(join(runnerTemp, 'cdn-purge-prefetch-state', 'state.json'));
  });

  it('refuses the save, which the library logs only as information: the action warns', async () => {
    await build({ 'public/a.html': 'a' });
    cache.refuseReservations = true;
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
    const key = cache.entries[0]?.key ?? '';
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
