import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ZONE_ID,
  type EdgeOneEmulator,
  type EdgeOneEmulatorOptions,
  edgeOneStepInputs,
  startEdgeOneEmulator,
} from '../fakes/tencent-edgeone/emulator.js';
import { type ActionRun, runAction } from '../support/run-action.js';

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
  return runAction({
    ...edgeOneStepInputs(emulator),
    ...inputs,
  });
}

const bodiesOf = (action: string): unknown[] =>
  (emulator?.requests ?? []).filter((request) => request.action === action).map((request) => request.body);

describe('tencent-edgeone through the bundle', () => {
  it('sends each purge type as its own CreatePurgeTask, signed for teo', async () => {
    const run = await act({
      urls: 'https://www.example.com/a.js',
      paths: 'https://www.example.com/static/',
      hosts: 'img.example.com',
      'cache-tags': 'release-42',
      'purge-method': 'delete',
    });
    expect(run.exitCode).toBe(0);
    expect(bodiesOf('CreatePurgeTask')).toEqual(
      expect.arrayContaining([
        { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_url', Targets: ['https://www.example.com/a.js'] },
        {
          ZoneId: DEFAULT_ZONE_ID,
          Type: 'purge_prefix',
          Method: 'delete',
          Targets: ['https://www.example.com/static/'],
        },
        { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_host', Method: 'delete', Targets: ['img.example.com'] },
        { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_cache_tag', Targets: ['release-42'] },
      ]),
    );
    expect(bodiesOf('CreatePurgeTask')).toHaveLength(4);
    const request = emulator?.requests.find((r) => r.action === 'CreatePurgeTask');
    expect(request?.headers['x-tc-version']).toBe('2022-09-01');
    expect(request?.headers.authorization).toMatch(/\/teo\/tc3_request, /);
    expect(bodiesOf('DescribeContentQuota')).toEqual([{ ZoneId: DEFAULT_ZONE_ID }]);
    // In the order of the plan: URLs, prefixes, hosts, tags.
    const jobOf = (type: string) => emulator?.accepted.find((job) => job.type === type)?.jobId;
    expect(json(run.outputs['task-ids'])).toEqual(
      ['purge_url', 'purge_prefix', 'purge_host', 'purge_cache_tag'].map(jobOf),
    );
    expect(run.outputs.status).toBe('submitted');
    expect(run.summary).toContain('<td>Purge hosts</td><td><code>CreatePurgeTask</code></td>');
  });
});

// The rest of these tests, and every bad input, run in process: test/providers/tencent/edgeone-run.test.ts.
describe('EdgeOne bad input through the bundle: a clear error and nothing sent', () => {
  it('no zone', async () => {
    const run = await act({ 'zone-id': '', urls: urls(1)[0] ?? '' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `Input 'zone-id' has the value "": required for provider tencent-edgeone`,
    );
    expect(emulator?.requests).toEqual([]);
  });
});
