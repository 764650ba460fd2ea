import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ZONE_ID,
  type EdgeOneEmulator,
  type EdgeOneEmulatorOptions,
  edgeOneStepInputs,
  startEdgeOneEmulator,
} from '../../fakes/tencent-edgeone/emulator.js';
import { inPlanOrder } from '../../support/order.js';
import type { ActionRun } from '../../support/run-action.js';
import { runInProcess } from '../../support/run-in-process.js';

let emulator: EdgeOneEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/e/${i}.css`);

async function act(inputs: Record<string, string>, options: EdgeOneEmulatorOptions = {}): Promise<ActionRun> {
  emulator ??= await startEdgeOneEmulator(options);
  return runInProcess({
    ...edgeOneStepInputs(emulator),
    ...inputs,
  });
}

const bodiesOf = (action: string): unknown[] =>
  (emulator?.requests ?? []).filter((request) => request.action === action).map((request) => request.body);

describe('tencent-edgeone run in process', () => {
  it('purges the whole zone without targets', async () => {
    const run = await act({ 'purge-all': 'true' });
    expect(run.exitCode).toBe(0);
    expect(bodiesOf('CreatePurgeTask')).toEqual([
      { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_all', Method: 'invalidate' },
    ]);
    expect(json(run.outputs.urls)).toEqual([DEFAULT_ZONE_ID]);
    expect(json(run.outputs['task-ids'])).toHaveLength(1);
  });

  it('prefetches with Mode, headers and media segments, in batches from the quota API', async () => {
    const targets = urls(250);
    const run = await act(
      {
        mode: 'prefetch',
        urls: targets.join('\n'),
        layer: 'edge',
        headers: 'X-Warm: 1',
        'media-segments': 'true',
      },
      { batchLimits: { prefetch_url: 100 } },
    );
    expect(run.exitCode).toBe(0);
    const bodies = inPlanOrder(
      bodiesOf('CreatePrefetchTask') as Array<{ Targets: string[] }>,
      (body) => body.Targets[0],
      targets,
    );
    expect(bodies).toEqual(
      [100, 200, 250].map((end) => ({
        ZoneId: DEFAULT_ZONE_ID,
        Targets: targets.slice(end - (end === 250 ? 50 : 100), end),
        Mode: 'edge',
        Headers: [{ Name: 'X-Warm', Value: '1' }],
        PrefetchMediaSegments: 'on',
      })),
    );
    expect(json(run.outputs['task-ids'])).toHaveLength(3);
  });

  it('lists FailedList targets of a successful call in failed and fails the step; the rest count as accepted', async () => {
    const refused = 'https://www.example.com/e/1.css';
    const run = await act(
      { urls: urls(3).join('\n') },
      { failTargets: { [refused]: 'the domain is not in this zone' } },
    );
    expect(run.exitCode).toBe(1);
    expect(json(run.outputs.failed)).toEqual([
      { url: refused, code: 'FailedList', message: 'refused by EdgeOne: the domain is not in this zone' },
    ]);
    expect(json(run.outputs['task-ids'])).toEqual([emulator?.accepted[0]?.jobId]);
    expect(emulator?.accepted[0]?.targets).toEqual([urls(3)[0], urls(3)[2]]);
    expect(run.outputs.status).toBe('failed');
    expect(run.errors[0]).toContain('1 target not accepted (FailedList)');
  });

  it('fails before sending when the daily quota of a purge type is too small, with coalesce off', async () => {
    const run = await act({ urls: urls(20).join('\n'), coalesce: 'off' }, { dailyQuota: { purge_url: 10 } });
    expect(run.exitCode).toBe(1);
    expect(bodiesOf('CreatePurgeTask')).toEqual([]);
    expect(run.errors[0]).toContain('CreatePurgeTask needs 20 but 10 of 10 a day are available (purge_url)');
  });

  it('purges the prefix of URLs over the purge_url quota instead (coalesce: auto)', async () => {
    const run = await act({ urls: urls(20).join('\n') }, { dailyQuota: { purge_url: 10 } });
    expect(run.exitCode).toBe(0);
    expect(bodiesOf('CreatePurgeTask')).toEqual([
      expect.objectContaining({ Type: 'purge_prefix', Targets: ['https://www.example.com/e/'] }),
    ]);
  });

  it('retries LimitExceeded.RateLimitExceeded and OperationDenied.ResourceLockedTemporary', async () => {
    emulator = await startEdgeOneEmulator();
    emulator.failNext({ action: 'CreatePurgeTask', kind: 'error', code: 'LimitExceeded.RateLimitExceeded' });
    emulator.failNext({
      action: 'CreatePurgeTask',
      kind: 'error',
      code: 'OperationDenied.ResourceLockedTemporary',
    });
    const run = await act({ urls: urls(1).join('\n') });
    expect(run.exitCode).toBe(0);
    expect(bodiesOf('CreatePurgeTask')).toHaveLength(3);
    expect(emulator.accepted).toHaveLength(1);
  });

  it('submits to every zone with zone-id *, without reading a quota', async () => {
    const run = await act({ 'zone-id': '*', urls: urls(1).join('\n') });
    expect(run.exitCode).toBe(0);
    expect(bodiesOf('DescribeContentQuota')).toEqual([]);
    expect(bodiesOf('CreatePurgeTask')).toEqual([{ ZoneId: '*', Type: 'purge_url', Targets: urls(1) }]);
  });
});

describe('EdgeOne bad input run in process: a clear error and nothing sent', () => {
  it.each<[string, Record<string, string>, string]>([
    [
      'no zone',
      { 'zone-id': '', urls: urls(1)[0] ?? '' },
      `Input 'zone-id' has the value "": required for provider tencent-edgeone`,
    ],
    [
      'a host with a scheme',
      { hosts: 'https://img.example.com' },
      `Input 'hosts' has the value "https://img.example.com": expected a bare host name`,
    ],
    [
      'purge-all with targets',
      { 'purge-all': 'true', hosts: 'img.example.com' },
      `Input 'purge-all' has the value "true": purges the whole zone`,
    ],
    ['purge-all with zone *', { 'purge-all': 'true', 'zone-id': '*' }, 'purge-all needs one zone'],
    ['an empty cache tag', { 'cache-tags': 'a,,b' }, `Input 'cache-tags' has the value "a,,b"`],
    [
      'a malformed zone',
      { 'zone-id': 'my-zone', urls: urls(1)[0] ?? '' },
      'expected a zone ID such as zone-2o0i4example, or *',
    ],
    ['a prefix without /', { paths: 'https://www.example.com/static' }, 'a directory URL must end in "/"'],
    ['unblock', { mode: 'unblock', urls: urls(1)[0] ?? '' }, 'only provider tencent-cdn has unblock'],
  ])('%s', async (_name, inputs, message) => {
    const run = await act(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(emulator?.requests).toEqual([]);
  });
});
