import { afterEach, describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import {
  type EmulatorOptions,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { type ActionRun, runAction } from '../support/run-action.js';

let emulator: TencentCdnEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}.js`);
const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** Starts an emulator with `options` and runs the bundle against it; long URL lists go through urls-file. */
async function act(
  options: EmulatorOptions,
  inputs: Record<string, string>,
  targets: string[],
): Promise<ActionRun> {
  emulator = await startTencentCdnEmulator(options);
  return runAction(
    {
      ...stepInputs(emulator),
      'urls-file': 'urls.txt',
      ...inputs,
    },
    { files: { 'urls.txt': targets.join('\n') } },
  );
}

// The rest of these tests run in process: test/delivery/delivery-run.test.ts.
describe('delivery through the bundle', () => {
  it('fails before sending anything when the job needs more than the daily quota', async () => {
    const targets = urls(2500);
    const run = await act({ dailyQuota: { purgeUrls: 1500 } }, { coalesce: 'off' }, targets);
    expect(run.exitCode).toBe(1);
    expect(emulator?.requests.map((request) => request.action)).toEqual([
      'DescribePurgeQuota',
      'DescribeDomains',
    ]);
    expect(run.outputs['failed-count']).toBe('2500');
    const { failed } = run.report as CompleteResult;
    expect(failed.map((entry) => entry.url)).toEqual(targets);
    expect(new Set(failed.map((entry) => entry.code))).toEqual(new Set(['QuotaExceeded']));
    expect(failed[0]?.message).toContain('PurgeUrlsCache needs 2500 but 1500 of 1500 a day are available');
    expect(run.errors[0]).toContain('2500 targets not accepted (QuotaExceeded)');
    expect(json(run.outputs['task-ids'])).toEqual([]);
    expect(run.outputs.status).toBe('failed');
  });
});

const MIB = 1024 * 1024;

describe('a big job within the runner limits, through the bundle', () => {
  it('keeps GITHUB_OUTPUT under 1 MiB on a 100,000-URL prefetch quota failure, with the whole list in report-file', async () => {
    const targets = urls(100_000);
    const run = await act({}, { mode: 'prefetch' }, targets);
    expect(run.exitCode).toBe(1);
    expect(emulator?.requests.map((request) => request.action)).toEqual(['DescribePushQuota']);
    expect(run.outputBytes).toBeLessThan(MIB / 2);
    expect(run.outputs['failed-count']).toBe('100000');
    expect(run.outputs['url-count']).toBe('100000');
    const report = run.report as CompleteResult;
    expect(report.failed.map((failure) => failure.url)).toEqual(targets);
    expect(new Set(report.failed.map((failure) => failure.code))).toEqual(new Set(['QuotaExceeded']));
    expect(report.urls).toEqual(targets);
    expect(report.status).toBe('failed');
    expect(run.outputs['report-file']).toMatch(/\/\.runner_temp\/cdn-purge-prefetch-\w{6}\/report\.json$/);
    expect(run.stdout).toContain(
      `::warning::The failed output lists ${(JSON.parse(run.outputs.failed ?? '') as unknown[]).length} of 100000 entries`,
    );
    expect(run.summary.length).toBeLessThan(4096);
    expect(run.errors[0]).toContain('100000 targets not accepted (QuotaExceeded)');
  });

  it('logs under 1 MiB in a dry run of 100,000 URLs', async () => {
    // coalesce: off keeps the 100,000 URLs one by one in the plan, the longest log a dry run can have.
    const run = await act({}, { 'dry-run': 'true', coalesce: 'off' }, urls(100_000));
    expect(run.exitCode).toBe(0);
    expect(Buffer.byteLength(run.stdout)).toBeLessThan(MIB);
    expect(run.stdout).toContain('  …and 99000 more: see report-file');
    expect(run.outputBytes).toBeLessThan(MIB / 2);
    expect((run.report as CompleteResult).urls).toHaveLength(100_000);
  });
});
