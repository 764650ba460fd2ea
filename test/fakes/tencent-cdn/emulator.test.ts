import { describe, expect, it } from 'vitest';
import type { TencentClient } from '../../../src/providers/tencent/api.js';
import { CDN_SERVICE } from '../../../src/providers/tencent/cdn.js';
import { apiError, cleanupAfterEach, outcome, UUID, urls } from '../shared/test-harness.js';
import {
  emulatorWithTencentClient,
  errorEnvelope,
  type RawRequest,
  rawTc3Request,
} from '../tencent/test-client.js';
import { type EmulatorOptions, startTencentCdnEmulator, type TencentCdnEmulator } from './emulator.js';
import { beijingTime } from './tasks.js';

const defer = cleanupAfterEach();

async function setup(options: EmulatorOptions = {}, client: Partial<TencentClient> = {}) {
  return emulatorWithTencentClient(() => startTencentCdnEmulator(options), CDN_SERVICE, defer, client);
}

/** A request by hand through fetch, for what the client never sends. */
const raw = (emulator: TencentCdnEmulator, request: RawRequest = {}) =>
  rawTc3Request(
    emulator.url,
    {
      service: 'cdn',
      action: 'PurgeUrlsCache',
      version: '2018-06-06',
      body: '{"Urls":["https://www.example.com/a.js"]}',
    },
    request,
  );

const TASK_ID = /^\d{10}-[a-z0-9]{8}$/;

describe('signed requests from the project client', () => {
  it('accepts a signed PurgeUrlsCache and records the request and the task', async () => {
    const { emulator, call } = await setup();
    const payload = {
      Urls: ['https://www.example.com/a.js', 'https://www.example.com/b.js'],
      Area: 'overseas',
    };
    const response = await call('PurgeUrlsCache', payload);

    expect(response.TaskId).toMatch(TASK_ID);
    expect(response.RequestId).toMatch(UUID);
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      action: 'PurgeUrlsCache',
      body: payload,
      rawBody: JSON.stringify(payload),
      outcome: 'accepted',
      taskId: response.TaskId,
      requestId: response.RequestId,
      status: 200,
    });
    expect(request?.headers.host).toBe('127.0.0.1');
    expect(request?.headers['x-tc-version']).toBe('2018-06-06');
    expect(request?.errorCode).toBeUndefined();
    expect(Math.abs((request?.receivedAt ?? 0) - Date.now())).toBeLessThan(5000);
    expect(emulator.accepted).toEqual([
      expect.objectContaining({
        taskId: response.TaskId,
        requestId: response.RequestId,
        action: 'PurgeUrlsCache',
        urls: payload.Urls,
        area: 'overseas',
        body: payload,
      }),
    ]);
  });

  it('gives every task a TaskId of its own', async () => {
    const { emulator, call } = await setup();
    for (let i = 0; i < 20; i++) await call('PurgeUrlsCache', { Urls: [`https://www.example.com/${i}.js`] });
    expect(new Set(emulator.accepted.map((task) => task.taskId)).size).toBe(20);
  });

  it('refuses a wrong secret key with AuthFailure.SignatureFailure and an unknown SecretId with SecretIdNotFound', async () => {
    const wrongKey = await setup({}, { credentials: { secretId: 'AKIDEMULATOR', secretKey: 'not-the-key' } });
    const error = await apiError(wrongKey.call('PurgeUrlsCache', { Urls: ['https://www.example.com/a.js'] }));
    expect(error.code).toBe('AuthFailure.SignatureFailure');
    expect(error.disposition).toBe('run');
    expect(error.details.requestId).toMatch(UUID);
    expect(wrongKey.emulator.accepted).toEqual([]);
    expect(wrongKey.emulator.requests[0]).toMatchObject({
      outcome: 'error',
      errorCode: 'AuthFailure.SignatureFailure',
      requestId: error.details.requestId,
    });

    const unknownId = await setup(
      {},
      { credentials: { secretId: 'AKIDSOMEONE', secretKey: 'emulator-secret-key' } },
    );
    const unknown = await apiError(
      unknownId.call('PurgeUrlsCache', { Urls: ['https://www.example.com/a.js'] }),
    );
    expect(unknown.code).toBe('AuthFailure.SecretIdNotFound');
  });

  it('refuses a timestamp more than 5 minutes off with AuthFailure.SignatureExpire', async () => {
    const payload = { Urls: ['https://www.example.com/a.js'] };
    const late = await setup({}, { now: () => Date.now() - 301_000 });
    const error = await apiError(late.call('PurgeUrlsCache', payload));
    expect(error.code).toBe('AuthFailure.SignatureExpire');
    expect(error.disposition).toBe('retry-once');
    expect(late.emulator.accepted).toEqual([]);

    const early = await setup({}, { now: () => Date.now() + 301_000 });
    expect((await apiError(early.call('PurgeUrlsCache', payload))).code).toBe('AuthFailure.SignatureExpire');

    const skewed = await setup({}, { now: () => Date.now() - 240_000 });
    await expect(skewed.call('PurgeUrlsCache', payload)).resolves.toHaveProperty('TaskId');
  });

  it('takes temporary credentials only with their own X-TC-Token', async () => {
    const credentials = [{ secretId: 'AKIDTEMP', secretKey: 'temp-key', token: 'session-token' }];
    const payload = { Urls: ['https://www.example.com/a.js'] };
    const good = await setup(
      { credentials },
      { credentials: { secretId: 'AKIDTEMP', secretKey: 'temp-key', sessionToken: 'session-token' } },
    );
    await expect(good.call('PurgeUrlsCache', payload)).resolves.toHaveProperty('TaskId');
    expect(good.emulator.requests[0]?.headers['x-tc-token']).toBe('session-token');

    const other = await setup(
      { credentials },
      { credentials: { secretId: 'AKIDTEMP', secretKey: 'temp-key', sessionToken: 'someone-else' } },
    );
    expect((await apiError(other.call('PurgeUrlsCache', payload))).code).toBe('AuthFailure.TokenFailure');

    const missing = await setup(
      { credentials },
      { credentials: { secretId: 'AKIDTEMP', secretKey: 'temp-key' } },
    );
    expect((await apiError(missing.call('PurgeUrlsCache', payload))).code).toBe('AuthFailure.TokenFailure');
  });
});

describe('malformed requests', () => {
  const cases: Array<[string, RawRequest, string]> = [
    ['no Authorization header', { authorization: null }, 'AuthFailure.InvalidAuthorization'],
    ['a malformed Authorization header', { authorization: 'Bearer abc' }, 'AuthFailure.InvalidAuthorization'],
    ['a signature for another service', { service: 'teo' }, 'AuthFailure.SignatureFailure'],
    [
      'a signature for another host',
      { signedHost: 'cdn.tencentcloudapi.com' },
      'AuthFailure.SignatureFailure',
    ],
    ['another API version', { version: '2018-06-07' }, 'NoSuchVersion'],
    ['an unknown action', { action: 'PurgeEverything' }, 'InvalidAction'],
    ['no action', { action: '' }, 'MissingParameter'],
    ['a timestamp that is not a number', { timestamp: 'yesterday' }, 'InvalidParameterValue'],
    ['GET', { method: 'GET' }, 'UnsupportedProtocol'],
    ['another path', { path: '/v3' }, 'UnsupportedProtocol'],
    [
      'a form body',
      { contentType: 'application/x-www-form-urlencoded', body: 'Urls.0=x' },
      'UnsupportedOperation',
    ],
    ['a body that is not JSON', { body: '{"Urls": [' }, 'InvalidParameter'],
  ];
  it.each(cases)('answers %s with HTTP 200 and its error code', async (_name, request, code) => {
    const emulator = await startTencentCdnEmulator();
    defer(() => emulator.close());
    const { status, json } = await raw(emulator, request);
    expect(status).toBe(200);
    expect(json).toEqual(errorEnvelope(code));
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]).toMatchObject({ outcome: 'error', errorCode: code });
    expect(emulator.accepted).toEqual([]);
  });

  it('accepts a request signed by hand through fetch, with the port in the Host header', async () => {
    const emulator = await startTencentCdnEmulator();
    defer(() => emulator.close());
    const { json } = await raw(emulator);
    expect(json).toEqual({
      Response: { TaskId: expect.stringMatching(TASK_ID), RequestId: expect.any(String) },
    });
    expect(emulator.requests[0]?.headers.host).toBe(new URL(emulator.url).host);
  });

  const u = ['https://a.example.com/'];
  const bodies: Array<[string, string, string, Record<string, unknown>, string]> = [
    ['an unknown field', 'CdnParamError', 'PurgeUrlsCache', { Urls: u, Foo: 1 }, 'Foo'],
    ['Urls not an array', 'CdnParamError', 'PurgeUrlsCache', { Urls: 'https://a.example.com/' }, 'Urls'],
    ['no Urls', 'CdnParamError', 'PushUrlsCache', {}, 'Urls'],
    ['empty Urls', 'CdnParamError', 'PurgeUrlsCache', { Urls: [] }, 'Urls'],
    [
      'a URL without scheme',
      'CdnParamError',
      'PurgeUrlsCache',
      { Urls: [...u, 'a.example.com/x'] },
      'Urls[1]',
    ],
    ['an ftp URL', 'CdnParamError', 'EnableCaches', { Urls: ['ftp://a.example.com/x'] }, 'Urls[0]'],
    ['a purge Area of global', 'CdnParamError', 'PurgeUrlsCache', { Urls: u, Area: 'global' }, 'Area'],
    ['UrlEncode as a string', 'CdnParamError', 'PurgeUrlsCache', { Urls: u, UrlEncode: 'true' }, 'UrlEncode'],
    [
      'a directory without "/"',
      'CdnParamError',
      'PurgePathCache',
      { Paths: ['https://a.example.com/x'], FlushType: 'flush' },
      'Paths[0]',
    ],
    ['no FlushType', 'CdnParamError', 'PurgePathCache', { Paths: u }, 'FlushType'],
    ['an unknown FlushType', 'CdnParamError', 'PurgePathCache', { Paths: u, FlushType: 'soft' }, 'FlushType'],
    ['a Layer other than middle', 'CdnParamError', 'PushUrlsCache', { Urls: u, Layer: 'edge' }, 'Layer'],
    [
      '21 headers',
      'CdnParamError',
      'PushUrlsCache',
      { Urls: u, Headers: Array.from({ length: 21 }, (_, i) => ({ Name: `X-${i}`, Value: 'v' })) },
      'Headers',
    ],
    [
      'a header without Value',
      'CdnParamError',
      'PushUrlsCache',
      { Urls: u, Headers: [{ Name: 'X' }] },
      'Headers[0].Value',
    ],
    ['a bad Date', 'CdnParamError', 'EnableCaches', { Urls: u, Date: 'today' }, 'Date'],
    ['a field on a quota query', 'CdnParamError', 'DescribePurgeQuota', { Area: 'mainland' }, 'Area'],
    [
      'a task query without TaskId or StartTime',
      'CdnParamError',
      'DescribePurgeTasks',
      { Offset: 0 },
      'TaskId',
    ],
    [
      'a task query with Limit 1001',
      'CdnParamError',
      'DescribePushTasks',
      { TaskId: 'x', Limit: 1001 },
      'Limit',
    ],
    [
      'a wildcard purge',
      'CdnPurgeWildcardNotAllowed',
      'PurgeUrlsCache',
      { Urls: ['https://*.example.com/a.js'] },
      'Urls[0]',
    ],
    [
      'a wildcard directory',
      'CdnPurgeWildcardNotAllowed',
      'PurgePathCache',
      { Paths: ['https://*.example.com/'], FlushType: 'flush' },
      'Paths[0]',
    ],
    [
      'a wildcard prefetch',
      'CdnPushWildcardNotAllowed',
      'PushUrlsCache',
      { Urls: ['https://*.example.com/a.js'] },
      'Urls[0]',
    ],
  ];
  it.each(bodies)(
    'refuses %s with InvalidParameter.%s naming the field',
    async (_name, code, action, payload, field) => {
      const { emulator, call } = await setup();
      const error = await apiError(call(action, payload));
      expect(error.code).toBe(`InvalidParameter.${code}`);
      expect(error.message).toContain(field);
      expect(error.disposition).toBe('batch');
      expect(emulator.accepted).toEqual([]);
    },
  );

  it('accepts every PushUrlsCache option', async () => {
    const { emulator, call } = await setup();
    const payload = {
      Urls: ['https://www.example.com/a.m3u8'],
      UserAgent: 'deploy-bot/1.0',
      Area: 'global',
      Layer: 'middle',
      ParseM3U8: true,
      DisableRange: false,
      Headers: [{ Name: 'X-Warm', Value: '1' }],
      UrlEncode: true,
    };
    const response = await call('PushUrlsCache', payload);
    expect(emulator.accepted[0]).toMatchObject({ taskId: response.TaskId, area: 'global', body: payload });
  });

  it('unblocks with EnableCaches and lists unblockFailUrls in CacheOptResult.FailUrls', async () => {
    const { emulator, call } = await setup({ unblockFailUrls: ['https://www.example.com/b.jpg'] });
    const response = await call('EnableCaches', {
      Urls: ['https://www.example.com/a.jpg', 'https://www.example.com/b.jpg'],
      Date: '2025-01-31',
    });
    expect(response).toEqual({
      TaskId: expect.stringMatching(TASK_ID),
      CacheOptResult: {
        SuccessUrls: ['https://www.example.com/a.jpg'],
        FailUrls: ['https://www.example.com/b.jpg'],
      },
      RequestId: expect.stringMatching(UUID),
    });
    expect(emulator.accepted[0]).toMatchObject({ action: 'EnableCaches', taskId: response.TaskId });
  });
});

describe('scripted faults', () => {
  const payload = { Urls: ['https://www.example.com/a.js'] };

  it('answers an error fault in the API envelope, then goes back to normal', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({
      kind: 'error',
      code: 'ResourceNotFound.CdnHostNotExists',
      message: 'no such domain',
    });
    const error = await apiError(call('PurgeUrlsCache', payload));
    expect(error.code).toBe('ResourceNotFound.CdnHostNotExists');
    expect(error.message).toBe('no such domain');
    expect(error.details.requestId).toBe(emulator.requests[0]?.requestId);
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', fault: 'error', errorCode: error.code });
    expect(emulator.accepted).toEqual([]);

    await call('PurgeUrlsCache', payload);
    expect(emulator.requests.map((request) => request.outcome)).toEqual(['fault', 'accepted']);
  });

  it('answers an http fault with its status and body', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'http', status: 502 });
    emulator.failNext({ kind: 'http', status: 403, body: 'forbidden by a proxy' });
    const gateway = await apiError(call('PurgeUrlsCache', payload));
    expect(gateway.code).toBe('HTTP502');
    expect(gateway.disposition).toBe('retry');
    expect(gateway.details.mayHaveBeenAccepted).toBe(true);
    const proxy = await apiError(call('PurgeUrlsCache', payload));
    expect(proxy.code).toBe('HTTP403');
    expect(proxy.message).toContain('forbidden by a proxy');
    expect(emulator.requests.map((request) => [request.fault, request.status, request.requestId])).toEqual([
      ['http', 502, undefined],
      ['http', 403, undefined],
    ]);
    expect(emulator.accepted).toEqual([]);
  });

  it('drops the connection on a drop fault: the client sees ConnectionError', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'drop' });
    const error = await apiError(call('PurgeUrlsCache', payload));
    expect(error.code).toBe('ConnectionError');
    expect(error.disposition).toBe('retry');
    expect(error.details.mayHaveBeenAccepted).toBe(true);
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', fault: 'drop' });
    expect(emulator.requests[0]?.status).toBeUndefined();
    await expect(call('PurgeUrlsCache', payload)).resolves.toHaveProperty('TaskId');
    expect(emulator.accepted).toHaveLength(1);
  });

  it('holds back the answer on a delay fault, and the request is carried out all the same', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'delay', ms: 300 });
    const started = Date.now();
    await call('PurgeUrlsCache', payload);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests[0]).toMatchObject({ outcome: 'accepted', fault: 'delay' });

    const impatient = await setup({}, { timeoutMs: 200 });
    impatient.emulator.failNext({ kind: 'delay', ms: 2000 });
    const error = await apiError(impatient.call('PurgeUrlsCache', payload));
    expect(error.code).toBe('Timeout');
    expect(error.details.mayHaveBeenAccepted).toBe(true);
    expect(impatient.emulator.accepted).toHaveLength(1);
  });

  it('consumes faults in order, `times` over, for their action only', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ action: 'PushUrlsCache', kind: 'error', code: 'InternalError' }, 2);
    emulator.failNext({ kind: 'error', code: 'RequestLimitExceeded' });
    const outcomes = (action: string): Promise<string> => outcome(call(action, payload));
    expect(await outcomes('PurgeUrlsCache')).toBe('RequestLimitExceeded');
    expect(await outcomes('PurgeUrlsCache')).toBe('ok');
    expect(await outcomes('PushUrlsCache')).toBe('InternalError');
    expect(await outcomes('PushUrlsCache')).toBe('InternalError');
    expect(await outcomes('PushUrlsCache')).toBe('ok');
  });

  it('keeps a scripted fault for a signed request, and puts it before faultRate', async () => {
    const { emulator, call } = await setup({ faultRate: 1 });
    emulator.failNext({ kind: 'error', code: 'InternalError.CdnSystemError' });
    const unsigned = await raw(emulator, { authorization: null });
    expect(unsigned.json).toMatchObject({
      Response: { Error: { Code: 'AuthFailure.InvalidAuthorization' } },
    });
    expect((await apiError(call('PurgeUrlsCache', payload))).code).toBe('InternalError.CdnSystemError');
    expect(emulator.requests.map((request) => request.fault)).toEqual([undefined, 'error']);
  });
});

describe('limits', () => {
  it('refuses a batch over the limit, with each action its own code, and accepts nothing', async () => {
    const { emulator, call } = await setup({ batchLimits: { purgeUrls: 3 } });
    const over = await apiError(call('PurgeUrlsCache', { Urls: urls(4) }));
    expect(over.code).toBe('LimitExceeded.CdnPurgeUrlExceedBatchLimit');
    expect(over.disposition).toBe('split');
    await call('PurgeUrlsCache', { Urls: urls(3) });

    const paths = Array.from({ length: 21 }, (_, i) => `https://www.example.com/d${i}/`);
    const purgePaths = await apiError(call('PurgePathCache', { Paths: paths, FlushType: 'flush' }));
    expect(purgePaths.code).toBe('LimitExceeded.CdnPurgeExceedBatchLimit');
    await call('PurgePathCache', { Paths: paths.slice(0, 20), FlushType: 'flush' });

    const push = await apiError(call('PushUrlsCache', { Urls: urls(501) }));
    expect(push.code).toBe('LimitExceeded.CdnPushExceedBatchLimit');
    await call('PushUrlsCache', { Urls: urls(500) });

    expect((await apiError(call('EnableCaches', { Urls: urls(101) }))).code).toBe(
      'InvalidParameter.CdnParamError',
    );
    expect(emulator.accepted.map((task) => task.action)).toEqual([
      'PurgeUrlsCache',
      'PurgePathCache',
      'PushUrlsCache',
    ]);
  });

  it('takes 1,000 URLs in one purge by default and refuses 1,001', async () => {
    const { call } = await setup();
    await call('PurgeUrlsCache', { Urls: urls(1000) });
    expect((await apiError(call('PurgeUrlsCache', { Urls: urls(1001) }))).code).toBe(
      'LimitExceeded.CdnPurgeUrlExceedBatchLimit',
    );
  });

  it('refuses more than ratePerSecond requests of one action in a second, unsigned ones not counted', async () => {
    const { emulator, call } = await setup({ ratePerSecond: 2 });
    const payload = { Urls: ['https://www.example.com/a.js'] };
    await raw(emulator, { authorization: null });
    await call('PurgeUrlsCache', payload);
    await call('PurgeUrlsCache', payload);
    const limited = await apiError(call('PurgeUrlsCache', payload));
    expect(limited.code).toBe('RequestLimitExceeded');
    expect(limited.disposition).toBe('retry');
    // Another action has a window of its own.
    await call('PushUrlsCache', payload);

    await new Promise((resolve) => setTimeout(resolve, 1050));
    await call('PurgeUrlsCache', payload);
    expect(emulator.requests.map((request) => request.errorCode ?? request.outcome)).toEqual([
      'AuthFailure.InvalidAuthorization',
      'accepted',
      'accepted',
      'RequestLimitExceeded',
      'accepted',
      'accepted',
    ]);
    expect(emulator.accepted).toHaveLength(4);
  });

  it('refuses a request that would exceed the daily quota of its region, and accepts none of it', async () => {
    const { emulator, call } = await setup({ dailyQuota: { purgeUrls: 5, purgePaths: 1, pushUrls: 4 } });
    // A request with a wrong key never consumes quota.
    const intruder = await setup(
      { dailyQuota: { purgeUrls: 5 } },
      { credentials: { secretId: 'AKIDEMULATOR', secretKey: 'wrong' } },
    );
    await apiError(intruder.call('PurgeUrlsCache', { Urls: urls(5) }));

    await call('PurgeUrlsCache', { Urls: urls(3) });
    const exceeded = await apiError(call('PurgeUrlsCache', { Urls: urls(3) }));
    expect(exceeded.code).toBe('LimitExceeded.CdnPurgeUrlExceedDayLimit');
    expect(exceeded.disposition).toBe('operation');
    await call('PurgeUrlsCache', { Urls: urls(2) });
    await call('PurgeUrlsCache', { Urls: urls(5), Area: 'overseas' });

    await call('PurgePathCache', { Paths: ['https://www.example.com/a/'], FlushType: 'delete' });
    expect(
      (await apiError(call('PurgePathCache', { Paths: ['https://www.example.com/b/'], FlushType: 'flush' })))
        .code,
    ).toBe('LimitExceeded.CdnPurgeExceedDayLimit');

    // A global prefetch takes from both regions.
    await call('PushUrlsCache', { Urls: urls(3), Area: 'global' });
    expect((await apiError(call('PushUrlsCache', { Urls: urls(2), Area: 'overseas' }))).code).toBe(
      'LimitExceeded.CdnPushExceedDayLimit',
    );
    await call('PushUrlsCache', { Urls: urls(1) });

    expect(await call('DescribePurgeQuota', {})).toEqual({
      UrlPurge: [
        { Batch: 1000, Total: 5, Available: 0, Area: 'mainland' },
        { Batch: 1000, Total: 5, Available: 0, Area: 'overseas' },
      ],
      PathPurge: [
        { Batch: 20, Total: 1, Available: 0, Area: 'mainland' },
        { Batch: 20, Total: 1, Available: 1, Area: 'overseas' },
      ],
      RequestId: expect.stringMatching(UUID),
    });
    expect((await call('DescribePushQuota', {})).UrlPush).toEqual([
      { Batch: 500, Total: 4, Available: 0, Area: 'mainland' },
      { Batch: 500, Total: 4, Available: 1, Area: 'overseas' },
    ]);
    expect(emulator.accepted.map((task) => (task.urls ?? task.paths ?? []).length)).toEqual([
      3, 2, 5, 1, 3, 1,
    ]);
  });

  it('reports the documented quotas and batch sizes by default', async () => {
    const { call } = await setup({ batchLimits: { pushUrls: 100 } });
    await call('PurgeUrlsCache', { Urls: urls(10) });
    const purge = await call('DescribePurgeQuota', {});
    expect(purge.UrlPurge).toEqual([
      { Batch: 1000, Total: 10_000, Available: 9990, Area: 'mainland' },
      { Batch: 1000, Total: 10_000, Available: 10_000, Area: 'overseas' },
    ]);
    expect(purge.PathPurge).toEqual([
      { Batch: 20, Total: 100, Available: 100, Area: 'mainland' },
      { Batch: 20, Total: 100, Available: 100, Area: 'overseas' },
    ]);
    expect((await call('DescribePushQuota', {})).UrlPush).toEqual([
      { Batch: 100, Total: 1000, Available: 1000, Area: 'mainland' },
      { Batch: 100, Total: 1000, Available: 1000, Area: 'overseas' },
    ]);
  });
});

describe("the domains' areas", () => {
  const areas = {
    'www.example.com': 'mainland',
    'intl.example.com': 'overseas',
    'cdn.example.com': 'global',
  } as const;
  const under = (host: string, n: number) => Array.from({ length: n }, (_, i) => `https://${host}/${i}.js`);

  it('lists the domains a domain filter names, with their areas, at most 5 values a filter', async () => {
    const { call } = await setup({ domainAreas: areas });
    const answer = await call('DescribeDomains', {
      Filters: [{ Name: 'domain', Value: ['www.example.com', 'cdn.example.com', 'other.example.org'] }],
    });
    expect(answer.TotalNumber).toBe(2);
    expect((answer.Domains as { Domain: string; Area: string }[]).map((d) => [d.Domain, d.Area])).toEqual([
      ['www.example.com', 'mainland'],
      ['cdn.example.com', 'global'],
    ]);
    const six = Array.from({ length: 6 }, (_, i) => `d${i}.example.com`);
    const refused = await apiError(call('DescribeDomains', { Filters: [{ Name: 'domain', Value: six }] }));
    expect(refused.code).toBe('InvalidParameter.CdnParamError');
  });

  it("charges a purge without Area in its domain's own area, both for a global domain", async () => {
    const { call } = await setup({ domainAreas: areas, dailyQuota: { purgeUrls: 5 } });
    await call('PurgeUrlsCache', { Urls: under('intl.example.com', 2) });
    await call('PurgeUrlsCache', { Urls: under('cdn.example.com', 1) });
    await call('PurgeUrlsCache', { Urls: under('www.example.com', 4) });
    expect((await call('DescribePurgeQuota', {})).UrlPurge).toEqual([
      { Batch: 1000, Total: 5, Available: 0, Area: 'mainland' },
      { Batch: 1000, Total: 5, Available: 2, Area: 'overseas' },
    ]);
    // One more mainland URL is one too many, even though overseas has two left.
    const exceeded = await apiError(call('PurgeUrlsCache', { Urls: under('www.example.com', 1) }));
    expect(exceeded.code).toBe('LimitExceeded.CdnPurgeUrlExceedDayLimit');
    expect(exceeded.message).toContain('0 in mainland left today');
  });

  it('starts the day with what other jobs spent, spends more after a given action, and refuses what the credentials may not call', async () => {
    const { emulator, call } = await setup({
      usedToday: { purgeUrls: { mainland: 9013 } },
      unauthorizedActions: ['DescribeDomains'],
    });
    expect((await call('DescribePurgeQuota', {})).UrlPurge).toContainEqual(
      expect.objectContaining({ Area: 'mainland', Available: 987 }),
    );
    const denied = await apiError(call('DescribeDomains', {}));
    expect(denied.code).toBe('UnauthorizedOperation.CdnCamUnauthorized');
    emulator.spendAfter('PurgeUrlsCache', 'purgeUrls', 'mainland', 500);
    await call('PurgeUrlsCache', { Urls: urls(400) });
    expect((await call('DescribePurgeQuota', {})).UrlPurge).toContainEqual(
      expect.objectContaining({ Area: 'mainland', Available: 87 }),
    );
  });
});

describe('faultRate', () => {
  /** Sends `n` requests one after another and lists what the client saw and what the emulator recorded. */
  async function run(options: EmulatorOptions, n: number) {
    const { emulator, call } = await setup(options);
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      seen.push(
        await outcome(
          call(
            i % 2 ? 'DescribePushQuota' : 'PurgeUrlsCache',
            i % 2 ? {} : { Urls: [`https://www.example.com/${i}.js`] },
          ),
        ),
      );
    }
    const recorded = emulator.requests.map(
      (request) => `${request.outcome}/${request.fault ?? ''}/${request.errorCode ?? ''}`,
    );
    return { seen, recorded, emulator };
  }

  it('faults a seeded, reproducible share of requests, of every kind, and never accepts a faulted one', async () => {
    const first = await run({ faultRate: 0.4, seed: 42 }, 40);
    const again = await run({ faultRate: 0.4, seed: 42 }, 40);
    const other = await run({ faultRate: 0.4, seed: 7 }, 40);

    expect(again.seen).toEqual(first.seen);
    expect(again.recorded).toEqual(first.recorded);
    expect(other.seen).not.toEqual(first.seen);

    expect(new Set(first.seen)).toEqual(
      new Set(['ok', 'ConnectionError', 'HTTP502', 'InternalError', 'RequestLimitExceeded']),
    );
    const faults = first.emulator.requests.filter((request) => request.outcome === 'fault');
    expect(faults.length).toBeGreaterThan(8);
    expect(faults.length).toBeLessThan(28);
    const acceptedIds = first.emulator.requests
      .filter((request) => request.taskId)
      .map((request) => request.taskId);
    expect(first.emulator.accepted.map((task) => task.taskId)).toEqual(acceptedIds);
    expect(faults.every((request) => request.taskId === undefined)).toBe(true);
  });

  it('faults nothing at 0 and everything at 1', async () => {
    expect((await run({ faultRate: 0 }, 6)).seen).toEqual(Array(6).fill('ok'));
    expect((await run({ faultRate: 1 }, 6)).seen).not.toContain('ok');
  });
});

describe('task status', () => {
  it('reports a purge as process, then done, or fail for failUrls, by TaskId and by PurgeType', async () => {
    const failed = 'https://www.example.com/broken.js';
    const { call } = await setup({ taskProgress: { failUrls: [failed] } });
    const urlTask = await call('PurgeUrlsCache', { Urls: ['https://www.example.com/a.js', failed] });
    const pathTask = await call('PurgePathCache', {
      Paths: ['https://www.example.com/static/'],
      FlushType: 'delete',
      Area: 'overseas',
    });

    const first = await call('DescribePurgeTasks', {
      TaskId: urlTask.TaskId,
      PurgeType: 'url',
      Offset: 0,
      Limit: 100,
    });
    expect(first).toEqual({
      PurgeLogs: [
        {
          TaskId: urlTask.TaskId,
          Url: 'https://www.example.com/a.js',
          Status: 'process',
          PurgeType: 'url',
          FlushType: 'flush',
          CreateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
          Area: 'mainland',
        },
        expect.objectContaining({ Url: failed, Status: 'process' }),
      ],
      TotalCount: 2,
      RequestId: expect.stringMatching(UUID),
    });
    const second = await call('DescribePurgeTasks', { TaskId: urlTask.TaskId });
    expect((second.PurgeLogs as Array<{ Status: string }>).map((log) => log.Status)).toEqual([
      'done',
      'fail',
    ]);

    const byType = await call('DescribePurgeTasks', { TaskId: pathTask.TaskId, PurgeType: 'path' });
    expect(byType.PurgeLogs).toEqual([
      expect.objectContaining({
        Url: 'https://www.example.com/static/',
        PurgeType: 'path',
        FlushType: 'delete',
        Area: 'overseas',
      }),
    ]);
    const wrongType = await call('DescribePurgeTasks', { TaskId: pathTask.TaskId, PurgeType: 'url' });
    expect(wrongType).toMatchObject({ PurgeLogs: [], TotalCount: 0 });
  });

  it('pages the logs newest task first, by time range, and counts a poll once the whole log is read', async () => {
    const { call } = await setup();
    const older = await call('PurgeUrlsCache', { Urls: urls(3, 'https://old.example.com') });
    const newer = await call('PurgeUrlsCache', { Urls: urls(2, 'https://new.example.com') });
    const range = { StartTime: beijingTime(Date.now() - 60_000), EndTime: beijingTime(Date.now() + 60_000) };

    const page1 = await call('DescribePurgeTasks', { ...range, Offset: 0, Limit: 3 });
    expect(page1.TotalCount).toBe(5);
    const rows1 = page1.PurgeLogs as Array<{ TaskId: string; Url: string; Status: string }>;
    expect(rows1.map((row) => [row.TaskId, row.Status])).toEqual([
      [newer.TaskId, 'process'],
      [newer.TaskId, 'process'],
      [older.TaskId, 'process'],
    ]);
    const page2 = await call('DescribePurgeTasks', { ...range, Offset: 3, Limit: 3 });
    const rows2 = page2.PurgeLogs as Array<{ TaskId: string; Status: string }>;
    // The older task's log continues on page 2 with the status page 1 showed.
    expect(rows2.map((row) => [row.TaskId, row.Status])).toEqual([
      [older.TaskId, 'process'],
      [older.TaskId, 'process'],
    ]);

    const after = await call('DescribePurgeTasks', { ...range, Limit: 10 });
    expect(new Set((after.PurgeLogs as Array<{ Status: string }>).map((row) => row.Status))).toEqual(
      new Set(['done']),
    );
    const keyword = await call('DescribePurgeTasks', { ...range, Keyword: 'new.example.com' });
    expect(keyword.TotalCount).toBe(2);
    const past = await call('DescribePurgeTasks', {
      StartTime: beijingTime(Date.now() - 7_200_000),
      EndTime: beijingTime(Date.now() - 3_600_000),
    });
    expect(past).toMatchObject({ PurgeLogs: [], TotalCount: 0 });
  });

  it('finishes a task doneAfterMs after it was accepted, by its clock, and lists it by Beijing time', async () => {
    let now = Date.parse('2024-01-02T03:04:05.500Z');
    const clock = () => now;
    const { emulator, call } = await setup(
      { now: clock, taskProgress: { doneAfterMs: 31_000 } },
      { now: clock },
    );
    const task = await call('PurgeUrlsCache', { Urls: urls(1) });
    const status = async (query: Record<string, unknown>) =>
      ((await call('DescribePurgeTasks', query)).PurgeLogs as Array<{ Status: string }>).map(
        (row) => row.Status,
      );
    now += 30_999;
    expect(await status({ TaskId: task.TaskId })).toEqual(['process']);
    expect(await status({ TaskId: task.TaskId })).toEqual(['process']);
    now += 1;
    expect(await status({ TaskId: task.TaskId })).toEqual(['done']);
    // Accepted at 03:04:05 UTC, 11:04:05 in Beijing: both ends of a range are included.
    expect(await status({ StartTime: '2024-01-02 11:04:05', EndTime: '2024-01-02 11:04:05' })).toEqual([
      'done',
    ]);
    expect(await status({ StartTime: '2024-01-02 11:04:06', EndTime: '2024-01-02 12:00:00' })).toEqual([]);
    expect(await status({ StartTime: '2024-01-02 03:04:05', EndTime: '2024-01-02 11:04:04' })).toEqual([]);
    expect(emulator.requests.filter((request) => request.action === 'DescribePurgeTasks')).toHaveLength(6);
  });

  it('reports a prefetch with Percent and Area, done after doneAfterPolls reads', async () => {
    const { call } = await setup({
      taskProgress: { doneAfterPolls: 2, failUrls: ['https://www.example.com/b.js'] },
    });
    const task = await call('PushUrlsCache', {
      Urls: ['https://www.example.com/a.js', 'https://www.example.com/b.js'],
      Area: 'global',
    });
    const poll = async () =>
      (
        (await call('DescribePushTasks', { TaskId: task.TaskId })).PushLogs as Array<Record<string, unknown>>
      ).map((log) => [log.Url, log.Status, log.Percent, log.Area]);
    const processing = [
      ['https://www.example.com/a.js', 'process', 50, 'global'],
      ['https://www.example.com/b.js', 'process', 50, 'global'],
    ];
    expect(await poll()).toEqual(processing);
    expect(await poll()).toEqual(processing);
    expect(await poll()).toEqual([
      ['https://www.example.com/a.js', 'done', 100, 'global'],
      ['https://www.example.com/b.js', 'fail', 0, 'global'],
    ]);
    const logs = await call('DescribePushTasks', { TaskId: task.TaskId, Status: 'fail' });
    expect(logs).toMatchObject({
      TotalCount: 1,
      PushLogs: [{ TaskId: task.TaskId, Url: 'https://www.example.com/b.js' }],
    });
  });

  it('counts Describe calls against the rate limit but not against any quota', async () => {
    const { call } = await setup({ ratePerSecond: 1, dailyQuota: { purgeUrls: 1 } });
    await call('DescribePurgeQuota', {});
    expect((await apiError(call('DescribePurgeQuota', {}))).code).toBe('RequestLimitExceeded');
    await call('PurgeUrlsCache', { Urls: urls(1) });
  });
});
