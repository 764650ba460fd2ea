/**
 * Coalescing through the bundle, against the Tencent CDN emulator with Tencent's default daily quotas (10,000 URLs
 * and 100 directories purged per region): what goes on the wire, the outputs, the exit code and the log. The other
 * cases run run() in process: test/plan/coalesce-step.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { directoriesOf } from '../../src/plan/directories.js';
import { DEFAULT_DAILY_QUOTA } from '../fakes/tencent-cdn/emulator.js';
import { emulatorPerTest, HOST_ROOT, TREE, TREE_FILES, treeInputs } from '../support/coalesce-tree.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const cdn = emulatorPerTest();

function act(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(treeInputs(cdn.emulator, inputs), { files: TREE_FILES });
}

const accepted = (field: 'urls' | 'paths'): string[] =>
  cdn.emulator.accepted.flatMap((task) => task[field] ?? []);

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
    expect(cdn.emulator.requests.map((request) => request.action)).not.toContain('DescribePushQuota');
    expect(run.outputs.status).toBe('submitted');
    expect(run.stdout).toContain(
      `${byDirectory.length.toLocaleString('en-US')} URLs under ${paths.length} directories purged as directories to fit today's quota (10,000 URL and 100 directory purges available); ${urls.length.toLocaleString('en-US')} URLs purged one by one.`,
    );
    expect(run.summary).toContain('purged as directories to fit today&#39;s quota');
  }, 60_000);
});
