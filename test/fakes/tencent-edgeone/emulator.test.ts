import { describe, expect, it } from 'vitest';
import type { TencentClient } from '../../../src/providers/tencent/api.js';
import { TEO_SERVICE } from '../../../src/providers/tencent/edgeone.js';
import { apiError, cleanupAfterEach, outcome, UUID, urls } from '../shared/test-harness.js';
import {
  emulatorWithTencentClient,
  errorEnvelope,
  type RawRequest,
  rawTc3Request,
} from '../tencent/test-client.js';
import {
  DEFAULT_ZONE_ID,
  EDGEONE_CREDENTIALS,
  type EdgeOneEmulator,
  type EdgeOneEmulatorOptions,
  startEdgeOneEmulator,
} from './emulator.js';

const defer = cleanupAfterEach();

async function setup(options: EdgeOneEmulatorOptions = {}, client: Partial<TencentClient> = {}) {
  return emulatorWithTencentClient(() => startEdgeOneEmulator(options), TEO_SERVICE, defer, client);
}

/** A request by hand through fetch, for what the client never sends. */
const raw = (emulator: EdgeOneEmulator, request: RawRequest = {}) =>
  rawTc3Request(
    emulator.url,
    {
      service: 'teo',
      action: 'CreatePurgeTask',
      version: '2022-09-01',
      body: JSON.stringify({ ZoneId: DEFAULT_ZONE_ID, Type: 'purge_url', Targets: [URL_A] }),
    },
    request,
  );

const JOB_ID = /^[a-z0-9]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const URL_A = 'https://www.example.com/a.js';
const URL_B = 'https://www.example.com/b.js';
const purge = (type: string, targets: string[], extra: Record<string, unknown> = {}) => ({
  ZoneId: DEFAULT_ZONE_ID,
  Type: type,
  Targets: targets,
  ...extra,
});
const prefetch = (targets: string[], extra: Record<string, unknown> = {}) => ({
  ZoneId: DEFAULT_ZONE_ID,
  Targets: targets,
  ...extra,
});

interface TaskRow {
  JobId: string;
  Target: string;
  Type: string;
  Method: string;
  Status: string;
  FailType: string;
  FailMessage: string;
  CreateTime: string;
  UpdateTime: string;
}
const tasksOf = (response: Record<string, unknown>): TaskRow[] => response.Tasks as TaskRow[];

describe('CreatePurgeTask and CreatePrefetchTask from the project client', () => {
  it('accepts a signed purge_url and records the request and the job', async () => {
    const { emulator, call } = await setup();
    const payload = purge('purge_url', [URL_A, URL_B]);
    const before = Date.now();
    const response = await call('CreatePurgeTask', payload);

    expect(response).toEqual({
      JobId: expect.stringMatching(JOB_ID),
      FailedList: [],
      RequestId: expect.stringMatching(UUID),
    });
    expect(emulator.requests).toHaveLength(1);
    const [request] = emulator.requests;
    expect(request).toMatchObject({
      action: 'CreatePurgeTask',
      body: payload,
      rawBody: JSON.stringify(payload),
      outcome: 'accepted',
      taskId: response.JobId,
      requestId: response.RequestId,
      status: 200,
    });
    expect(request?.headers['x-tc-version']).toBe('2022-09-01');
    expect(request?.headers.authorization).toContain('/teo/tc3_request');
    expect(emulator.accepted).toEqual([
      {
        jobId: response.JobId,
        requestId: response.RequestId,
        action: 'CreatePurgeTask',
        zoneId: DEFAULT_ZONE_ID,
        type: 'purge_url',
        targets: [URL_A, URL_B],
        body: payload,
        acceptedAt: expect.any(Number),
      },
    ]);
    expect(emulator.accepted[0]?.acceptedAt).toBeGreaterThanOrEqual(before);
  });

  const types: Array<[string, Record<string, unknown>]> = [
    ['purge_url', { Targets: [URL_A], EncodeUrl: true }],
    ['purge_prefix', { Targets: ['https://www.example.com/static/'], Method: 'delete' }],
    ['purge_host', { Targets: ['img.example.com', 'www.example.com'], Method: 'invalidate' }],
    ['purge_cache_tag', { Targets: ['release-42'], CacheTag: { Domains: ['www.example.com'] } }],
    ['purge_all', { Method: 'delete' }],
    ['purge_all', { Targets: [] }],
  ];
  it.each(types)('accepts a %s purge with %j', async (type, fields) => {
    const { emulator, call } = await setup();
    const payload = { ZoneId: DEFAULT_ZONE_ID, Type: type, ...fields };
    const response = await call('CreatePurgeTask', payload);
    expect(response.FailedList).toEqual([]);
    expect(emulator.accepted).toEqual([
      expect.objectContaining({
        jobId: response.JobId,
        type,
        targets: fields.Targets ?? [],
        body: payload,
        ...(fields.Method === undefined ? {} : { method: fields.Method }),
      }),
    ]);
    if (fields.Method === undefined) expect(emulator.accepted[0]).not.toHaveProperty('method');
  });

  it('accepts a prefetch with every option', async () => {
    const { emulator, call } = await setup();
    const payload = prefetch(['https://www.example.com/live/index.m3u8', URL_A], {
      Mode: 'edge',
      Headers: [{ Name: 'X-Warm', Value: '1' }],
      PrefetchMediaSegments: 'on',
      EncodeUrl: false,
    });
    const response = await call('CreatePrefetchTask', payload);
    expect(response).toEqual({
      JobId: expect.stringMatching(JOB_ID),
      FailedList: [],
      RequestId: expect.stringMatching(UUID),
    });
    expect(emulator.accepted).toEqual([
      expect.objectContaining({
        action: 'CreatePrefetchTask',
        type: 'prefetch_url',
        zoneId: DEFAULT_ZONE_ID,
        targets: payload.Targets,
        body: payload,
      }),
    ]);
  });

  it('gives every job a JobId of its own', async () => {
    const { emulator, call } = await setup();
    for (let i = 0; i < 20; i++)
      await call('CreatePrefetchTask', prefetch([`https://www.example.com/${i}.js`]));
    expect(new Set(emulator.accepted.map((job) => job.jobId)).size).toBe(20);
  });
});

describe('zones', () => {
  it('refuses an unknown zone with ResourceNotFound.ZoneNotFound for every action', async () => {
    const { emulator, call } = await setup();
    const other = { ZoneId: 'zone-someoneelse' };
    const calls: Array<[string, Record<string, unknown>]> = [
      ['CreatePurgeTask', { ...purge('purge_url', [URL_A]), ...other }],
      ['CreatePurgeTask', { ZoneId: 'zone-someoneelse', Type: 'purge_all' }],
      ['CreatePrefetchTask', { ...prefetch([URL_A]), ...other }],
      ['DescribePurgeTasks', other],
      ['DescribePrefetchTasks', other],
      ['DescribeContentQuota', other],
      ['DescribeContentQuota', { ZoneId: '*' }],
    ];
    for (const [action, payload] of calls) {
      const error = await apiError(call(action, payload));
      expect(error.code, action).toBe('ResourceNotFound.ZoneNotFound');
      expect(error.message).toContain(String(payload.ZoneId));
    }
    expect(emulator.accepted).toEqual([]);
  });

  it('takes ZoneId * for every Create* call except purge_all', async () => {
    const { emulator, call } = await setup();
    await call('CreatePurgeTask', { ...purge('purge_url', [URL_A]), ZoneId: '*' });
    await call('CreatePurgeTask', { ...purge('purge_host', ['img.example.com']), ZoneId: '*' });
    await call('CreatePrefetchTask', { ...prefetch([URL_A]), ZoneId: '*' });
    const all = await apiError(call('CreatePurgeTask', { ZoneId: '*', Type: 'purge_all' }));
    expect(all.code).toBe('InvalidParameter.ParameterError');
    expect(all.message).toContain('ZoneId');
    expect(all.message).toContain('purge_all');
    expect(emulator.accepted.map((job) => [job.zoneId, job.type])).toEqual([
      ['*', 'purge_url'],
      ['*', 'purge_host'],
      ['*', 'prefetch_url'],
    ]);
  });

  it('knows the zones it is given and no other, the default one included', async () => {
    const { emulator, call } = await setup({ zones: ['zone-a', 'zone-b'] });
    await call('CreatePurgeTask', { ...purge('purge_url', [URL_A]), ZoneId: 'zone-a' });
    await call('CreatePurgeTask', { ZoneId: 'zone-b', Type: 'purge_all' });
    expect((await apiError(call('CreatePurgeTask', purge('purge_url', [URL_A])))).code).toBe(
      'ResourceNotFound.ZoneNotFound',
    );
    expect(emulator.accepted.map((job) => job.zoneId)).toEqual(['zone-a', 'zone-b']);
  });

  it('refuses options that cannot work', async () => {
    await expect(startEdgeOneEmulator({ zones: [] })).rejects.toThrow(RangeError);
    await expect(startEdgeOneEmulator({ zones: ['*'] })).rejects.toThrow(RangeError);
    await expect(startEdgeOneEmulator({ batchLimits: { purge_url: -1 } })).rejects.toThrow(RangeError);
    await expect(startEdgeOneEmulator({ dailyQuota: { prefetch_url: 1.5 } })).rejects.toThrow(RangeError);
    await expect(startEdgeOneEmulator({ faultRate: 2 })).rejects.toThrow(RangeError);
  });
});

describe('signatures and malformed requests', () => {
  it('refuses a wrong secret key, an unknown SecretId and a signature for service cdn', async () => {
    const wrongKey = await setup({}, { credentials: { ...EDGEONE_CREDENTIALS, secretKey: 'not-the-key' } });
    const error = await apiError(wrongKey.call('CreatePurgeTask', purge('purge_url', [URL_A])));
    expect(error.code).toBe('AuthFailure.SignatureFailure');
    expect(error.details.requestId).toMatch(UUID);
    expect(wrongKey.emulator.accepted).toEqual([]);
    expect(wrongKey.emulator.requests[0]).toMatchObject({
      outcome: 'error',
      errorCode: 'AuthFailure.SignatureFailure',
    });

    const unknownId = await setup({}, { credentials: { ...EDGEONE_CREDENTIALS, secretId: 'AKIDSOMEONE' } });
    expect((await apiError(unknownId.call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID }))).code).toBe(
      'AuthFailure.SecretIdNotFound',
    );

    // The right key, version and host, but the credential scope of the CDN API.
    const cdnScope = await setup({}, { service: { ...TEO_SERVICE, name: 'cdn' } });
    const scope = await apiError(cdnScope.call('CreatePurgeTask', purge('purge_url', [URL_A])));
    expect(scope.code).toBe('AuthFailure.SignatureFailure');
    expect(scope.message).toContain('"cdn"');
    expect(cdnScope.emulator.accepted).toEqual([]);
  });

  it('takes temporary credentials only with their own X-TC-Token, and refuses a stale timestamp', async () => {
    const credentials = [{ secretId: 'AKIDTEMP', secretKey: 'temp-key', token: 'session-token' }];
    const good = await setup(
      { credentials },
      { credentials: { secretId: 'AKIDTEMP', secretKey: 'temp-key', sessionToken: 'session-token' } },
    );
    await expect(good.call('CreatePrefetchTask', prefetch([URL_A]))).resolves.toHaveProperty('JobId');
    const other = await setup(
      { credentials },
      { credentials: { secretId: 'AKIDTEMP', secretKey: 'temp-key', sessionToken: 'someone-else' } },
    );
    expect((await apiError(other.call('CreatePrefetchTask', prefetch([URL_A])))).code).toBe(
      'AuthFailure.TokenFailure',
    );
    const late = await setup({}, { now: () => Date.now() - 301_000 });
    expect((await apiError(late.call('CreatePrefetchTask', prefetch([URL_A])))).code).toBe(
      'AuthFailure.SignatureExpire',
    );
  });

  it('refuses the CDN API version with NoSuchVersion, and CDN actions with InvalidAction', async () => {
    const { call } = await setup({}, { service: { ...TEO_SERVICE, version: '2018-06-06' } });
    const version = await apiError(call('CreatePurgeTask', purge('purge_url', [URL_A])));
    expect(version.code).toBe('NoSuchVersion');
    expect(version.message).toContain('2022-09-01');
    const teo = await setup();
    expect((await apiError(teo.call('PurgeUrlsCache', { Urls: [URL_A] }))).code).toBe('InvalidAction');
  });

  const cases: Array<[string, RawRequest, string]> = [
    ['no Authorization header', { authorization: null }, 'AuthFailure.InvalidAuthorization'],
    ['a signature for service cdn', { service: 'cdn' }, 'AuthFailure.SignatureFailure'],
    ['another API version', { version: '2022-01-06' }, 'NoSuchVersion'],
    ['an unknown action', { action: 'CreatePurgeTasks' }, 'InvalidAction'],
    ['GET', { method: 'GET' }, 'UnsupportedProtocol'],
    [
      'a form body',
      { contentType: 'application/x-www-form-urlencoded', body: 'ZoneId=x' },
      'UnsupportedOperation',
    ],
    ['a body that is not JSON', { body: '{"ZoneId": ' }, 'InvalidParameter'],
    ['a body that is a JSON array', { body: '[]' }, 'InvalidParameter.ParameterError'],
  ];
  it.each(cases)('answers %s through fetch with HTTP 200 and %s', async (_name, request, code) => {
    const emulator = await startEdgeOneEmulator();
    defer(() => emulator.close());
    const { status, json } = await raw(emulator, request);
    expect(status).toBe(200);
    expect(json).toEqual(errorEnvelope(code));
    expect(emulator.requests).toEqual([expect.objectContaining({ outcome: 'error', errorCode: code })]);
    expect(emulator.accepted).toEqual([]);
  });

  it('accepts a request signed by hand through fetch', async () => {
    const emulator = await startEdgeOneEmulator();
    defer(() => emulator.close());
    const { json } = await raw(emulator);
    expect(json).toEqual({
      Response: {
        JobId: expect.stringMatching(JOB_ID),
        FailedList: [],
        RequestId: expect.stringMatching(UUID),
      },
    });
  });
});

describe('request bodies', () => {
  const parameterErrors: Array<[string, string, Record<string, unknown>, string]> = [
    ['an unknown field', 'CreatePurgeTask', purge('purge_url', [URL_A], { Foo: 1 }), 'Foo'],
    ['no ZoneId', 'CreatePurgeTask', { Type: 'purge_url', Targets: [URL_A] }, 'ZoneId'],
    ['no Type', 'CreatePurgeTask', { ZoneId: DEFAULT_ZONE_ID, Targets: [URL_A] }, 'Type'],
    ['an unknown Type', 'CreatePurgeTask', purge('purge_everything', [URL_A]), 'Type'],
    [
      'a Method for purge_url',
      'CreatePurgeTask',
      purge('purge_url', [URL_A], { Method: 'delete' }),
      'Method',
    ],
    [
      'a Method for purge_cache_tag',
      'CreatePurgeTask',
      purge('purge_cache_tag', ['tag'], { Method: 'invalidate' }),
      'Method',
    ],
    [
      'an unknown Method',
      'CreatePurgeTask',
      purge('purge_prefix', ['https://a.example.com/'], { Method: 'soft' }),
      'Method',
    ],
    [
      'no Targets for purge_url',
      'CreatePurgeTask',
      { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_url' },
      'Targets',
    ],
    ['empty Targets for purge_host', 'CreatePurgeTask', purge('purge_host', []), 'Targets'],
    ['Targets for purge_all', 'CreatePurgeTask', purge('purge_all', ['www.example.com']), 'Targets'],
    ['Targets not an array', 'CreatePurgeTask', { ...purge('purge_url', []), Targets: URL_A }, 'Targets'],
    [
      'a target that is not a string',
      'CreatePurgeTask',
      purge('purge_url', [URL_A, 7 as never]),
      'Targets[1]',
    ],
    [
      'a CacheTag for purge_url',
      'CreatePurgeTask',
      purge('purge_url', [URL_A], { CacheTag: { Domains: ['www.example.com'] } }),
      'CacheTag',
    ],
    [
      'a URL in CacheTag.Domains',
      'CreatePurgeTask',
      purge('purge_cache_tag', ['tag'], { CacheTag: { Domains: [URL_A] } }),
      'CacheTag.Domains[0]',
    ],
    [
      'an unknown field in CacheTag',
      'CreatePurgeTask',
      purge('purge_cache_tag', ['tag'], { CacheTag: { Domains: ['a.example.com'], Hosts: [] } }),
      'CacheTag.Hosts',
    ],
    ['a prefetch without Targets', 'CreatePrefetchTask', { ZoneId: DEFAULT_ZONE_ID }, 'Targets'],
    ['a prefetch with empty Targets', 'CreatePrefetchTask', prefetch([]), 'Targets'],
    ['a Type on a prefetch', 'CreatePrefetchTask', prefetch([URL_A], { Type: 'prefetch_url' }), 'Type'],
    [
      'a Mode other than default or edge',
      'CreatePrefetchTask',
      prefetch([URL_A], { Mode: 'middle' }),
      'Mode',
    ],
    [
      '21 headers',
      'CreatePrefetchTask',
      prefetch([URL_A], { Headers: Array.from({ length: 21 }, (_, i) => ({ Name: `X-${i}`, Value: 'v' })) }),
      'Headers',
    ],
    [
      'a header without Value',
      'CreatePrefetchTask',
      prefetch([URL_A], { Headers: [{ Name: 'X' }] }),
      'Headers[0].Value',
    ],
    [
      'PrefetchMediaSegments yes',
      'CreatePrefetchTask',
      prefetch([URL_A], { PrefetchMediaSegments: 'yes' }),
      'PrefetchMediaSegments',
    ],
    ['EncodeUrl as a string', 'CreatePrefetchTask', prefetch([URL_A], { EncodeUrl: 'true' }), 'EncodeUrl'],
    ['Limit 0', 'DescribePurgeTasks', { Limit: 0 }, 'Limit'],
    ['Limit 1001', 'DescribePrefetchTasks', { Limit: 1001 }, 'Limit'],
    ['a negative Offset', 'DescribePurgeTasks', { Offset: -1 }, 'Offset'],
    [
      'a StartTime that is not ISO-8601',
      'DescribePurgeTasks',
      { StartTime: '2024-01-01 00:00:00' },
      'StartTime',
    ],
    [
      'an EndTime before the StartTime',
      'DescribePurgeTasks',
      { StartTime: '2024-01-02T00:00:00Z', EndTime: '2024-01-01T00:00:00+08:00' },
      'EndTime',
    ],
    [
      'an unknown filter',
      'DescribePurgeTasks',
      { Filters: [{ Name: 'zone', Values: ['x'] }] },
      'Filters[0].Name',
    ],
    [
      'a filter without values',
      'DescribePurgeTasks',
      { Filters: [{ Name: 'job-id', Values: [] }] },
      'Values',
    ],
    ['a quota query without ZoneId', 'DescribeContentQuota', {}, 'ZoneId'],
    [
      'a field on a quota query',
      'DescribeContentQuota',
      { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_url' },
      'Type',
    ],
  ];
  it.each(parameterErrors)(
    'refuses %s with InvalidParameter.ParameterError naming the field',
    async (_name, action, payload, field) => {
      const { emulator, call } = await setup();
      const error = await apiError(call(action, payload));
      expect(error.code).toBe('InvalidParameter.ParameterError');
      expect(error.message).toContain(field);
      expect(error.disposition).toBe('batch');
      expect(emulator.accepted).toEqual([]);
    },
  );

  const VALID_TARGET: Record<string, string> = {
    purge_url: URL_A,
    purge_prefix: 'https://www.example.com/static/',
    purge_host: 'img.example.com',
    purge_cache_tag: 'release-42',
  };
  const badTargets: Array<[string, string, string]> = [
    ['purge_url', 'www.example.com/a.js', 'a URL without scheme'],
    ['purge_url', 'ftp://www.example.com/a.js', 'an ftp URL'],
    ['purge_prefix', 'https://www.example.com/static', 'a prefix without "/"'],
    ['purge_prefix', '/static/', 'a relative prefix'],
    ['purge_host', 'https://img.example.com', 'a host with a scheme'],
    ['purge_host', 'img.example.com/a', 'a host with a path'],
    ['purge_host', 'img.example.com:8080', 'a host with a port'],
    ['purge_cache_tag', 'release 42', 'a tag with a space'],
    ['purge_cache_tag', '', 'an empty tag'],
    ['prefetch_url', 'www.example.com/a.js', 'a prefetch URL without scheme'],
  ];
  it.each(badTargets)(
    'refuses a %s target %j (%s) with InvalidParameter.Target naming it',
    async (type, target) => {
      const { emulator, call } = await setup();
      const error = await apiError(
        type === 'prefetch_url'
          ? call('CreatePrefetchTask', prefetch([URL_A, target]))
          : call('CreatePurgeTask', purge(type, [VALID_TARGET[type] ?? '', target])),
      );
      expect(error.code).toBe('InvalidParameter.Target');
      expect(error.message).toContain(`Targets[1]: ${JSON.stringify(target)}`);
      expect(error.message).toContain(type);
      expect(emulator.accepted).toEqual([]);
    },
  );
});

describe('FailedList', () => {
  it('lists failTargets grouped by reason in a successful answer, and accepts and counts only the rest', async () => {
    const failTargets = {
      [URL_B]: 'the domain is not in this zone',
      'https://other.example.net/x.js': 'the domain is not in this zone',
      'https://www.example.com/blocked.js': 'the URL is blocked',
    };
    const { emulator, call } = await setup({ failTargets, dailyQuota: { purge_url: 10 } });
    const targets = [URL_A, ...Object.keys(failTargets), 'https://www.example.com/c.js'];
    const response = await call('CreatePurgeTask', purge('purge_url', targets));
    expect(response).toEqual({
      JobId: expect.stringMatching(JOB_ID),
      FailedList: [
        { Reason: 'the domain is not in this zone', Targets: [URL_B, 'https://other.example.net/x.js'] },
        { Reason: 'the URL is blocked', Targets: ['https://www.example.com/blocked.js'] },
      ],
      RequestId: expect.stringMatching(UUID),
    });
    expect(emulator.accepted[0]?.targets).toEqual([URL_A, 'https://www.example.com/c.js']);
    expect(emulator.requests[0]?.outcome).toBe('accepted');

    const quota = await call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID });
    expect(quota.PurgeQuota).toContainEqual({ Type: 'purge_url', Batch: 1000, Daily: 10, DailyAvailable: 8 });
    const tasks = await call('DescribePurgeTasks', { ZoneId: DEFAULT_ZONE_ID });
    expect(tasksOf(tasks).map((row) => row.Target)).toEqual([URL_A, 'https://www.example.com/c.js']);
  });

  it('answers a prefetch whose every target fails with a JobId and an empty job', async () => {
    const { emulator, call } = await setup({ failTargets: { [URL_A]: 'origin unreachable' } });
    const response = await call('CreatePrefetchTask', prefetch([URL_A]));
    expect(response.FailedList).toEqual([{ Reason: 'origin unreachable', Targets: [URL_A] }]);
    expect(emulator.accepted).toEqual([expect.objectContaining({ jobId: response.JobId, targets: [] })]);
  });
});

describe('limits', () => {
  const batches: Array<[string, number, (n: number) => [string, Record<string, unknown>]]> = [
    ['purge_url', 1000, (n) => ['CreatePurgeTask', purge('purge_url', urls(n))]],
    [
      'purge_prefix',
      100,
      (n) => [
        'CreatePurgeTask',
        purge(
          'purge_prefix',
          urls(n).map((url) => url.replace(/\.js$/, '/')),
        ),
      ],
    ],
    [
      'purge_host',
      100,
      (n) => [
        'CreatePurgeTask',
        purge(
          'purge_host',
          urls(n).map((_, i) => `h${i}.example.com`),
        ),
      ],
    ],
    [
      'purge_cache_tag',
      100,
      (n) => [
        'CreatePurgeTask',
        purge(
          'purge_cache_tag',
          urls(n).map((_, i) => `tag-${i}`),
        ),
      ],
    ],
    ['prefetch_url', 1000, (n) => ['CreatePrefetchTask', prefetch(urls(n))]],
  ];
  it.each(batches)(
    'takes %s batches of %i targets by default and refuses one more with LimitExceeded.BatchQuota',
    async (_type, limit, request) => {
      const { emulator, call } = await setup();
      await call(...request(limit));
      const over = await apiError(call(...request(limit + 1)));
      expect(over.code).toBe('LimitExceeded.BatchQuota');
      expect(over.disposition).toBe('split');
      expect(over.message).toContain(String(limit));
      expect(emulator.accepted).toHaveLength(1);
    },
  );

  it('applies batchLimits, FailedList targets included', async () => {
    const { emulator, call } = await setup({
      batchLimits: { purge_url: 2, prefetch_url: 3 },
      failTargets: { [URL_B]: 'refused' },
    });
    expect(
      (await apiError(call('CreatePurgeTask', purge('purge_url', [URL_A, URL_B, 'https://c.example.com/']))))
        .code,
    ).toBe('LimitExceeded.BatchQuota');
    await call('CreatePurgeTask', purge('purge_url', [URL_A, URL_B]));
    await call('CreatePrefetchTask', prefetch(urls(3)));
    expect((await apiError(call('CreatePrefetchTask', prefetch(urls(4))))).code).toBe(
      'LimitExceeded.BatchQuota',
    );
    expect(emulator.accepted.map((job) => job.targets.length)).toEqual([1, 3]);
  });

  it('refuses a request over what is left of the daily quota, accepts none of it, and counts purge_all as one', async () => {
    const { emulator, call } = await setup({ dailyQuota: { purge_url: 5, purge_all: 2, prefetch_url: 3 } });
    // A request with a wrong key never consumes quota.
    const intruder = await setup(
      { dailyQuota: { purge_url: 5 } },
      { credentials: { ...EDGEONE_CREDENTIALS, secretKey: 'wrong' } },
    );
    await apiError(intruder.call('CreatePurgeTask', purge('purge_url', urls(5))));

    await call('CreatePurgeTask', purge('purge_url', urls(3)));
    const exceeded = await apiError(call('CreatePurgeTask', purge('purge_url', urls(3))));
    expect(exceeded.code).toBe('LimitExceeded.DailyQuota');
    expect(exceeded.disposition).toBe('operation');
    expect(exceeded.message).toContain('2 in zone-2o0i4example');
    await call('CreatePurgeTask', purge('purge_url', urls(2)));

    await call('CreatePurgeTask', { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_all' });
    await call('CreatePurgeTask', { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_all', Method: 'delete' });
    expect(
      (await apiError(call('CreatePurgeTask', { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_all' }))).code,
    ).toBe('LimitExceeded.DailyQuota');
    expect((await apiError(call('CreatePrefetchTask', prefetch(urls(4))))).code).toBe(
      'LimitExceeded.DailyQuota',
    );

    const quota = await call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID });
    expect(quota.PurgeQuota).toEqual([
      { Type: 'purge_url', Batch: 1000, Daily: 5, DailyAvailable: 0 },
      { Type: 'purge_prefix', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
      { Type: 'purge_host', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
      { Type: 'purge_all', Batch: 1, Daily: 2, DailyAvailable: 0 },
      { Type: 'purge_cache_tag', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
    ]);
    expect(quota.PrefetchQuota).toEqual([{ Type: 'prefetch_url', Batch: 1000, Daily: 3, DailyAvailable: 3 }]);
    expect(emulator.accepted.map((job) => [job.type, job.targets.length])).toEqual([
      ['purge_url', 3],
      ['purge_url', 2],
      ['purge_all', 0],
      ['purge_all', 0],
    ]);
  });

  it('counts the quota per zone, and takes a ZoneId * request from every zone', async () => {
    const { call } = await setup({ zones: ['zone-a', 'zone-b'], dailyQuota: { purge_host: 4 } });
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example.com`);
    await call('CreatePurgeTask', { ...purge('purge_host', hosts(3)), ZoneId: 'zone-a' });
    expect(
      (await apiError(call('CreatePurgeTask', { ...purge('purge_host', hosts(2)), ZoneId: '*' }))).code,
    ).toBe('LimitExceeded.DailyQuota');
    await call('CreatePurgeTask', { ...purge('purge_host', hosts(1)), ZoneId: '*' });
    await call('CreatePurgeTask', { ...purge('purge_host', hosts(3)), ZoneId: 'zone-b' });
    const available = async (zone: string) =>
      (
        (await call('DescribeContentQuota', { ZoneId: zone })).PurgeQuota as Array<Record<string, unknown>>
      ).find((entry) => entry.Type === 'purge_host')?.DailyAvailable;
    expect(await available('zone-a')).toBe(0);
    expect(await available('zone-b')).toBe(0);
  });

  it('reports the default quotas of a fresh zone', async () => {
    const { call } = await setup();
    expect(await call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID })).toEqual({
      PurgeQuota: [
        { Type: 'purge_url', Batch: 1000, Daily: 10_000, DailyAvailable: 10_000 },
        { Type: 'purge_prefix', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
        { Type: 'purge_host', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
        { Type: 'purge_all', Batch: 1, Daily: 10, DailyAvailable: 10 },
        { Type: 'purge_cache_tag', Batch: 100, Daily: 1000, DailyAvailable: 1000 },
      ],
      PrefetchQuota: [{ Type: 'prefetch_url', Batch: 1000, Daily: 10_000, DailyAvailable: 10_000 }],
      RequestId: expect.stringMatching(UUID),
    });
  });

  it('refuses more than ratePerSecond requests of one action in a second with RequestLimitExceeded', async () => {
    const { emulator, call } = await setup({ ratePerSecond: 2 });
    await raw(emulator, { authorization: null });
    await call('CreatePurgeTask', purge('purge_url', [URL_A]));
    await call('CreatePurgeTask', purge('purge_url', [URL_A]));
    const limited = await apiError(call('CreatePurgeTask', purge('purge_url', [URL_A])));
    expect(limited.code).toBe('RequestLimitExceeded');
    expect(limited.disposition).toBe('retry');
    // Another action has a window of its own.
    await call('DescribePurgeTasks', {});

    await new Promise((resolve) => setTimeout(resolve, 1050));
    await call('CreatePurgeTask', purge('purge_url', [URL_A]));
    expect(
      emulator.requests.map((request) => [request.status, request.errorCode ?? request.outcome]),
    ).toEqual([
      [200, 'AuthFailure.InvalidAuthorization'],
      [200, 'accepted'],
      [200, 'accepted'],
      [200, 'RequestLimitExceeded'],
      [200, 'accepted'],
      [200, 'accepted'],
    ]);
    expect(emulator.accepted).toHaveLength(3);
  });
});

describe('faults', () => {
  const payload = purge('purge_url', [URL_A]);

  it('answers scripted EdgeOne errors in the envelope, for their action only, then goes back to normal', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ action: 'CreatePurgeTask', kind: 'error', code: 'LimitExceeded.RateLimitExceeded' });
    emulator.failNext({ kind: 'error', code: 'OperationDenied.ResourceLockedTemporary', message: 'locked' });
    const locked = await apiError(call('CreatePrefetchTask', prefetch([URL_A])));
    expect(locked.code).toBe('OperationDenied.ResourceLockedTemporary');
    expect(locked.message).toBe('locked');
    expect(locked.disposition).toBe('retry');
    const throttled = await apiError(call('CreatePurgeTask', payload));
    expect(throttled.code).toBe('LimitExceeded.RateLimitExceeded');
    expect(throttled.disposition).toBe('retry');
    await call('CreatePurgeTask', payload);
    expect(emulator.requests.map((request) => [request.outcome, request.fault, request.errorCode])).toEqual([
      ['fault', 'error', 'OperationDenied.ResourceLockedTemporary'],
      ['fault', 'error', 'LimitExceeded.RateLimitExceeded'],
      ['accepted', undefined, undefined],
    ]);
    expect(emulator.accepted).toHaveLength(1);
  });

  it('answers http faults, drops connections and delays answers', async () => {
    const { emulator, call } = await setup();
    emulator.failNext({ kind: 'http', status: 502 });
    emulator.failNext({ kind: 'drop' });
    emulator.failNext({ kind: 'delay', ms: 300 });
    const gateway = await apiError(call('CreatePurgeTask', payload));
    expect(gateway.code).toBe('HTTP502');
    expect(gateway.details.mayHaveBeenAccepted).toBe(true);
    const dropped = await apiError(call('CreatePurgeTask', payload));
    expect(dropped.code).toBe('ConnectionError');
    const started = Date.now();
    await call('CreatePurgeTask', payload);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests.map((request) => [request.outcome, request.fault, request.status])).toEqual([
      ['fault', 'http', 502],
      ['fault', 'drop', undefined],
      ['accepted', 'delay', 200],
    ]);
    expect(emulator.accepted).toHaveLength(1);
  });

  /** Sends `n` requests one after another and lists what the client saw and what the emulator recorded. */
  async function run(options: EdgeOneEmulatorOptions, n: number) {
    const { emulator, call } = await setup(options);
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      seen.push(
        await outcome(
          i % 2
            ? call('DescribePurgeTasks', { Limit: 1 })
            : call('CreatePurgeTask', purge('purge_url', [`https://www.example.com/${i}.js`])),
        ),
      );
    }
    const recorded = emulator.requests.map(
      (request) => `${request.outcome}/${request.fault ?? ''}/${request.errorCode ?? ''}`,
    );
    return { seen, recorded, emulator };
  }

  it('faults a seeded, reproducible share of requests with the teo faults, and never accepts a faulted one', async () => {
    const first = await run({ faultRate: 0.5, seed: 42 }, 60);
    const again = await run({ faultRate: 0.5, seed: 42 }, 60);
    const other = await run({ faultRate: 0.5, seed: 7 }, 60);
    expect(again.seen).toEqual(first.seen);
    expect(again.recorded).toEqual(first.recorded);
    expect(other.seen).not.toEqual(first.seen);

    expect(new Set(first.seen)).toEqual(
      new Set([
        'ok',
        'ConnectionError',
        'HTTP502',
        'InternalError',
        'RequestLimitExceeded',
        'LimitExceeded.RateLimitExceeded',
        'OperationDenied.ResourceLockedTemporary',
      ]),
    );
    const faults = first.emulator.requests.filter((request) => request.outcome === 'fault');
    expect(faults.length).toBeGreaterThan(15);
    expect(faults.length).toBeLessThan(45);
    expect(faults.every((request) => request.taskId === undefined)).toBe(true);
    expect(first.emulator.accepted.map((job) => job.jobId)).toEqual(
      first.emulator.requests.filter((request) => request.taskId).map((request) => request.taskId),
    );
  });
});

describe('task progress', () => {
  it('finishes a job doneAfterMs after it was accepted, by its clock, and lists it by ISO 8601 time in any zone', async () => {
    let now = Date.parse('2024-01-02T03:04:05.500Z');
    const clock = () => now;
    const { call } = await setup({ now: clock, taskProgress: { doneAfterMs: 31_000 } }, { now: clock });
    const job = await call('CreatePurgeTask', purge('purge_url', [URL_A]));
    const rows = async (query: Record<string, unknown>) =>
      (
        (await call('DescribePurgeTasks', { ZoneId: DEFAULT_ZONE_ID, ...query })).Tasks as Array<
          Record<string, string>
        >
      ).map((row) => [row.JobId, row.Status, row.UpdateTime]);
    const byJob = { Filters: [{ Name: 'job-id', Values: [job.JobId] }] };
    now += 30_999;
    expect(await rows(byJob)).toEqual([[job.JobId, 'processing', '2024-01-02T03:04:05Z']]);
    now += 1;
    expect(await rows(byJob)).toEqual([[job.JobId, 'success', '2024-01-02T03:04:36Z']]);
    const range = (StartTime: string, EndTime: string) => rows({ StartTime, EndTime });
    expect(await range('2024-01-02T11:04:05+08:00', '2024-01-02T03:04:05Z')).toHaveLength(1);
    expect(await range('2024-01-02T03:04:06Z', '2024-01-02T04:00:00Z')).toEqual([]);
    expect(await range('2024-01-02T03:04:05+08:00', '2024-01-02T03:04:04Z')).toEqual([]);
  });

  it('takes a single job-id, as documented', async () => {
    const { call } = await setup();
    const a = await call('CreatePurgeTask', purge('purge_url', [URL_A]));
    const b = await call('CreatePurgeTask', purge('purge_url', [URL_B]));
    const error = await apiError(
      call('DescribePurgeTasks', {
        ZoneId: DEFAULT_ZONE_ID,
        Filters: [{ Name: 'job-id', Values: [a.JobId, b.JobId] }],
      }),
    );
    expect(error).toMatchObject({
      code: 'InvalidParameter.ParameterError',
      message: 'Filters.Values: job-id takes a single value',
    });
  });

  it('reports a purge as processing, then success, or failed for failTargets, by job-id', async () => {
    const broken = 'https://www.example.com/broken.js';
    const { call } = await setup({ taskProgress: { failTargets: [broken] } });
    const job = await call('CreatePurgeTask', purge('purge_url', [URL_A, broken]));
    await call('CreatePurgeTask', purge('purge_url', [URL_B]));
    const byJob = { ZoneId: DEFAULT_ZONE_ID, Filters: [{ Name: 'job-id', Values: [job.JobId] }] };

    const first = await call('DescribePurgeTasks', byJob);
    expect(first).toEqual({
      Tasks: [
        {
          JobId: job.JobId,
          Target: URL_A,
          Type: 'purge_url',
          Method: '',
          Status: 'processing',
          FailType: '',
          FailMessage: '',
          CreateTime: expect.stringMatching(ISO_TIME),
          UpdateTime: expect.stringMatching(ISO_TIME),
        },
        expect.objectContaining({ JobId: job.JobId, Target: broken, Status: 'processing' }),
      ],
      TotalCount: 2,
      RequestId: expect.stringMatching(UUID),
    });
    const second = tasksOf(await call('DescribePurgeTasks', byJob));
    expect(second.map((row) => [row.Target, row.Status, row.FailType])).toEqual([
      [URL_A, 'success', ''],
      [broken, 'failed', 'origin'],
    ]);
    expect(second[1]?.FailMessage).not.toBe('');

    const failed = await call('DescribePurgeTasks', { Filters: [{ Name: 'statuses', Values: ['failed'] }] });
    expect(tasksOf(failed).map((row) => row.Target)).toEqual([broken]);
    // The other job has never been read: it is still processing.
    const processing = await call('DescribePurgeTasks', {
      Filters: [{ Name: 'statuses', Values: ['processing'] }],
    });
    expect(tasksOf(processing).map((row) => row.Target)).toEqual([URL_B]);
  });

  it('reports prefetches with DescribePrefetchTasks only, done after doneAfterPolls reads', async () => {
    const { call } = await setup({ taskProgress: { doneAfterPolls: 2 } });
    const job = await call('CreatePrefetchTask', prefetch([URL_A]));
    await call('CreatePurgeTask', purge('purge_url', [URL_B]));
    const poll = async () => {
      const rows = tasksOf(await call('DescribePrefetchTasks', { ZoneId: DEFAULT_ZONE_ID }));
      return rows.map((row) => [row.JobId, row.Target, row.Type, row.Status]);
    };
    expect(await poll()).toEqual([[job.JobId, URL_A, 'prefetch_url', 'processing']]);
    expect(await poll()).toEqual([[job.JobId, URL_A, 'prefetch_url', 'processing']]);
    expect(await poll()).toEqual([[job.JobId, URL_A, 'prefetch_url', 'success']]);
  });

  it('reports every job done at once with doneAfterPolls 0, with its Method, and purge_all as a row for the zone', async () => {
    const { call } = await setup({
      zones: [DEFAULT_ZONE_ID, 'zone-broken'],
      taskProgress: { doneAfterPolls: 0, failTargets: ['zone-broken'] },
    });
    await call('CreatePurgeTask', { ZoneId: 'zone-broken', Type: 'purge_all' });
    await call('CreatePurgeTask', { ZoneId: DEFAULT_ZONE_ID, Type: 'purge_all' });
    await call(
      'CreatePurgeTask',
      purge('purge_prefix', ['https://www.example.com/static/'], { Method: 'delete' }),
    );
    await call('CreatePurgeTask', purge('purge_cache_tag', ['release-42']));
    const rows = tasksOf(await call('DescribePurgeTasks', {}));
    expect(rows.map((row) => [row.Type, row.Target, row.Method, row.Status])).toEqual([
      ['purge_cache_tag', 'release-42', '', 'success'],
      ['purge_prefix', 'https://www.example.com/static/', 'delete', 'success'],
      ['purge_all', DEFAULT_ZONE_ID, 'invalidate', 'success'],
      ['purge_all', 'zone-broken', 'invalidate', 'failed'],
    ]);
  });

  it('filters by target, domains, type and zone, ZoneId * jobs showing in every zone', async () => {
    const { call } = await setup({ zones: ['zone-a', 'zone-b'], taskProgress: { doneAfterPolls: 0 } });
    await call('CreatePurgeTask', {
      ...purge('purge_url', [URL_A, 'https://img.example.com/x.png']),
      ZoneId: 'zone-a',
    });
    await call('CreatePurgeTask', { ...purge('purge_host', ['img.example.com']), ZoneId: 'zone-b' });
    await call('CreatePurgeTask', {
      ...purge('purge_cache_tag', ['tag-1'], { CacheTag: { Domains: ['img.example.com'] } }),
      ZoneId: '*',
    });
    const targets = async (query: Record<string, unknown>) =>
      tasksOf(await call('DescribePurgeTasks', query)).map((row) => row.Target);

    expect(await targets({ ZoneId: 'zone-a' })).toEqual(['tag-1', URL_A, 'https://img.example.com/x.png']);
    expect(await targets({ ZoneId: 'zone-b' })).toEqual(['tag-1', 'img.example.com']);
    expect(
      await targets({ ZoneId: '*', Filters: [{ Name: 'domains', Values: ['img.example.com'] }] }),
    ).toEqual(['tag-1', 'img.example.com', 'https://img.example.com/x.png']);
    expect(await targets({ Filters: [{ Name: 'target', Values: [URL_A, 'tag-1'] }] })).toEqual([
      'tag-1',
      URL_A,
    ]);
    expect(await targets({ Filters: [{ Name: 'target', Values: ['.png'], Fuzzy: true }] })).toEqual([
      'https://img.example.com/x.png',
    ]);
    expect(
      await targets({
        Filters: [
          { Name: 'type', Values: ['purge_url', 'purge_host'] },
          { Name: 'domains', Values: ['img.example.com'] },
        ],
      }),
    ).toEqual(['img.example.com', 'https://img.example.com/x.png']);
  });

  it('pages the rows newest job first, by time range, and counts a poll once a job’s rows are all read', async () => {
    const { call } = await setup();
    const older = await call('CreatePurgeTask', purge('purge_url', urls(3, 'https://old.example.com')));
    const newer = await call('CreatePurgeTask', purge('purge_url', urls(2, 'https://new.example.com')));
    const range = {
      StartTime: new Date(Date.now() - 60_000).toISOString(),
      EndTime: new Date(Date.now() + 60_000).toISOString(),
    };

    const page1 = await call('DescribePurgeTasks', { ...range, Offset: 0, Limit: 3 });
    expect(page1.TotalCount).toBe(5);
    expect(tasksOf(page1).map((row) => [row.JobId, row.Status])).toEqual([
      [newer.JobId, 'processing'],
      [newer.JobId, 'processing'],
      [older.JobId, 'processing'],
    ]);
    // The older job's rows go on on page 2 with the status page 1 showed.
    const page2 = await call('DescribePurgeTasks', { ...range, Offset: 3, Limit: 3 });
    expect(tasksOf(page2).map((row) => [row.JobId, row.Status])).toEqual([
      [older.JobId, 'processing'],
      [older.JobId, 'processing'],
    ]);
    const after = tasksOf(await call('DescribePurgeTasks', { ...range, Limit: 10 }));
    expect(new Set(after.map((row) => row.Status))).toEqual(new Set(['success']));
    expect(String(after[0]?.UpdateTime) >= String(after[0]?.CreateTime)).toBe(true);

    const past = await call('DescribePurgeTasks', {
      StartTime: new Date(Date.now() - 7_200_000).toISOString(),
      EndTime: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(past).toMatchObject({ Tasks: [], TotalCount: 0 });
  });

  it('counts Describe calls against the rate limit but not against any quota', async () => {
    const { call } = await setup({ ratePerSecond: 1, dailyQuota: { purge_url: 1 } });
    await call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID });
    expect((await apiError(call('DescribeContentQuota', { ZoneId: DEFAULT_ZONE_ID }))).code).toBe(
      'RequestLimitExceeded',
    );
    await call('CreatePurgeTask', purge('purge_url', urls(1)));
  });
});
