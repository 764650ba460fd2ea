import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { acsDate, signAcs3 } from '../../../src/providers/aliyun/acs3.js';
import { type AliyunClient, callAliyunApi, formEncode } from '../../../src/providers/aliyun/api.js';
import type { HttpRequest, HttpSend } from '../../../src/providers/transport.js';
import { apiError, cleanupAfterEach, emulatorWithClient, urls } from '../shared/test-harness.js';
import {
  ALIYUN_CREDENTIALS,
  type AliyunCdnEmulator,
  type AliyunEmulatorOptions,
  startAliyunCdnEmulator,
} from './emulator.js';

const defer = cleanupAfterEach();

type Call = (action: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

/** An emulator and the project's own client pointed at it; both are closed after the test. */
async function setup(
  options: AliyunEmulatorOptions = {},
  client: Partial<AliyunClient> = {},
): Promise<{ emulator: AliyunCdnEmulator; call: Call; sent: HttpRequest[]; send: HttpSend }> {
  const { emulator, send } = await emulatorWithClient(() => startAliyunCdnEmulator(options), defer);
  const sent: HttpRequest[] = [];
  const config: AliyunClient = {
    endpoint: new URL(emulator.url),
    credentials: { ...ALIYUN_CREDENTIALS },
    send: (request) => {
      sent.push(request);
      return send(request);
    },
    now: Date.now,
    timeoutMs: 5000,
    ...client,
  };
  return { emulator, call: (action, params) => callAliyunApi(config, action, params), sent, send };
}

interface RawRequest {
  method?: string;
  path?: string;
  action?: string;
  version?: string;
  body?: string;
  contentType?: string;
  /** Overrides of the signed headers (undefined removes one). */
  headers?: Record<string, string | undefined>;
  /** Replaces the Authorization header (null: none). */
  authorization?: string | null;
  /** Replaces x-acs-content-sha256 after signing. */
  contentSha256?: string;
}

/**
 * A request made by hand and sent with fetch, for what the client never sends. fetch sends `host: 127.0.0.1:<port>`,
 * which is what gets signed here.
 */
async function raw(
  emulator: AliyunCdnEmulator,
  request: RawRequest = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = request.body ?? formEncode({ ObjectPath: 'https://www.example.com/a.js' });
  const host = new URL(emulator.url).host;
  const headers: Record<string, string> = {
    'content-type': request.contentType ?? 'application/x-www-form-urlencoded',
    'x-acs-action': request.action ?? 'RefreshObjectCaches',
    'x-acs-version': request.version ?? '2018-05-10',
    'x-acs-date': acsDate(Date.now()),
    'x-acs-signature-nonce': crypto.randomUUID(),
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  if (body === '') delete headers['content-type'];
  const authorization =
    request.authorization === undefined
      ? signAcs3({ method: 'POST', host, path: '/', query: {}, headers, body, ...ALIYUN_CREDENTIALS })
          .authorization
      : request.authorization;
  headers['x-acs-content-sha256'] = request.contentSha256 ?? createHash('sha256').update(body).digest('hex');
  if (authorization !== null) headers.authorization = authorization;
  const method = request.method ?? 'POST';
  const response = await fetch(`${emulator.url}${request.path ?? '/'}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const TASK_IDS = /^\d+(,\d+)*$/;
const dirs = (n: number): string[] => Array.from({ length: n }, (_, i) => `https://www.example.com/d${i}/`);
const lines = (entries: string[]): string => entries.join('\n');

describe('RefreshObjectCaches', () => {
  it('accepts files, answers a task id and records the request and the task', async () => {
    const { emulator, call } = await setup();
    const paths = ['https://www.example.com/a.js', 'https://www.example.com/b c.js?x=1&y=é'];
    const answer = await call('RefreshObjectCaches', { ObjectPath: lines(paths), ObjectType: 'File' });

    expect(answer.RefreshTaskId).toMatch(/^\d+$/);
    expect(answer.RequestId).toMatch(REQUEST_ID);
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      action: 'RefreshObjectCaches',
      outcome: 'accepted',
      status: 200,
      requestId: answer.RequestId,
      taskIds: [answer.RefreshTaskId],
      params: { ObjectPath: lines(paths), ObjectType: 'File' },
    });
    expect(request?.headers.host).toBe('127.0.0.1');
    expect(request?.headers['x-acs-version']).toBe('2018-05-10');
    expect(request?.rawBody).toBe(formEncode({ ObjectPath: lines(paths), ObjectType: 'File' }));
    expect(emulator.accepted).toEqual([
      {
        taskIds: [answer.RefreshTaskId],
        action: 'RefreshObjectCaches',
        objectType: 'File',
        paths,
        params: { ObjectPath: lines(paths), ObjectType: 'File' },
        requestId: answer.RequestId,
        acceptedAt: expect.any(Number),
      },
    ]);
  });

  it('takes File as the default ObjectType', async () => {
    const { emulator, call } = await setup();
    await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' });
    expect(emulator.accepted[0]?.objectType).toBe('File');
  });

  it('accepts directories with Force, and refuses a directory without a trailing slash', async () => {
    const { emulator, call } = await setup();
    const answer = await call('RefreshObjectCaches', {
      ObjectPath: lines(['https://www.example.com/static/', 'http://img.example.com/a/b/']),
      ObjectType: 'Directory',
      Force: 'true',
    });
    expect(answer.RefreshTaskId).toMatch(TASK_IDS);
    expect(emulator.accepted[0]).toMatchObject({ objectType: 'Directory', params: { Force: 'true' } });

    const error = await apiError(
      call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/static', ObjectType: 'Directory' }),
    );
    expect(error).toMatchObject({ code: 'InvalidObjectPath.Malformed', disposition: 'batch' });
    expect(error.message).toMatch(/does not end in "\/"/);
    expect(emulator.accepted).toHaveLength(1);
  });

  it('answers several comma-separated task ids for a large batch, one per 50 paths', async () => {
    const { emulator, call } = await setup();
    const answer = await call('RefreshObjectCaches', { ObjectPath: lines(urls(120)) });
    const ids = String(answer.RefreshTaskId).split(',');
    expect(answer.RefreshTaskId).toMatch(TASK_IDS);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(emulator.accepted[0]?.taskIds).toEqual(ids);

    const tasks = await call('DescribeRefreshTaskById', { TaskId: answer.RefreshTaskId as string });
    expect(tasks.TotalCount).toBe(120);
    const rows = tasks.Tasks as Array<Record<string, string>>;
    expect(rows.map((row) => row.ObjectPath)).toEqual(urls(120));
    expect(rows.filter((row) => row.TaskId === ids[0])).toHaveLength(50);
    expect(rows.filter((row) => row.TaskId === ids[2])).toHaveLength(20);
  });

  it('takes Regex (one per call) and IgnoreParams', async () => {
    const { emulator, call } = await setup();
    await call('RefreshObjectCaches', {
      ObjectPath: 'https://www.example.com/img/.*\\.png',
      ObjectType: 'Regex',
    });
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(3)), ObjectType: 'IgnoreParams' });
    expect(emulator.accepted.map((task) => task.objectType)).toEqual(['Regex', 'IgnoreParams']);
    const error = await apiError(
      call('RefreshObjectCaches', {
        ObjectPath: lines(['https://www.example.com/a/.*', 'https://www.example.com/b/.*']),
        ObjectType: 'Regex',
      }),
    );
    expect(error).toMatchObject({ code: 'SingleRequest.OverLimit', disposition: 'split' });
  });

  it.each([
    ['a path without a scheme', 'www.example.com/a.js'],
    ['an ftp URL', 'ftp://www.example.com/a.js'],
    ['an empty entry', 'https://www.example.com/a.js\n'],
    ['a tab', 'https://www.example.com/a\t.js'],
    ['a path over 1,024 characters', `https://www.example.com/${'a'.repeat(1100)}`],
  ])('refuses %s as InvalidObjectPath.Malformed', async (_name, objectPath) => {
    const { emulator, call } = await setup();
    const error = await apiError(call('RefreshObjectCaches', { ObjectPath: objectPath }));
    expect(error).toMatchObject({ code: 'InvalidObjectPath.Malformed', disposition: 'batch' });
    expect(emulator.accepted).toHaveLength(0);
  });

  it('refuses a hostile ObjectPath entry with a raw CR and takes no quota', async () => {
    const { emulator, call } = await setup({ dailyQuota: { url: 5 } });
    const error = await apiError(
      call('RefreshObjectCaches', {
        ObjectPath: lines([
          'https://www.example.com/ok.js',
          'https://www.example.com/a.js\rhttps://evil.example.com/',
        ]),
      }),
    );
    expect(error.code).toBe('InvalidObjectPath.Malformed');
    expect(error.message).toContain('entry 2 contains the control character U+000D');
    expect(error.disposition).toBe('batch');
    expect(emulator.requests[0]?.params.ObjectPath).toContain('\r');
    expect(emulator.accepted).toHaveLength(0);
    const quota = await call('DescribeRefreshQuota', {});
    expect(quota.UrlRemain).toBe('5');
  });

  it('refuses an unknown ObjectType, a bad Force and an unknown parameter, naming it', async () => {
    const { call } = await setup();
    const path = 'https://www.example.com/a.js';
    expect(
      await apiError(call('RefreshObjectCaches', { ObjectPath: path, ObjectType: 'Url' })),
    ).toMatchObject({
      code: 'InvalidObjectType.Malformed',
    });
    const force = await apiError(call('RefreshObjectCaches', { ObjectPath: path, Force: 'yes' }));
    expect(force.code).toBe('InvalidParameter');
    expect(force.message).toContain('Force');
    const unknown = await apiError(call('RefreshObjectCaches', { ObjectPath: path, Area: 'domestic' }));
    expect(unknown.code).toBe('InvalidParameter');
    expect(unknown.message).toContain('Area');
    const missing = await apiError(call('RefreshObjectCaches', { ObjectType: 'File' }));
    expect(missing.code).toBe('MissingParameter');
    expect(missing.message).toContain('ObjectPath');
  });

  it('refuses a domain outside the account when domains are given', async () => {
    const { emulator, call } = await setup({ domains: ['www.example.com'] });
    await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' });
    const error = await apiError(
      call('RefreshObjectCaches', { ObjectPath: 'https://other.example.net/a.js' }),
    );
    expect(error).toMatchObject({ code: 'InvalidDomain.NotFound', disposition: 'batch' });
    expect(emulator.requests[1]?.status).toBe(404);
  });
});

describe('PushObjectCache', () => {
  it('accepts every option and answers a PushTaskId', async () => {
    const { emulator, call } = await setup();
    const params = {
      ObjectPath: lines(urls(2)),
      Area: 'overseas',
      L2Preload: 'true',
      WithHeader: JSON.stringify({ 'Accept-Encoding': ['gzip'], 'User-Agent': 'Mozilla/5.0 (emulated)' }),
      QueryHashkey: 'false',
    };
    const answer = await call('PushObjectCache', params);
    expect(answer.PushTaskId).toMatch(TASK_IDS);
    expect(emulator.accepted).toEqual([
      {
        taskIds: [answer.PushTaskId],
        action: 'PushObjectCache',
        paths: urls(2),
        params,
        requestId: answer.RequestId,
        acceptedAt: expect.any(Number),
      },
    ]);
    expect(emulator.requests[0]?.params).toEqual(params);
  });

  it.each([
    [{ Area: 'global' }, 'InvalidParameter'],
    [{ L2Preload: '1' }, 'InvalidParameter'],
    [{ QueryHashkey: 'TRUE' }, 'InvalidParameter'],
    [{ WithHeader: 'not json' }, 'InvalidCustomHeader'],
    [{ WithHeader: '["a"]' }, 'InvalidCustomHeader'],
    [{ WithHeader: '{"bad name":"x"}' }, 'InvalidCustomHeader'],
    [{ WithHeader: '{"X-A":1}' }, 'InvalidCustomHeader'],
    [{ ObjectType: 'File' }, 'InvalidParameter'],
  ])('refuses %j with %s', async (extra, code) => {
    const { emulator, call } = await setup();
    const error = await apiError(
      call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js', ...extra }),
    );
    expect(error).toMatchObject({ code, disposition: 'batch' });
    expect(emulator.accepted).toHaveLength(0);
  });

  it('shows prefetch tasks as preload in DescribeRefreshTaskById', async () => {
    const { call } = await setup({ taskProgress: { doneAfterPolls: 0 } });
    const answer = await call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' });
    const tasks = await call('DescribeRefreshTaskById', { TaskId: answer.PushTaskId as string });
    expect(tasks.Tasks).toEqual([
      {
        TaskId: answer.PushTaskId,
        ObjectPath: 'https://www.example.com/a.js',
        ObjectType: 'preload',
        Status: 'Complete',
        Process: '100%',
        CreationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        Description: '',
      },
    ]);
  });
});

describe('per-call limits', () => {
  it.each([
    ['File', urls(1001)],
    ['IgnoreParams', urls(1001)],
    ['Directory', dirs(101)],
  ])('refuses more %s entries than documented with SingleRequest.OverLimit', async (objectType, paths) => {
    const { emulator, call } = await setup();
    await call('RefreshObjectCaches', { ObjectPath: lines(paths.slice(1)), ObjectType: objectType });
    const error = await apiError(
      call('RefreshObjectCaches', { ObjectPath: lines(paths), ObjectType: objectType }),
    );
    expect(error).toMatchObject({ code: 'SingleRequest.OverLimit', disposition: 'split' });
    expect(emulator.accepted).toHaveLength(1);
  });

  it('takes at most 100 URLs per PushObjectCache', async () => {
    const { call } = await setup();
    await call('PushObjectCache', { ObjectPath: lines(urls(100)) });
    const error = await apiError(call('PushObjectCache', { ObjectPath: lines(urls(101)) }));
    expect(error).toMatchObject({ code: 'SingleRequest.OverLimit', disposition: 'split' });
  });

  it('applies batchLimits', async () => {
    const { call } = await setup({ batchLimits: { refreshUrls: 3, refreshDirs: 1, push: 2 } });
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(3)) });
    expect((await apiError(call('RefreshObjectCaches', { ObjectPath: lines(urls(4)) }))).code).toBe(
      'SingleRequest.OverLimit',
    );
    expect(
      (await apiError(call('RefreshObjectCaches', { ObjectPath: lines(dirs(2)), ObjectType: 'Directory' })))
        .code,
    ).toBe('SingleRequest.OverLimit');
    expect((await apiError(call('PushObjectCache', { ObjectPath: lines(urls(3)) }))).code).toBe(
      'SingleRequest.OverLimit',
    );
  });
});

describe('daily quotas', () => {
  it('reports the quotas as strings and counts them down', async () => {
    const { call } = await setup();
    expect(await call('DescribeRefreshQuota', {})).toEqual({
      RequestId: expect.stringMatching(REQUEST_ID),
      UrlQuota: '10000',
      UrlRemain: '10000',
      DirQuota: '100',
      DirRemain: '100',
      RegexQuota: '20',
      RegexRemain: '20',
      PreloadQuota: '1000',
      PreloadRemain: '1000',
      IgnoreParamsQuota: '10000',
      IgnoreParamsRemain: '10000',
    });
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(7)) });
    await call('RefreshObjectCaches', { ObjectPath: lines(dirs(2)), ObjectType: 'Directory' });
    await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/.*', ObjectType: 'Regex' });
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(4)), ObjectType: 'IgnoreParams' });
    await call('PushObjectCache', { ObjectPath: lines(urls(5)) });
    expect(await call('DescribeRefreshQuota', {})).toMatchObject({
      UrlRemain: '9993',
      DirRemain: '98',
      RegexRemain: '19',
      PreloadRemain: '995',
      IgnoreParamsRemain: '9996',
    });
  });

  it('refuses a refresh over the daily quota with QuotaExceeded.Refresh, all or nothing', async () => {
    const { emulator, call } = await setup({ dailyQuota: { url: 5, dir: 1 } });
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(3)) });
    const error = await apiError(call('RefreshObjectCaches', { ObjectPath: lines(urls(3)) }));
    expect(error).toMatchObject({ code: 'QuotaExceeded.Refresh', disposition: 'operation' });
    expect(error.details.requestId).toMatch(REQUEST_ID);
    await call('RefreshObjectCaches', { ObjectPath: lines(urls(2)) });
    expect(
      (await apiError(call('RefreshObjectCaches', { ObjectPath: lines(dirs(2)), ObjectType: 'Directory' })))
        .code,
    ).toBe('QuotaExceeded.Refresh');
    expect(emulator.accepted).toHaveLength(2);
    expect((await call('DescribeRefreshQuota', {})).UrlRemain).toBe('0');
  });

  it('refuses a prefetch over the daily quota with QuotaExceeded.Preload', async () => {
    const { call } = await setup({ dailyQuota: { preload: 2 } });
    await call('PushObjectCache', { ObjectPath: lines(urls(2)) });
    const error = await apiError(call('PushObjectCache', { ObjectPath: 'https://www.example.com/x.js' }));
    expect(error).toMatchObject({ code: 'QuotaExceeded.Preload', disposition: 'operation' });
  });

  it('refuses a parameter to DescribeRefreshQuota', async () => {
    const { call } = await setup();
    expect((await apiError(call('DescribeRefreshQuota', { DomainName: 'x' }))).code).toBe('InvalidParameter');
  });
});

describe('DescribeRefreshTaskById', () => {
  it('reports Refreshing until polled doneAfterPolls times, then Complete or Failed', async () => {
    const failed = 'https://www.example.com/assets/1.js';
    const { call } = await setup({ taskProgress: { doneAfterPolls: 2, failPaths: [failed] } });
    const answer = await call('RefreshObjectCaches', { ObjectPath: lines(urls(2)) });
    const poll = async () =>
      (
        (await call('DescribeRefreshTaskById', { TaskId: answer.RefreshTaskId as string })).Tasks as Array<
          Record<string, string>
        >
      ).map((row) => [row.ObjectPath, row.Status, row.Process, row.ObjectType, row.Description]);
    expect(await poll()).toEqual([
      [urls(2)[0], 'Refreshing', '0%', 'file', ''],
      [failed, 'Refreshing', '0%', 'file', ''],
    ]);
    expect(await poll()).toEqual([
      [urls(2)[0], 'Refreshing', '50%', 'file', ''],
      [failed, 'Refreshing', '50%', 'file', ''],
    ]);
    const done = await poll();
    expect(done).toEqual([
      [urls(2)[0], 'Complete', '100%', 'file', ''],
      [failed, 'Failed', '100%', 'file', 'Origin Return StatusCode 5XX'],
    ]);
    expect(await poll()).toEqual(done);
  });

  it('finishes a task doneAfterMs after it was accepted, by its clock, showing its progress until then', async () => {
    let now = Date.parse('2024-01-02T03:04:05Z');
    const clock = () => now;
    const { call } = await setup({ now: clock, taskProgress: { doneAfterMs: 40_000 } }, { now: clock });
    const answer = await call('RefreshObjectCaches', { ObjectPath: urls(1)[0] ?? '' });
    const poll = async () =>
      (
        (await call('DescribeRefreshTaskById', { TaskId: answer.RefreshTaskId as string })).Tasks as Array<
          Record<string, string>
        >
      ).map((row) => [row.Status, row.Process]);
    expect(await poll()).toEqual([['Refreshing', '0%']]);
    now += 10_000;
    expect(await poll()).toEqual([['Refreshing', '25%']]);
    now += 29_999;
    expect(await poll()).toEqual([['Refreshing', '99%']]);
    now += 1;
    expect(await poll()).toEqual([['Complete', '100%']]);
  });

  it('reports directories, several ids at once, and leaves unknown ids out', async () => {
    const { call } = await setup({ taskProgress: { doneAfterPolls: 0 } });
    const a = await call('RefreshObjectCaches', {
      ObjectPath: 'https://www.example.com/d/',
      ObjectType: 'Directory',
    });
    const b = await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/b.js' });
    const tasks = await call('DescribeRefreshTaskById', {
      TaskId: `${b.RefreshTaskId},1,${a.RefreshTaskId}`,
    });
    expect(tasks.TotalCount).toBe(2);
    expect((tasks.Tasks as Array<Record<string, string>>).map((row) => [row.TaskId, row.ObjectType])).toEqual(
      [
        [b.RefreshTaskId, 'file'],
        [a.RefreshTaskId, 'directory'],
      ],
    );
  });

  it('takes at most 10 ids, and only numeric ones', async () => {
    const { call } = await setup();
    await call('DescribeRefreshTaskById', {
      TaskId: Array.from({ length: 10 }, (_, i) => String(i + 1)).join(','),
    });
    const tooMany = await apiError(
      call('DescribeRefreshTaskById', {
        TaskId: Array.from({ length: 11 }, (_, i) => String(i + 1)).join(','),
      }),
    );
    expect(tooMany).toMatchObject({ code: 'InvalidTaskId', disposition: 'batch' });
    expect((await apiError(call('DescribeRefreshTaskById', { TaskId: '12,abc' }))).code).toBe(
      'InvalidTaskId.Malformed',
    );
    expect((await apiError(call('DescribeRefreshTaskById', { TaskId: '12,' }))).code).toBe(
      'InvalidTaskId.Malformed',
    );
    expect((await apiError(call('DescribeRefreshTaskById', {}))).code).toBe('MissingParameter');
  });
});

describe('authentication', () => {
  it('accepts STS credentials with their token and refuses them without it or with another', async () => {
    const sts = { accessKeyId: 'STS.emulator', accessKeySecret: 'sts-secret', securityToken: 'token-1' };
    const { emulator, call } = await setup({ credentials: [ALIYUN_CREDENTIALS, sts] }, { credentials: sts });
    await call('DescribeRefreshQuota', {});
    expect(emulator.requests[0]?.headers['x-acs-security-token']).toBe('token-1');

    const other = await setup(
      { credentials: [sts] },
      { credentials: { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret } },
    );
    const missing = await apiError(other.call('DescribeRefreshQuota', {}));
    expect(missing).toMatchObject({ code: 'InvalidSecurityToken.MismatchWithAccessKey', disposition: 'run' });

    const wrong = await setup({ credentials: [sts] }, { credentials: { ...sts, securityToken: 'token-2' } });
    expect((await apiError(wrong.call('DescribeRefreshQuota', {}))).code).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );

    const permanent = await setup({}, { credentials: { ...ALIYUN_CREDENTIALS, securityToken: 'token-1' } });
    expect((await apiError(permanent.call('DescribeRefreshQuota', {}))).code).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (final for the run) and accepts nothing', async () => {
    const { emulator, call } = await setup(
      {},
      { credentials: { accessKeyId: ALIYUN_CREDENTIALS.accessKeyId, accessKeySecret: 'wrong' } },
    );
    const error = await apiError(call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' }));
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', disposition: 'run' });
    expect(error.details.requestId).toMatch(REQUEST_ID);
    expect(emulator.requests[0]).toMatchObject({
      outcome: 'error',
      status: 400,
      errorCode: 'SignatureDoesNotMatch',
    });
    expect(emulator.accepted).toHaveLength(0);
  });

  it('refuses an unknown AccessKeyId with HTTP 404 and a disabled one', async () => {
    const { emulator, call } = await setup(
      {},
      { credentials: { accessKeyId: 'LTAIother', accessKeySecret: 'x' } },
    );
    expect(await apiError(call('DescribeRefreshQuota', {}))).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      disposition: 'run',
    });
    expect(emulator.requests[0]?.status).toBe(404);

    const inactive = await setup({ credentials: [{ ...ALIYUN_CREDENTIALS, inactive: true }] });
    expect(await apiError(inactive.call('DescribeRefreshQuota', {}))).toMatchObject({
      code: 'InvalidAccessKeyId.Inactive',
      disposition: 'run',
    });
  });

  it('refuses the same signed request sent twice with SignatureNonceUsed', async () => {
    const { emulator, call, sent, send } = await setup();
    await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' });
    const replay = await send(sent[0] as HttpRequest);
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.body)).toMatchObject({ Code: 'SignatureNonceUsed', HostId: 'cdn.aliyuncs.com' });
    expect(emulator.accepted).toHaveLength(1);
  });

  it('refuses a nonce used before, even in a request signed afresh', async () => {
    const { call } = await setup({}, { nonce: () => 'fixed-nonce' });
    await call('DescribeRefreshQuota', {});
    expect(await apiError(call('DescribeRefreshQuota', {}))).toMatchObject({
      code: 'SignatureNonceUsed',
      disposition: 'retry-once',
    });
  });

  it('refuses an x-acs-date more than 15 minutes off with InvalidTimeStamp.Expired', async () => {
    const late = await setup({}, { now: () => Date.now() - 16 * 60_000 });
    expect(await apiError(late.call('DescribeRefreshQuota', {}))).toMatchObject({
      code: 'InvalidTimeStamp.Expired',
      disposition: 'retry-once',
    });
    const early = await setup({}, { now: () => Date.now() + 16 * 60_000 });
    expect((await apiError(early.call('DescribeRefreshQuota', {}))).code).toBe('InvalidTimeStamp.Expired');
    const skewed = await setup({}, { now: () => Date.now() - 14 * 60_000 });
    await skewed.call('DescribeRefreshQuota', {});
  });

  it('refuses a body that does not match x-acs-content-sha256', async () => {
    const { emulator } = await setup();
    const answer = await raw(emulator, { contentSha256: '0'.repeat(64) });
    expect(answer.status).toBe(400);
    expect(answer.json.Code).toBe('SignatureDoesNotMatch');
    expect(answer.json.Message).toContain('x-acs-content-sha256');
  });

  it('checks the signature over the Host header as received', async () => {
    const { emulator } = await setup();
    // raw() signs host:port, as fetch sends it.
    expect((await raw(emulator)).status).toBe(200);
    const signedWithoutPort = signAcs3({
      method: 'POST',
      host: '127.0.0.1',
      path: '/',
      query: {},
      headers: {
        'x-acs-action': 'DescribeRefreshQuota',
        'x-acs-version': '2018-05-10',
        'x-acs-date': acsDate(Date.now()),
        'x-acs-signature-nonce': 'n-1',
      },
      body: '',
      ...ALIYUN_CREDENTIALS,
    });
    const answer = await raw(emulator, {
      action: 'DescribeRefreshQuota',
      body: '',
      headers: { 'x-acs-date': acsDate(Date.now()), 'x-acs-signature-nonce': 'n-1' },
      authorization: signedWithoutPort.authorization,
    });
    expect(answer.json.Code).toBe('SignatureDoesNotMatch');
  });

  it.each([
    ['no Authorization', { authorization: null }],
    [
      'another algorithm',
      {
        authorization: `ACS3-HMAC-SM3 Credential=LTAIemulator,SignedHeaders=host,Signature=${'0'.repeat(64)}`,
      },
    ],
    ['a malformed Authorization', { authorization: 'ACS3-HMAC-SHA256 Credential=LTAIemulator' }],
  ] as Array<[string, RawRequest]>)('refuses %s with IncompleteSignature', async (_name, request) => {
    const { emulator } = await setup();
    const answer = await raw(emulator, request);
    expect(answer.status).toBe(400);
    expect(answer.json.Code).toBe('IncompleteSignature');
    expect(emulator.accepted).toHaveLength(0);
  });

  it('refuses a request that leaves a header it sends out of SignedHeaders', async () => {
    const { emulator } = await setup();
    const answer = await raw(emulator, {
      authorization: signAcs3({
        method: 'POST',
        host: new URL(emulator.url).host,
        path: '/',
        query: {},
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-acs-action': 'RefreshObjectCaches',
          'x-acs-version': '2018-05-10',
          'x-acs-date': acsDate(Date.now()),
          'x-acs-signature-nonce': 'n-2',
        },
        body: formEncode({ ObjectPath: 'https://www.example.com/a.js' }),
        ...ALIYUN_CREDENTIALS,
      }).authorization,
      headers: { 'x-acs-signature-nonce': 'n-2', 'x-acs-extra': 'unsigned' },
    });
    expect(answer.json.Code).toBe('SignatureDoesNotMatch');
    expect(answer.json.Message).toContain('x-acs-extra');
  });
});

describe('protocol', () => {
  it('answers errors as Alibaba Cloud does', async () => {
    const { emulator } = await setup();
    const answer = await raw(emulator, { version: '2014-11-11' });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      RequestId: expect.stringMatching(REQUEST_ID),
      HostId: 'cdn.aliyuncs.com',
      Code: 'InvalidVersion',
      Message: expect.stringContaining('2018-05-10'),
      Recommend: expect.stringContaining('InvalidVersion'),
    });
  });

  it.each([
    ['an unknown action', { action: 'DeleteEverything' }, 404, 'InvalidAction.NotFound'],
    ['GET', { method: 'GET' }, 400, 'UnsupportedHTTPMethod'],
    ['another path', { path: '/cdn' }, 404, 'InvalidAction.NotFound'],
    [
      'no nonce',
      { headers: { 'x-acs-signature-nonce': undefined }, authorization: 'ACS3-HMAC-SHA256 Credential=x' },
      400,
      'MissingSignatureNonce',
    ],
    [
      'a malformed date',
      { headers: { 'x-acs-date': '2024-01-02 03:04:05' } },
      400,
      'InvalidTimeStamp.Format',
    ],
    ['a JSON body', { contentType: 'application/json', body: '{"ObjectPath":"x"}' }, 400, 'InvalidParameter'],
    ['a parameter given twice', { body: 'ObjectPath=a&ObjectPath=b' }, 400, 'InvalidParameter'],
  ] as Array<[string, RawRequest, number, string]>)('refuses %s', async (_name, request, status, code) => {
    const { emulator } = await setup();
    const answer = await raw(emulator, request);
    expect(answer.status).toBe(status);
    expect(answer.json.Code).toBe(code);
    expect(emulator.accepted).toHaveLength(0);
  });
});

describe('faults and throttling', () => {
  it('drops a connection: a retry that may have been accepted', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'drop' });
    const error = await apiError(call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' }));
    expect(error).toMatchObject({ code: 'ConnectionError', disposition: 'retry' });
    expect(error.details.mayHaveBeenAccepted).toBe(true);
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', fault: 'drop' });
    expect(emulator.accepted).toHaveLength(0);
    // The next attempt is signed afresh (a new nonce) and goes through.
    await call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' });
    expect(emulator.accepted).toHaveLength(1);
  });

  it.each([
    [{ kind: 'error', code: 'ServiceUnavailable' }, 503, 'ServiceUnavailable'],
    [{ kind: 'error', code: 'InternalError' }, 500, 'InternalError'],
    [{ kind: 'error', code: 'Throttling.User' }, 429, 'Throttling.User'],
    [{ kind: 'error', code: 'ServiceBusy', status: 500 }, 500, 'ServiceBusy'],
    [{ kind: 'http', status: 502 }, 502, 'HTTP502'],
  ] as const)('answers the fault %j with HTTP %i, a retry', async (fault, status, code) => {
    const { emulator, call } = await setup();
    emulator.failNext(fault);
    const error = await apiError(call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' }));
    expect(error).toMatchObject({ code, disposition: 'retry' });
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', status });
    expect(emulator.accepted).toHaveLength(0);
  });

  it('scripts faults for one action and a number of times', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'error', code: 'InternalError', action: 'PushObjectCache' }, 2);
    await call('DescribeRefreshQuota', {});
    expect(
      (await apiError(call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' }))).code,
    ).toBe('InternalError');
    expect(
      (await apiError(call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' }))).code,
    ).toBe('InternalError');
    await call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' });
    expect(emulator.accepted).toHaveLength(1);
  });

  it('delays an answer past the timeout while still carrying the request out', async () => {
    const { emulator, call } = await setup({}, { timeoutMs: 200 });
    emulator.failNext({ kind: 'delay', ms: 1000 });
    const error = await apiError(call('RefreshObjectCaches', { ObjectPath: 'https://www.example.com/a.js' }));
    expect(error).toMatchObject({ code: 'Timeout', disposition: 'retry' });
    expect(error.details.mayHaveBeenAccepted).toBe(true);
    expect(emulator.accepted).toHaveLength(1);
  });

  it('does not spend a fault on a request that is not signed correctly', async () => {
    const { emulator } = await setup();
    emulator.failNext({ kind: 'drop' });
    const bad = await raw(emulator, { authorization: null });
    expect(bad.json.Code).toBe('IncompleteSignature');
    await expect(raw(emulator)).rejects.toThrow();
    expect(emulator.requests.map((request) => request.fault)).toEqual([undefined, 'drop']);
  });

  it('draws the same random faults from the same seed', async () => {
    const run = async () => {
      const { emulator, call } = await setup({ faultRate: 0.5, seed: 42 });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++) {
        try {
          await call('DescribeRefreshQuota', {});
          outcomes.push('ok');
        } catch (error) {
          outcomes.push(error instanceof ApiError ? error.code : String(error));
        }
      }
      expect(emulator.requests.filter((request) => request.outcome === 'fault').length).toBe(
        outcomes.filter((outcome) => outcome !== 'ok').length,
      );
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(2);
    for (const outcome of first) {
      expect(['ok', 'ConnectionError', 'ServiceUnavailable', 'InternalError', 'Throttling.User']).toContain(
        outcome,
      );
    }
  });

  it('throttles over ratePerSecond with HTTP 429 Throttling.User', async () => {
    const { emulator, call } = await setup({ ratePerSecond: 2 });
    await call('DescribeRefreshQuota', {});
    await call('DescribeRefreshQuota', {});
    const error = await apiError(call('DescribeRefreshQuota', {}));
    expect(error).toMatchObject({ code: 'Throttling.User', disposition: 'retry' });
    expect(emulator.requests[2]?.status).toBe(429);
    // Another action has a window of its own.
    await call('PushObjectCache', { ObjectPath: 'https://www.example.com/a.js' });
  });

  it('holds answers back by latencyMs', async () => {
    const { call } = await setup({ latencyMs: 150 });
    const started = performance.now();
    await call('DescribeRefreshQuota', {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
