/**
 * Coalescing through the bundle, against the Tencent CDN emulator with Tencent's default daily quotas (10,000 URLs
 * and 100 directories purged per region): what goes on the wire, the outputs, the exit code and the log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoriesOf } from '../../src/plan/directories.js';
import {
  DEFAULT_DAILY_QUOTA,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const HOST_ROOT = 'https://www.example.com/';
/** 30,000 URLs in a three-level tree: 10 × 10 × 10 folders of 30 files. */
const TREE = Array.from(
  { length: 30_000 },
  (_, i) => `${HOST_ROOT}s${i % 10}/t${Math.floor(i / 10) % 10}/u${Math.floor(i / 100) % 10}/${i}.js`,
);

let emulator: TencentCdnEmulator;

beforeEach(async () => {
  emulator = await startTencentCdnEmulator();
});
afterEach(async () => {
  await emulator.close();
});

function act(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(
    {
      ...stepInputs(emulator),
      'urls-file': 'urls.txt',
      ...inputs,
    },
    { files: { 'urls.txt': TREE.join('\n') } },
  );
}

const accepted = (field: 'urls' | 'paths'): string[] =>
  emulator.accepted.flatMap((task) => task[field] ?? []);

describe('coalescing 30,000 URLs with the default quotas', () => {
  it('purges directories and URLs within both quotas, covering every URL, never the host root', async () => {
    expect(DEFAULT_DAILY_QUOTA).toMatchObject({ purgeUrls: 10_000, purgePaths: 100 });
    const run = await act({});

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    const urls = accepted('urls');
    const paths = accepted('paths');
    expect(urls.length).toBeLessThanOrEqual(10_000);
    expect(paths.length).toBeLessThanOrEqual(100);
    expect(paths).not.toContain(HOST_ROOT);
    // Every URL exactly once: by its own purge, or by the purge of a directory it lies under.
    const purgedDirectories = new Set(paths);
    const byDirectory = TREE.filter((url) => directoriesOf(url).some((d) => purgedDirectories.has(d)));
    expect(byDirectory.length + urls.length).toBe(TREE.length);
    expect(new Set([...urls, ...byDirectory]).size).toBe(TREE.length);
    // Deepest directories that fit: the second level (300 URLs each), not the top (3,000).
    expect(paths.every((path) => /^https:\/\/www\.example\.com\/s\d\/t\d\/$/.test(path))).toBe(true);
    expect(emulator.requests.map((request) => request.action)).not.toContain('DescribePushQuota');
    expect(run.outputs.status).toBe('submitted');
    expect(run.stdout).toContain(
      `${byDirectory.length.toLocaleString('en-US')} URLs under ${paths.length} directories purged as directories to fit today's quota (10,000 URL and 100 directory purges available); ${urls.length.toLocaleString('en-US')} URLs purged one by one.`,
    );
    expect(run.summary).toContain('purged as directories to fit today&#39;s quota');
  }, 60_000);

  it('shows the coalesced plan in a dry run, assuming the documented default quotas', async () => {
    const run = await act({ 'dry-run': 'true', 'secret-id': '', 'secret-key': '' });
    expect(run.exitCode).toBe(0);
    expect(emulator.requests).toEqual([]);
    // The urls output is cut to its budget; the report file has the whole plan.
    const { urls: planned } = run.report as { urls: string[] };
    const directories = planned.filter((target) => target.endsWith('/'));
    expect(directories.length).toBeGreaterThan(0);
    expect(directories.length).toBeLessThanOrEqual(100);
    expect(planned.length - directories.length).toBeLessThanOrEqual(10_000);
    expect(run.stdout).toMatch(/::group::Purge directories \(PurgePathCache\): \d+ targets in \d+ requests/);
    expect(run.stdout).toContain("purged as directories to fit today's quota");
  }, 60_000);

  it('with coalesce: off, fails before sending anything, with the numbers', async () => {
    const run = await act({ coalesce: 'off' });
    expect(run.exitCode).toBe(1);
    expect(emulator.requests.map((request) => request.action)).toEqual([
      'DescribePurgeQuota',
      'DescribeDomains',
    ]);
    expect(emulator.accepted).toEqual([]);
    expect(run.stdout).toContain(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 30000 but 10000 of 10000 a day are available",
    );
    expect(run.outputs.status).toBe('failed');
  }, 60_000);

  it('refuses a coalesce value it does not know before sending anything', async () => {
    const run = await act({ coalesce: 'yes' });
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toEqual([]);
    expect(run.errors.join('\n')).toContain(`Input 'coalesce' has the value "yes"`);
  });
});
