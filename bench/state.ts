/**
 * (h) changed-files-source: content: hashing a build folder of 100,000 files, 1 GiB, beside
 *     `find … -type f -print0 | xargs -0 sha256sum` on the same tree (the page cache warmed by a first pass of each);
 * (i) the deploy state of those 100,000 files written and saved to, then restored from and read back, a fake of
 *     the Actions cache service on 127.0.0.1 through @actions/cache, as a run does.
 * The tree is generated in a temporary folder and removed afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { StateSettings } from '../src/settings.js';
import { actionsCacheStore, writeStateFile } from '../src/state/cache-store.js';
import { parseState, serializeState } from '../src/state/format.js';
import { hashFolders } from '../src/targets/content.js';
import type { Manifest } from '../src/targets/manifest.js';
import { startActionsCacheFake } from '../test/fakes/actions-cache/server.js';

const FILES = 100_000;
const TOTAL_BYTES = 1024 ** 3;
const FOLDERS = 1000;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** 100,000 files in 1,000 folders, sizes from 0 to twice the mean (1 GiB in all), bytes from one random pool. */
function generateTree(root: string): number {
  const pool = randomBytes(4 * 1024 * 1024);
  const mean = TOTAL_BYTES / FILES;
  let total = 0;
  for (let folder = 0; folder < FOLDERS; folder++)
    mkdirSync(join(root, 'public', `s${folder}`), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const size = i === FILES - 1 ? TOTAL_BYTES - total : Math.floor((((i * 7919) % 1000) / 999) * 2 * mean);
    const start = (i * 104_729) % (pool.length - size);
    writeFileSync(
      join(root, 'public', `s${i % FOLDERS}`, `page-${i}.html`),
      pool.subarray(start, start + size),
    );
    total += size;
  }
  return total;
}

async function sha256sum(root: string): Promise<number> {
  const start = performance.now();
  await promisify(execFile)('sh', ['-c', 'find public -type f -print0 | xargs -0 sha256sum > /dev/null'], {
    cwd: root,
  });
  return performance.now() - start;
}

async function hashing(root: string): Promise<{ ms: number; manifest: Manifest }> {
  const start = performance.now();
  const { manifest } = await hashFolders(root, ['public']);
  if (manifest.size !== FILES) throw new Error(`hashed ${manifest.size} files, not ${FILES}`);
  return { ms: performance.now() - start, manifest };
}

/** Runs `work` with the process's standard output muted: @actions/cache logs as a step does. */
async function muted<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

export async function stateRoundTrip(root: string, manifest: Manifest): Promise<void> {
  const cache = await startActionsCacheFake();
  const saved = { ...process.env };
  const runnerTemp = mkdtempSync(join(tmpdir(), 'cdn-bench-temp-'));
  Object.assign(process.env, cache.env, { GITHUB_WORKSPACE: root, RUNNER_TEMP: runnerTemp });
  try {
    const settings: StateSettings = {
      keyPrefix: 'cdn-purge-prefetch-state-1-bench-',
      baseUrls: [],
      warnWithoutCache: true,
    };
    const log = { info: () => {}, warning: (message: string) => console.log(`    warning: ${message}`) };
    const store = actionsCacheStore(settings, process.env, log);
    const state = { savedAt: new Date().toISOString(), manifest, pending: [] };
    const saveStart = performance.now();
    const text = serializeState(state);
    await writeStateFile(store.path, text);
    const writeMs = performance.now() - saveStart;
    if (!(await muted(() => store.save()))) throw new Error('the fake did not take the state');
    const saveMs = performance.now() - saveStart;
    const restoreStart = performance.now();
    const restored = await muted(() => store.restore());
    if (restored.text === undefined) throw new Error(`nothing restored: ${restored.why}`);
    const read = parseState(restored.text, []);
    if ('invalid' in read || read.manifest?.size !== FILES) throw new Error('the state did not read back');
    const restoreMs = performance.now() - restoreStart;
    const archive = cache.entries[0]?.data?.length ?? 0;
    console.log(
      `(i) deploy state of ${FILES.toLocaleString('en-US')} files (${mib(Buffer.byteLength(text))} of JSON, a ${mib(archive)} archive): serialized, written and saved ${seconds(saveMs)} (JSON written in ${seconds(writeMs)}, then tar, zstd, upload); restored and checked ${seconds(restoreMs)} (target: under 5 s each)`,
    );
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(runnerTemp, { recursive: true, force: true });
    await cache.close();
  }
}

export async function stateBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'cdn-bench-build-'));
  try {
    const generateStart = performance.now();
    const total = generateTree(root);
    console.log(
      `(h) a build folder of ${FILES.toLocaleString('en-US')} files, ${mib(total)}, generated in ${seconds(performance.now() - generateStart)}`,
    );
    // A first pass of each warms the page cache; the second pass is the one compared.
    const coldSum = await sha256sum(root);
    const coldOurs = (await hashing(root)).ms;
    const sum = await sha256sum(root);
    const { ms: ours, manifest } = await hashing(root);
    console.log(
      `    hashed by the action (SHA-256, 16 files at a time): ${seconds(ours)} (first pass ${seconds(coldOurs)}); find | xargs sha256sum: ${seconds(sum)} (first pass ${seconds(coldSum)}): ${(ours / sum).toFixed(2)}× (target: within 1.5×)`,
    );
    await stateRoundTrip(root, manifest);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
