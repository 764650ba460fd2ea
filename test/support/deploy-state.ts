/**
 * Deploys in a row against a fake of the Actions cache service (test/fakes/actions-cache/) and a Tencent CDN
 * emulator, new for each test: the deploy state's tests, through the bundle (test/e2e/state.test.ts) or run() in
 * process (test/state/deploy-state.test.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { type ActionsCacheFake, startActionsCacheFake } from '../fakes/actions-cache/server.js';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import type { EmulatorOptions } from '../fakes/tencent-cdn/types.js';
import type { ActionRun } from './run-action.js';
import type { Runner } from './step-runner.js';

export const BASE = 'https://www.example.com/';
export const U = (path: string): string => `${BASE}${path}`;

export const CONTENT = {
  'changed-files': 'true',
  'changed-files-source': 'content',
  'root-dir': 'public',
  'base-url': BASE,
};

export const sent = (cdn: TencentCdnEmulator, action: string): string[] =>
  cdn.accepted
    .filter((task) => task.action === action)
    .flatMap((task) => task.urls ?? task.paths ?? [])
    .sort();

export interface DeployState {
  cache: ActionsCacheFake;
  workspace: string;
  /** The runner's temporary folder is the same for every job of a runner: the state's path, and so the cache's version. */
  runnerTemp: string;
  /** Writes the build output: `null` deletes a file. */
  build(files: Record<string, string | null>): Promise<void>;
  /** Saves `state` as the action's state file under `key`, through @actions/cache as a step would. */
  saveForged(key: string, state: unknown): Promise<void>;
  /** One deploy: a new emulator (`prepare` sets its faults), the step run by the runner in the workspace. */
  deploy(
    inputs: Record<string, string>,
    options?: EmulatorOptions,
    prepare?: (emulator: TencentCdnEmulator) => void,
    env?: Record<string, string>,
  ): Promise<{ run: ActionRun; cdn: TencentCdnEmulator }>;
}

/** Registers, for the calling test file, a cache fake and the folders made before each test and removed after it. */
export function deployStatePerTest(runner: Runner): DeployState {
  let emulators: TencentCdnEmulator[] = [];
  const state: DeployState = {
    cache: undefined as unknown as ActionsCacheFake,
    workspace: '',
    runnerTemp: '',
    async build(files) {
      for (const [path, content] of Object.entries(files)) {
        const absolute = join(state.workspace, path);
        if (content === null) await rm(absolute);
        else {
          await mkdir(dirname(absolute), { recursive: true });
          await writeFile(absolute, content);
        }
      }
    },
    async saveForged(key, forged) {
      const path = join(state.runnerTemp, 'cdn-purge-prefetch-state', 'state.json');
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify(forged));
      const saved = { ...process.env };
      Object.assign(process.env, state.cache.env, {
        GITHUB_WORKSPACE: state.workspace,
        RUNNER_TEMP: state.runnerTemp,
      });
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
    },
    async deploy(inputs, options = {}, prepare = () => {}, env = state.cache.env) {
      const cdn = await startTencentCdnEmulator(options);
      emulators.push(cdn);
      prepare(cdn);
      const run = await runner({ ...stepInputs(cdn), ...inputs }, state.workspace, {
        ...env,
        RUNNER_TEMP: state.runnerTemp,
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '1',
      });
      return { run, cdn };
    },
  };
  beforeEach(async () => {
    state.cache = await startActionsCacheFake();
    state.workspace = await mkdtemp(join(tmpdir(), 'cdn-state-site-'));
    state.runnerTemp = await mkdtemp(join(tmpdir(), 'cdn-state-temp-'));
  });
  afterEach(async () => {
    await state.cache.close();
    for (const emulator of emulators) await emulator.close();
    emulators = [];
    await rm(state.workspace, { recursive: true, force: true });
    await rm(state.runnerTemp, { recursive: true, force: true });
  });
  return state;
}
