import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CREDENTIALS,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { inPlanOrder } from '../support/order.js';
import { type ActionRun, runAction } from '../support/run-action.js';

let emulator: TencentCdnEmulator;

beforeEach(async () => {
  emulator = await startTencentCdnEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}.js`);

/** Runs the bundle against the emulator with its credentials; `inputs` add to or override these. */
function act(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    {
      ...stepInputs(emulator),
      ...inputs,
    },
    { env },
  );
}

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const requestsOf = (action: string) => emulator.requests.filter((request) => request.action === action);
const bodies = (action: string): unknown[] => requestsOf(action).map((request) => request.body);
const urlBodies = (action: string) => bodies(action) as Array<{ Urls: string[] }>;

describe('tencent-cdn through the bundle', () => {
  it('purges 1,250 URLs in requests of 1,000 and 250, and reports every task ID', async () => {
    const targets = urls(1250);
    const run = await act({ urls: targets.join('\n') });

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(inPlanOrder(urlBodies('PurgeUrlsCache'), (body) => body.Urls[0], targets)).toEqual([
      { Urls: targets.slice(0, 1000) },
      { Urls: targets.slice(1000) },
    ]);
    // One quota read and where the domain is served (a purge without area is charged there), then the two purges.
    expect(emulator.requests.map((r) => r.action)).toEqual([
      'DescribePurgeQuota',
      'DescribeDomains',
      'PurgeUrlsCache',
      'PurgeUrlsCache',
    ]);
    const request = requestsOf('PurgeUrlsCache')[0];
    expect(request?.headers['x-tc-version']).toBe('2018-06-06');
    expect(request?.headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDEMULATOR\/\d{4}-\d{2}-\d{2}\/cdn\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-tc-token']).toBeUndefined();

    // In the order of the plan, whatever order the requests arrived in.
    expect(json(run.outputs['task-ids'])).toEqual(
      inPlanOrder(emulator.accepted, (task) => task.urls?.[0], targets).map((task) => task.taskId),
    );
    expect(emulator.accepted).toHaveLength(2);
    expect(json(run.outputs.urls)).toEqual(targets);
    expect(run.outputs['url-count']).toBe('1250');
    expect(json(run.outputs.failed)).toEqual([]);
    expect(run.outputs.status).toBe('submitted');

    expect(run.stdout).toContain('::group::Purge URLs (PurgeUrlsCache): 1250 targets in 2 requests');
    expect(run.summary).toContain(
      '<td>Purge URLs</td><td><code>PurgeUrlsCache</code></td><td>1250</td><td>2</td>',
    );
    for (const task of emulator.accepted) expect(run.summary).toContain(`<code>${task.taskId}</code>`);
  });

  it('never shows a credential in the log, the outputs or the summary, even with debug logging', async () => {
    emulator.failNext({
      action: 'PurgeUrlsCache',
      kind: 'error',
      code: 'InvalidParameter.CdnParamError',
      message: 'bad',
    });
    const run = await act({ urls: 'https://www.example.com/a.js' }, { RUNNER_DEBUG: '1' });
    const secrets = [DEFAULT_CREDENTIALS.secretKey, DEFAULT_CREDENTIALS.secretId];
    // ::add-mask:: is how a step tells the runner what to hide; every other line must be free of secrets.
    const log = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of secrets) {
      expect(run.stdout).toContain(`::add-mask::${secret}`);
      expect(log).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
      expect(JSON.stringify(run.outputs)).not.toContain(secret);
    }
  });
});

// The rest of these tests, and every bad input, run in process: test/providers/tencent/cdn-run.test.ts.
describe('bad input through the bundle: a clear error and nothing sent', () => {
  it('unknown provider', async () => {
    const run = await act({ urls: 'https://www.example.com/a.js', provider: 'akamai' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `Input 'provider' has the value "akamai": accepted: tencent-cdn, tencent-edgeone, aliyun-cdn`,
    );
    expect(emulator.requests).toHaveLength(0);
  });
});
