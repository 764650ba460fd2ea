/**
 * `npm run bench`: prints figures, asserts nothing.
 * (a) planning 100,000 URLs; (b) delivering 60,000 URLs of purge through the emulator at 20 requests/s, against
 * the rate floor; (c) the same job through a plain sequential loop over the official SDK. (b) and (c) run at 50 ms
 * of latency and again at 250 ms, about what a GitHub-hosted runner sees calling the China endpoint.
 * (c) also prints the most that any client keeping to the rate could gain over that loop.
 * (d) cold start of dist/index.js in a dry run, without and with the GitHub API path, and the bundle's size; the same
 *     for a minified bundle of the same source (ncc --minify, built into a temporary folder), runs interleaved.
 * (e) changed-files: 100,000 changed files read from git diff-tree and mapped to URLs (bench/changed-files.ts).
 * (f) outputs, summary, log and report file of 100,000 URLs: a dry run and a quota failure (bench/limits.ts).
 * (g) coalescing: three deploy shapes against Tencent's default quotas, beside brute force on small trees
 *     (bench/coalesce.ts).
 * (h) changed-files-source: content: hashing a 100,000-file, 1 GiB build folder beside find | xargs sha256sum;
 * (i) saving and restoring the deploy state of those files through a fake of the Actions cache (bench/state.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, type AgentOptions } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-cdn';
import { readSettings } from '../src/inputs/read-settings.js';
import { chunk, planOperations, planTargets } from '../src/plan/operations.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { TENCENT_CDN_APIS } from '../src/providers/tencent/cdn.js';
import { FAKE_REPOSITORY, FAKE_TOKEN, startGitHubApiFake } from '../test/fakes/github-api/server.js';
import { DEFAULT_CREDENTIALS, startTencentCdnEmulator } from '../test/fakes/tencent-cdn/emulator.js';
import { BUNDLE, runAction } from '../test/support/run-action.js';
import { changedFilesBench } from './changed-files.js';
import { coalesceBench } from './coalesce.js';
import { limitsBench } from './limits.js';
import { stateBench } from './state.js';

const RATE = 20;
const LATENCIES_MS = [50, 250];
const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}/app.js`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function planning(): void {
  const list = urls(100_000).join('\n');
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  const { settings } = readSettings(
    {
      read: (name) => ({ provider: 'tencent-cdn', urls: list, 'dry-run': 'true' })[name] ?? '',
      env: {},
      workspace: process.cwd(),
    },
    PROVIDERS,
  );
  const operations = planOperations(planTargets(settings, undefined), TENCENT_CDN_APIS);
  const batches = operations.flatMap((op) => chunk(op.targets, op.api.batchSize));
  const elapsed = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`(a) planning 100,000 URLs: ${elapsed.toFixed(0)} ms, ${batches.length} batches,`);
  console.log(
    `    heap grew ${mib(heapAfter - heapBefore)} (peak RSS of the bench so far ${mib(process.resourceUsage().maxRSS * 1024)})`,
  );
}

async function delivery(latencyMs: number): Promise<number> {
  const emulator = await startTencentCdnEmulator({
    ratePerSecond: RATE,
    latencyMs,
    dailyQuota: { purgeUrls: 1_000_000 },
  });
  try {
    const targets = urls(60_000);
    const start = performance.now();
    const run = await runAction(
      {
        provider: 'tencent-cdn',
        endpoint: emulator.url,
        'urls-file': 'urls.txt',
        'secret-id': DEFAULT_CREDENTIALS.secretId,
        'secret-key': DEFAULT_CREDENTIALS.secretKey,
      },
      { files: { 'urls.txt': targets.join('\n') } },
    );
    const elapsed = performance.now() - start;
    const purges = emulator.requests.filter((request) => request.action === 'PurgeUrlsCache');
    const throttled = purges.filter((request) => request.errorCode === 'RequestLimitExceeded').length;
    const floor = (Math.ceil(targets.length / 1000) / RATE) * 1000;
    console.log(
      `(b) 60,000 URLs through dist/index.js (emulator: ${RATE} requests/s, ${latencyMs} ms latency):`,
    );
    console.log(
      `    ${seconds(elapsed)} wall (process start included), exit ${run.exitCode}, ${purges.length} PurgeUrlsCache requests, ${throttled} throttled`,
    );
    console.log(
      `    rate floor ${seconds(floor)} (60 batches ÷ ${RATE}/s): ratio ${(elapsed / floor).toFixed(2)}`,
    );
    return elapsed;
  } finally {
    await emulator.close();
  }
}

async function sdkBaseline(latencyMs: number, ours: number): Promise<void> {
  const emulator = await startTencentCdnEmulator({
    ratePerSecond: RATE,
    latencyMs,
    dailyQuota: { purgeUrls: 1_000_000 },
  });
  try {
    const port = Number(new URL(emulator.url).port);
    // The SDK derives its signing service from the endpoint's first label, so it must keep the real host name;
    // this agent routes that host's connections to the emulator.
    class ToEmulator extends Agent {
      constructor(options?: AgentOptions) {
        super(options);
        this.createConnection = () => connect(port, '127.0.0.1');
      }
    }
    const client = new tencentcloud.cdn.v20180606.Client({
      credential: { secretId: DEFAULT_CREDENTIALS.secretId, secretKey: DEFAULT_CREDENTIALS.secretKey },
      profile: {
        httpProfile: { endpoint: 'cdn.tencentcloudapi.com', protocol: 'http://', agent: new ToEmulator() },
      },
    });
    const batches = chunk(urls(60_000), 1000);
    const start = performance.now();
    for (const batch of batches) await client.PurgeUrlsCache({ Urls: batch });
    const elapsed = performance.now() - start;
    console.log(
      `(c) the same 60 batches through a sequential loop over tencentcloud-sdk-nodejs-cdn (${latencyMs} ms): ${seconds(elapsed)}`,
    );
    // No client that keeps to the rate can finish sooner than the last batch's start plus one round trip.
    const bound = (batches.length - 1) / RATE + latencyMs / 1000;
    console.log(
      `    the action is ${(elapsed / ours).toFixed(2)}× as fast (its figure includes starting a process);`,
    );
    console.log(
      `    a client keeping to ${RATE}/s needs at least ${seconds(bound * 1000)} (${batches.length - 1} gaps of 1/${RATE} s + one round trip), so at most ${(elapsed / (bound * 1000)).toFixed(2)}× as fast`,
    );
  } finally {
    await emulator.close();
  }
}

/** Wall time of one run of a bundle with these environment variables, from spawn to exit. */
async function timeRun(bundle: string, env: Record<string, string>, cwd: string): Promise<number> {
  const start = performance.now();
  await new Promise<void>((done, failed) => {
    const child = spawn(process.execPath, [bundle], { env, cwd, stdio: 'ignore' });
    child.on('error', failed);
    child.on('close', (code) => (code === 0 ? done() : failed(new Error(`exit ${code}`))));
  });
  return performance.now() - start;
}

const median = (times: number[]): number =>
  [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;

const ROOT = resolve(import.meta.dirname, '..');
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * Builds a minified bundle of the same source into `folder` (ncc's CLI from node_modules/.bin, no shell), the
 * way the build script did before it dropped --minify; returns its index.js.
 */
async function buildMinified(folder: string): Promise<string> {
  const ncc = join(ROOT, 'node_modules', '.bin', 'ncc');
  await promisify(execFile)(ncc, ['build', 'src/index.ts', '-o', folder, '--minify'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return join(folder, 'index.js');
}

/**
 * (d) cold start of a dry run: with explicit URLs, and with changed-files from the GitHub API (a fake on
 * 127.0.0.1, in a folder that is no checkout), the one path that loads Octokit; each for dist/index.js (readable,
 * as the build script makes it) and for a minified bundle of the same source. Interleaved, and the order of the
 * two bundles alternates from one round to the next, so that a busy machine slows all alike.
 */
async function coldStart(): Promise<void> {
  const runs = 9;
  const github = await startGitHubApiFake({
    comparisons: {
      [`${'a'.repeat(40)}...${'b'.repeat(40)}`]: {
        status: 'ahead',
        files: [{ filename: 'site/index.html', status: 'modified' }],
      },
    },
  });
  const folder = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  const minifiedFolder = mkdtempSync(join(tmpdir(), 'bench-minified-'));
  try {
    const minified = await buildMinified(minifiedFolder);
    const event = join(folder, 'event.json');
    writeFileSync(event, JSON.stringify({ before: 'a'.repeat(40), after: 'b'.repeat(40) }));
    const base = {
      PATH: process.env.PATH ?? '',
      INPUT_PROVIDER: 'tencent-cdn',
      'INPUT_DRY-RUN': 'true',
      GITHUB_OUTPUT: join(folder, 'output'),
      GITHUB_STEP_SUMMARY: join(folder, 'summary'),
    };
    for (const file of [base.GITHUB_OUTPUT, base.GITHUB_STEP_SUMMARY]) writeFileSync(file, '');
    const plain = { ...base, INPUT_URLS: 'https://www.example.com/a.js' };
    const api = {
      ...base,
      'INPUT_CHANGED-FILES': 'true',
      'INPUT_BASE-URL': 'https://www.example.com/',
      'INPUT_ROOT-DIR': 'site',
      'INPUT_GITHUB-TOKEN': FAKE_TOKEN,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: FAKE_REPOSITORY,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKSPACE: folder,
      GIT_CEILING_DIRECTORIES: tmpdir(),
    };
    const plainTimes: number[] = [];
    const apiTimes: number[] = [];
    const minPlainTimes: number[] = [];
    const minApiTimes: number[] = [];
    const rounds = [
      async () => {
        plainTimes.push(await timeRun(BUNDLE, plain, folder));
        apiTimes.push(await timeRun(BUNDLE, api, folder));
      },
      async () => {
        minPlainTimes.push(await timeRun(minified, plain, folder));
        minApiTimes.push(await timeRun(minified, api, folder));
      },
    ];
    for (let i = 0; i < runs; i++) {
      const [first, second] = i % 2 === 0 ? rounds : [...rounds].reverse();
      await first?.();
      await second?.();
    }
    const size = statSync(BUNDLE).size;
    const minSize = statSync(minified).size;
    console.log(
      `(d) cold start of dist/index.js in a dry run, median of ${runs} runs: ${median(plainTimes).toFixed(0)} ms with urls; ${median(apiTimes).toFixed(0)} ms with changed-files from the GitHub API (Octokit loaded, one compare request to a fake on 127.0.0.1, git asked whether the folder is a checkout); bundle ${kib(size)}`,
    );
    console.log(
      `    minified bundle of the same source (ncc --minify, runs interleaved with the above): ${median(minPlainTimes).toFixed(0)} ms with urls; ${median(minApiTimes).toFixed(0)} ms with changed-files; bundle ${kib(minSize)}`,
    );
    console.log(
      `    readable / minified: ${(median(plainTimes) / median(minPlainTimes)).toFixed(2)}× the cold start with urls (${(median(apiTimes) / median(minApiTimes)).toFixed(2)}× with changed-files), ${(size / minSize).toFixed(1)}× the size`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(minifiedFolder, { recursive: true, force: true });
    await github.close();
  }
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
planning();
for (const latencyMs of LATENCIES_MS) {
  const ours = await delivery(latencyMs);
  await sdkBaseline(latencyMs, ours);
}
await coldStart();
await changedFilesBench();
await limitsBench();
coalesceBench();
await stateBench();
