/**
 * The deploy state in the GitHub Actions cache, through the toolkit's @actions/cache, loaded only when a state is
 * kept (docs/state.md#the-actions-cache). Caching is never what fails a run: every failure is a warning.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Log, StateSettings } from '../settings.js';

/** What the cache held under the deployment's key prefix. */
export type Restored = { text: string; key: string } | { text: undefined; why: string };

export interface StateStore {
  /** The path the state is restored to and saved from: the same every run, as the cache's version hashes it. */
  readonly path: string;
  restore(): Promise<Restored>;
  /** Saves the file at `path` under a new key; false (after a warning) when the cache did not take it. */
  save(): Promise<boolean>;
}

/** Largest state file read back (100,000 files take about 15 MB). */
const MAX_STATE_BYTES = 512 * 1024 * 1024;

export function actionsCacheStore(
  { keyPrefix, warnWithoutCache }: StateSettings,
  env: Record<string, string | undefined>,
  log: Log,
): StateStore {
  const path = join(env.RUNNER_TEMP || tmpdir(), 'cdn-purge-prefetch-state', 'state.json');
  const load = () => import('@actions/cache');
  const unavailable =
    'the Actions cache service is not available to this step (ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL unset: not on a GitHub Actions runner?)';
  let available = true;
  return {
    path,
    async restore() {
      await rm(path, { force: true });
      const cache = await load();
      if (!cache.isFeatureAvailable()) {
        const line = `Deploy state: ${unavailable}; this run goes on as a first deploy, and its state is not kept.`;
        if (warnWithoutCache) log.warning(line);
        else log.info(line);
        available = false;
        return { text: undefined, why: unavailable };
      }
      let key: string | undefined;
      try {
        key = await cache.restoreCache([path], keyPrefix, [keyPrefix]);
      } catch (error) {
        const why = `the Actions cache could not be read (${message(error)})`;
        log.warning(`Deploy state: ${why}; this run goes on as a first deploy.`);
        return { text: undefined, why };
      }
      // A miss and a failure both come back undefined; the library has warned of a failure itself.
      if (key === undefined)
        return { text: undefined, why: `no deploy state in the Actions cache under ${keyPrefix}*` };
      const text = await readCapped(path);
      if (text === undefined) {
        const why = `the restored state file ${path} is missing or larger than ${MAX_STATE_BYTES} bytes`;
        log.warning(`Deploy state: ${why}; this run goes on as a first deploy.`);
        return { text: undefined, why };
      }
      return { text, key };
    },
    async save() {
      // Said once, when the state was restored.
      if (!available) return false;
      const cache = await load();
      const key = `${keyPrefix}${env.GITHUB_RUN_ID || 'local'}-${env.GITHUB_RUN_ATTEMPT || '1'}-${Date.now()}`;
      let id: number;
      try {
        id = await cache.saveCache([path], key);
      } catch (error) {
        log.info(message(error));
        id = -1;
      }
      // The library returns -1 and logs a failed save only as information (a key taken, a reservation refused).
      if (id === -1) {
        log.warning(
          `Deploy state: the Actions cache did not take the state (key ${key}, see the message above); the next run compares with the last state saved before this one, so it sends again what this run delivered. The state is in ${path} (the state-file output).`,
        );
        return false;
      }
      log.info(`Deploy state: saved to the Actions cache under ${key}.`);
      return true;
    },
  };
}

/** Writes the state file where `save` takes it from. */
export async function writeStateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

async function readCapped(path: string): Promise<string | undefined> {
  const size = await stat(path).then(
    (found) => found.size,
    () => undefined,
  );
  if (size === undefined || size > MAX_STATE_BYTES) return undefined;
  return readFile(path, 'utf8');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
