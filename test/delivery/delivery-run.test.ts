import { afterEach, describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import {
  type EmulatorOptions,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { inPlanOrder } from '../support/order.js';
import type { ActionRun } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

let emulator: TencentCdnEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}.js`);
const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** Starts an emulator with `options` and runs run() in process against it; long URL lists go through urls-file. */
async function act(
  options: EmulatorOptions,
  inputs: Record<string, string>,
  targets: string[],
): Promise<ActionRun> {
  emulator = await startTencentCdnEmulator(options);
  return runInProcess(
    {
      ...stepInputs(emulator),
      'urls-file': 'urls.txt',
      ...inputs,
    },
    undefined,
    {},
    { files: { 'urls.txt': targets.join('\n') } },
  );
}

const acceptedUrls = (): string[] =>
  (emulator?.accepted ?? [])
    .filter((task) => task.action === 'PurgeUrlsCache')
    .flatMap((task) => task.urls ?? []);

describe('delivery, run in process', () => {
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
    const run = await runInProcess(
      {
        ...stepInputs(emulator),
        'urls-file': 'urls.txt',
        paths: 'https://www.example.com/static/',
      },
      undefined,
      {},
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
    const run = await runInProcess({
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
