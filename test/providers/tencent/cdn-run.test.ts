import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../../src/report/result.js';
import {
  DEFAULT_CREDENTIALS,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../../fakes/tencent-cdn/emulator.js';
import { inPlanOrder } from '../../support/order.js';
import type { ActionRun } from '../../support/run-action.js';
import { runInProcess } from '../../support/run-in-process.js';

let emulator: TencentCdnEmulator;

beforeEach(async () => {
  emulator = await startTencentCdnEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}.js`);

/** Runs run() in process against the emulator with its credentials; `inputs` add to or override these. */
function act(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runInProcess({ ...stepInputs(emulator), ...inputs }, undefined, env);
}

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const requestsOf = (action: string) => emulator.requests.filter((request) => request.action === action);
const bodies = (action: string): unknown[] => requestsOf(action).map((request) => request.body);
const urlBodies = (action: string) => bodies(action) as Array<{ Urls: string[] }>;

describe('tencent-cdn, run in process', () => {
  it('purges directories with FlushType from purge-method and Area from area', async () => {
    const run = await act({
      paths: 'https://www.example.com/static/\nhttps://www.example.com/img/',
      'purge-method': 'delete',
      area: 'overseas',
    });
    expect(run.exitCode).toBe(0);
    expect(bodies('PurgePathCache')).toEqual([
      {
        Paths: ['https://www.example.com/static/', 'https://www.example.com/img/'],
        FlushType: 'delete',
        Area: 'overseas',
      },
    ]);
  });

  it('leaves Area out of a purge with area global: every region the domain serves', async () => {
    const run = await act({
      urls: 'https://www.example.com/a.js',
      paths: 'https://www.example.com/static/',
      area: 'global',
    });
    expect(run.exitCode).toBe(0);
    expect(bodies('PurgeUrlsCache')).toEqual([{ Urls: ['https://www.example.com/a.js'] }]);
    expect(bodies('PurgePathCache')).toEqual([
      { Paths: ['https://www.example.com/static/'], FlushType: 'flush' },
    ]);
  });

  it('prefetches with every PushUrlsCache option', async () => {
    const run = await act({
      mode: 'prefetch',
      urls: 'https://www.example.com/a.m3u8',
      area: 'global',
      'user-agent': 'deploy-bot/1.0',
      layer: 'middle',
      'media-segments': 'true',
      'disable-range': 'false',
      'url-encode': 'true',
      headers: 'X-Warm: 1\nAuthorization: Bearer origin-token',
    });
    expect(run.exitCode).toBe(0);
    expect(bodies('PushUrlsCache')).toEqual([
      {
        Urls: ['https://www.example.com/a.m3u8'],
        UserAgent: 'deploy-bot/1.0',
        Area: 'global',
        Layer: 'middle',
        ParseM3U8: true,
        DisableRange: false,
        Headers: [
          { Name: 'X-Warm', Value: '1' },
          { Name: 'Authorization', Value: 'Bearer origin-token' },
        ],
        UrlEncode: true,
      },
    ]);
    expect(run.outputs.status).toBe('submitted');
  });

  it('splits a prefetch of 1,250 URLs into requests of at most 500', async () => {
    await emulator.close();
    emulator = await startTencentCdnEmulator({ dailyQuota: { pushUrls: 5000 } });
    const targets = urls(1250);
    const run = await act({ mode: 'prefetch', urls: targets.join('\n') });
    expect(run.exitCode).toBe(0);
    expect(inPlanOrder(urlBodies('PushUrlsCache'), (body) => body.Urls[0], targets)).toEqual([
      { Urls: targets.slice(0, 500) },
      { Urls: targets.slice(500, 1000) },
      { Urls: targets.slice(1000) },
    ]);
    expect(json(run.outputs['task-ids'])).toHaveLength(3);
  });

  it('unblocks URLs with EnableCaches and lists the ones it could not unblock in failed', async () => {
    await emulator.close();
    emulator = await startTencentCdnEmulator({ unblockFailUrls: ['https://www.example.com/b.jpg'] });
    const run = await act({
      mode: 'unblock',
      urls: 'https://www.example.com/a.jpg\nhttps://www.example.com/b.jpg',
    });
    expect(bodies('EnableCaches')).toEqual([
      { Urls: ['https://www.example.com/a.jpg', 'https://www.example.com/b.jpg'] },
    ]);
    expect(run.exitCode).toBe(1);
    expect(json(run.outputs.failed)).toEqual([
      {
        url: 'https://www.example.com/b.jpg',
        code: 'EnableCaches.FailUrl',
        message: 'the provider could not unblock this URL',
      },
    ]);
    expect(run.outputs.status).toBe('failed');
    expect(json(run.outputs['task-ids'])).toEqual([emulator.accepted[0]?.taskId]);
  });

  it('reports a provider error with its code, message and RequestId, for the targets it affected', async () => {
    emulator.failNext({
      action: 'PurgeUrlsCache',
      kind: 'error',
      code: 'ResourceNotFound.CdnHostNotExists',
      message: 'no such domain',
    });
    const run = await act({ urls: 'https://unknown.example.com/a.js' });
    expect(run.exitCode).toBe(1);
    const requestId = requestsOf('PurgeUrlsCache')[0]?.requestId;
    expect(requestId).toMatch(/./);
    expect(json(run.outputs.failed)).toEqual([
      {
        url: 'https://unknown.example.com/a.js',
        code: 'ResourceNotFound.CdnHostNotExists',
        message: `PurgeUrlsCache: no such domain (RequestId ${requestId})`,
      },
    ]);
    expect(requestsOf('PurgeUrlsCache')).toHaveLength(1);
    expect(run.errors[0]).toContain('1 target not accepted (ResourceNotFound.CdnHostNotExists)');
    expect(run.stdout).toContain(
      `ResourceNotFound.CdnHostNotExists: no such domain (RequestId ${requestId})`,
    );
    expect(run.summary).toContain('Failed targets (1)');
    expect(run.outputs.status).toBe('failed');
  });

  it('retries an HTTP 502, a dropped connection and InternalError, each signed afresh', async () => {
    emulator.failNext({ action: 'PurgeUrlsCache', kind: 'http', status: 502 });
    emulator.failNext({ action: 'PurgeUrlsCache', kind: 'drop' });
    emulator.failNext({ action: 'PurgeUrlsCache', kind: 'error', code: 'InternalError' });
    const run = await act({ urls: 'https://www.example.com/a.js' });
    expect(run.exitCode).toBe(0);
    const purges = requestsOf('PurgeUrlsCache');
    expect(purges).toHaveLength(4);
    // The emulator checked each attempt's signature with the official SDK's code before applying the fault.
    expect(purges.map((r) => r.fault ?? r.outcome)).toEqual(['http', 'drop', 'error', 'accepted']);
    expect(emulator.accepted).toHaveLength(1);
    expect(json(run.outputs['task-ids'])).toEqual([emulator.accepted[0]?.taskId]);
    expect(run.stdout).toContain('attempt 1 of 5 failed: HTTP502');
    expect(run.stdout).toContain('may have reached the provider and been accepted');
    expect(run.stdout).toContain('::warning::');
  });

  it('stops at a wrong secret after one request, with a clear auth error', async () => {
    const run = await act({ urls: urls(2500).join('\n'), 'secret-key': 'not-the-key' });
    expect(run.exitCode).toBe(1);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.accepted).toHaveLength(0);
    // The failed output is cut to its budget; failed-count and report-file have every one.
    expect(run.outputs['failed-count']).toBe('2500');
    const { failed } = run.report as CompleteResult;
    expect(failed).toHaveLength(2500);
    expect(new Set(failed.map((entry) => entry.code))).toEqual(new Set(['AuthFailure.SignatureFailure']));
    expect(run.errors[0]).toContain('2500 targets not accepted (AuthFailure.SignatureFailure)');
  });

  it('sends temporary credentials with X-TC-Token', async () => {
    await emulator.close();
    emulator = await startTencentCdnEmulator({
      credentials: [{ secretId: 'AKIDTEMP', secretKey: 'temp-key', token: 'session-token-value' }],
    });
    const run = await act(
      { urls: 'https://www.example.com/a.js', 'secret-id': '', 'secret-key': '' },
      {
        TENCENTCLOUD_SECRET_ID: 'AKIDTEMP',
        TENCENTCLOUD_SECRET_KEY: 'temp-key',
        TENCENTCLOUD_SESSION_TOKEN: 'session-token-value',
      },
    );
    expect(run.exitCode).toBe(0);
    expect(emulator.requests[0]?.headers['x-tc-token']).toBe('session-token-value');
  });

  it('sends nothing in a dry run and lists what would have been sent', async () => {
    const targets = urls(1250);
    const run = await runInProcess({
      provider: 'tencent-cdn',
      urls: targets.join('\n'),
      'dry-run': 'true',
      endpoint: emulator.url,
    });
    expect(run.exitCode).toBe(0);
    expect(emulator.requests).toHaveLength(0);
    expect(json(run.outputs.urls)).toEqual(targets);
    expect(run.outputs['url-count']).toBe('1250');
    expect(json(run.outputs['task-ids'])).toEqual([]);
    expect(run.outputs.status).toBe('dry-run');
    expect(run.stdout).toContain('request 2 would carry 250 targets:');
    expect(run.summary).toContain('Dry run: nothing was sent.');
  });

  it('reads a long list from urls-file', async () => {
    const targets = urls(3000);
    const run = await runInProcess(
      {
        provider: 'tencent-cdn',
        endpoint: emulator.url,
        'urls-file': 'purge-list.txt',
        'secret-id': DEFAULT_CREDENTIALS.secretId,
        'secret-key': DEFAULT_CREDENTIALS.secretKey,
      },
      undefined,
      {},
      { files: { 'purge-list.txt': `${targets.join('\n')}\n` } },
    );
    expect(run.exitCode).toBe(0);
    expect(
      inPlanOrder(urlBodies('PurgeUrlsCache'), (body) => body.Urls[0], targets).flatMap((body) => body.Urls),
    ).toEqual(targets);
  });
});

describe('bad input, run in process: a clear error and nothing sent', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      'unknown provider',
      { provider: 'akamai' },
      `Input 'provider' has the value "akamai": accepted: tencent-cdn, tencent-edgeone, aliyun-cdn`,
    ],
    [
      'unknown mode',
      { mode: 'refresh' },
      `Input 'mode' has the value "refresh": accepted: purge, prefetch, purge-prefetch, unblock`,
    ],
    [
      'relative URL',
      { urls: '/a.js' },
      `Input 'urls' has the value "/a.js": expected an absolute http:// or https:// URL`,
    ],
    [
      'wildcard host',
      { urls: 'https://*.example.com/a.js' },
      'a wildcard host cannot be purged or prefetched',
    ],
    [
      'whitespace',
      { urls: 'https://www.example.com/a b.js' },
      'must not contain whitespace or control characters',
    ],
    [
      'path without slash',
      { paths: 'https://www.example.com/static' },
      `Input 'paths' has the value "https://www.example.com/static": a directory URL must end in "/"`,
    ],
    [
      'unknown area',
      { area: 'europe' },
      `Input 'area' has the value "europe": accepted: mainland, overseas, global`,
    ],
    [
      'unknown purge-method',
      { 'purge-method': 'soft' },
      `Input 'purge-method' has the value "soft": accepted: invalidate, delete`,
    ],
    ['no targets', { urls: '' }, `Input 'urls' has the value "": no targets`],
    [
      'too many headers',
      { mode: 'prefetch', headers: Array.from({ length: 21 }, (_, i) => `X-H${i}: v`).join('\n') },
      'at most 20 headers',
    ],
    [
      'malformed header',
      { mode: 'prefetch', headers: 'X-Broken' },
      `Input 'headers' (its value is not shown: it may hold a secret): line 1 is not "Name: value"`,
    ],
    [
      'http endpoint not on loopback',
      { endpoint: 'http://cdn.tencentcloudapi.com' },
      'http:// is accepted only for a loopback host',
    ],
    [
      'no credentials',
      { 'secret-id': '', 'secret-key': '' },
      `Input 'secret-id' (its value is not shown: it may hold a secret): required`,
    ],
  ];
  it.each(cases)('%s', async (_name, inputs, message) => {
    const run = await act({ urls: 'https://www.example.com/a.js', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(emulator.requests).toHaveLength(0);
  });
});
