/**
 * Coalescing as the step does it, run() in process against the Tencent CDN emulator with Tencent's default daily
 * quotas: the plan of a dry run, and what is refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { emulatorPerTest, TREE_FILES, treeInputs } from '../support/coalesce-tree.js';
import type { ActionRun } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

const cdn = emulatorPerTest();

function act(inputs: Record<string, string>): Promise<ActionRun> {
  return runInProcess(treeInputs(cdn.emulator, inputs), undefined, {}, { files: TREE_FILES });
}

describe('coalescing 30,000 URLs with the default quotas', () => {
  it('shows the coalesced plan in a dry run, assuming the documented default quotas', async () => {
    const run = await act({ 'dry-run': 'true', 'secret-id': '', 'secret-key': '' });
    expect(run.exitCode).toBe(0);
    expect(cdn.emulator.requests).toEqual([]);
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
    expect(cdn.emulator.requests.map((request) => request.action)).toEqual([
      'DescribePurgeQuota',
      'DescribeDomains',
    ]);
    expect(cdn.emulator.accepted).toEqual([]);
    expect(run.stdout).toContain(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 30000 but 10000 of 10000 a day are available",
    );
    expect(run.outputs.status).toBe('failed');
  }, 60_000);

  it('refuses a coalesce value it does not know before sending anything', async () => {
    const run = await act({ coalesce: 'yes' });
    expect(run.exitCode).toBe(1);
    expect(cdn.emulator.requests).toEqual([]);
    expect(run.errors.join('\n')).toContain(`Input 'coalesce' has the value "yes"`);
  });
});
