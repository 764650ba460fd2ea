import { afterEach, describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import {
  type EmulatorOptions,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { inPlanOrder } from '../support/order.js';
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

const acceptedUrls = (): string[] =>
  (emulator?.accepted ?? [])
    .filter((task) => task.action === 'PurgeUrlsCache')
    .flatMap((task) => task.urls ?? []);

describe('delivery through the bundle', () => {
  it('delivers 8,000 URLs through 30% injected faults: every URL accepted exactly once', async () => {
    const targets = urls(8000);
    const run = await act(
      { faultRate: 0.3, seed: 7, dailyQuota: { purgeUrls: 100_000 } },
      { 'max-attempts': '10' },
      targets,
    );
    expect(run.exitCode).toBe(0);
    expect(json(run.outputs.failed)).toEqual([]);
    expect(acceptedUrls().sort()).toEqual([...targets].sort());
    const faults = emulator?.requests.filter((request) => request.outcome === 'fault').length ?? 0;
    expect(faults).toBeGreaterThan(0);
    expect(json(run.outputs['task-ids'])).toHaveLength(8);
  });

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

  it('takes the batch size from the quota API', async () => {
    const targets = urls(1000);
    const run = await act({ batchLimits: { purgeUrls: 400 } }, {}, targets);
    expect(run.exitCode).toBe(0);
    const tasks = inPlanOrder(emulator?.accepted ?? [], (task) => task.urls?.[0], targets);
    expect(tasks.map((task) => task.urls?.length)).toEqual([400, 400, 200]);
  });

  it('stops an operation at a quota error in the middle of a run; its unsent targets are failed', async () => {
    emulator = await startTencentCdnEmulator({ dailyQuota: { purgeUrls: 100_000 } });
    emulator.failNext({
      action: 'PurgeUrlsCache',
      kind: 'error',
      code: 'LimitExceeded.CdnPurgeUrlExceedDayLimit',
      message: 'day limit',
    });
    const targets = urls(5000);
    const run = await runAction(
      {
        ...stepInputs(emulator),
        'urls-file': 'urls.txt',
        paths: 'https://www.example.com/static/',
      },
      { files: { 'urls.txt': targets.join('\n') } },
    );
    expect(run.exitCode).toBe(1);
    const { failed } = run.report as CompleteResult;
    const accepted = acceptedUrls();
    // Batches already in flight may have been accepted; everything else is failed, and nothing is both.
    expect([...accepted, ...failed.map((entry) => entry.url)].sort()).toEqual([...targets].sort());
    expect(failed.every((entry) => entry.code === 'LimitExceeded.CdnPurgeUrlExceedDayLimit')).toBe(true);
    // The directory purge is another operation and goes on.
    expect(emulator.accepted.filter((task) => task.action === 'PurgePathCache')).toHaveLength(1);
  });

  it('stops at a wrong secret after one request, with a clear auth error', async () => {
    const run = await act({}, { 'secret-key': 'wrong' }, urls(2500));
    expect(run.exitCode).toBe(1);
    expect(emulator?.requests).toHaveLength(1);
    expect(run.errors[0]).toContain('2500 targets not accepted (AuthFailure.SignatureFailure)');
    expect(run.errors[0]).toContain(
      "not sent: the first call, reading today's quota, failed with AuthFailure.SignatureFailure",
    );
    expect(run.errors[0]).toContain(
      'Check the credentials: the inputs secret-id and secret-key, or where they are empty the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY',
    );
  });

  it('goes on with the documented limits, and warns, when the quota cannot be read', async () => {
    emulator = await startTencentCdnEmulator();
    emulator.failNext({
      action: 'DescribePurgeQuota',
      kind: 'error',
      code: 'UnauthorizedOperation.CdnCamUnauthorized',
      message: 'no policy',
    });
    const run = await runAction({
      ...stepInputs(emulator),
      urls: urls(3).join('\n'),
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      "::warning::Could not read today's quota (UnauthorizedOperation.CdnCamUnauthorized: no policy",
    );
    expect(emulator.accepted).toHaveLength(1);
  });
  it('waits for 10 tasks that finish at once with one status call, listing them by time range', async () => {
    const run = await act(
      { taskProgress: { doneAfterMs: 0 }, batchLimits: { purgeUrls: 1 } },
      { wait: 'true' },
      urls(10),
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    expect(json(run.outputs['task-ids'])).toHaveLength(10);
    const reads = emulator?.requests.filter((request) => request.action === 'DescribePurgeTasks') ?? [];
    expect(reads.map((request) => request.body)).toEqual([
      {
        StartTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        EndTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        PurgeType: 'url',
        Offset: 0,
        Limit: 1000,
      },
    ]);
    expect(run.stdout).toContain('Polled 10 tasks after 0 s: 10 done, 0 running, 0 failed');
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
