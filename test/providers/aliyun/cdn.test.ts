import { describe, expect, it } from 'vitest';
import { planOperations, planTargets } from '../../../src/plan/operations.js';
import {
  ALIYUN_CDN_APIS,
  aliyunPayload,
  aliyunQuotas,
  aliyunResult,
  aliyunTaskReport,
} from '../../../src/providers/aliyun/cdn.js';
import type { AliyunSettings } from '../../../src/providers/aliyun/inputs.js';
import type { Settings } from '../../../src/settings.js';
import { settingsFrom } from '../../support/settings.js';

const A = 'https://www.example.com/a.png';
const B = 'https://www.example.com/b.png';

const settings = (inputs: Record<string, string>, env: Record<string, string> = {}): Settings =>
  settingsFrom({ provider: 'aliyun-cdn', 'dry-run': 'true', ...inputs }, env);

/** The request parameters of `kind` for these settings, with the options Alibaba's own inputs gave. */
const payload = (read: Settings, kind: Parameters<typeof aliyunPayload>[2], targets: readonly string[]) =>
  aliyunPayload(read, options(read), kind, targets);
const options = (read: Settings): AliyunSettings => read.providerSettings.options as AliyunSettings;

describe('Alibaba requests', () => {
  it('joins targets into ObjectPath with line breaks and picks the ObjectType', () => {
    expect(payload(settings({ urls: A }), 'purge-urls', [A, B])).toEqual({
      ObjectPath: `${A}\n${B}`,
      ObjectType: 'File',
    });
    expect(payload(settings({ urls: A, 'ignore-params': 'true' }), 'purge-urls', [A])).toEqual({
      ObjectPath: A,
      ObjectType: 'IgnoreParams',
    });
    expect(payload(settings({ urls: A }), 'purge-paths', ['https://www.example.com/d/'])).toEqual({
      ObjectPath: 'https://www.example.com/d/',
      ObjectType: 'Directory',
    });
    expect(payload(settings({ urls: A, 'purge-method': 'delete' }), 'purge-paths', ['x/'])).toEqual({
      ObjectPath: 'x/',
      ObjectType: 'Directory',
      Force: 'true',
    });
  });

  it('maps area and the prefetch options', () => {
    const read = settings({
      mode: 'prefetch',
      urls: A,
      area: 'mainland',
      'l2-preload': 'false',
      'query-hashkey': 'true',
      headers: 'X-A: 1',
    });
    expect(payload(read, 'prefetch', [A])).toEqual({
      ObjectPath: A,
      Area: 'domestic',
      L2Preload: 'false',
      WithHeader: '{"X-A":"1"}',
      QueryHashkey: 'true',
    });
    expect(payload(settings({ mode: 'prefetch', urls: A, area: 'global' }), 'prefetch', [A])).toEqual({
      ObjectPath: A,
    });
  });

  it('plans one call per regular expression', () => {
    const plan = planOperations(
      planTargets(settings({ regex: 'a.*\nb.*\na.*' }), undefined),
      ALIYUN_CDN_APIS,
    );
    expect(plan.map((op) => [op.kind, op.api.batchSize, op.targets])).toEqual([
      ['purge-regex', 1, ['a.*', 'b.*']],
    ]);
  });

  it('reads the credentials from the ALIBABA_CLOUD_* variables', () => {
    const read = settings(
      { urls: A, 'dry-run': 'false' },
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
        ALIBABA_CLOUD_SECURITY_TOKEN: 't',
      },
    );
    expect(read.credentials).toEqual({ secretId: 'id', secretKey: 'secret', sessionToken: 't' });
  });
});

describe('Alibaba answers', () => {
  it('splits the comma-separated task ID lists', () => {
    expect(aliyunResult('purge-urls', { RefreshTaskId: '704222904,704222905', RequestId: 'r' })).toEqual({
      taskIds: ['704222904', '704222905'],
      requestId: 'r',
      refused: [],
    });
    expect(aliyunResult('prefetch', { PushTaskId: '17' }).taskIds).toEqual(['17']);
  });

  it('reads the string quota fields', () => {
    const response = {
      UrlQuota: '10000',
      UrlRemain: '9990',
      DirQuota: '100',
      DirRemain: '0',
      RegexQuota: '20',
      RegexRemain: '20',
      PreloadQuota: '1000',
      PreloadRemain: '1000',
      IgnoreParamsQuota: '500',
      IgnoreParamsRemain: '4',
    };
    const kinds = ['purge-urls', 'purge-paths', 'purge-regex', 'prefetch'] as const;
    const resets = 'at midnight Beijing time (UTC+8), 16:00 UTC';
    expect(aliyunQuotas(response, kinds, { ignoreParams: false })).toEqual({
      'purge-urls': { batchSize: 0, available: 9990, total: 10000, scope: 'URLs', resets },
      'purge-paths': { batchSize: 0, available: 0, total: 100, scope: 'directories', resets },
      'purge-regex': { batchSize: 0, available: 20, total: 20, scope: 'regular expressions', resets },
      prefetch: { batchSize: 0, available: 1000, total: 1000, scope: 'prefetches', resets },
    });
    const ignoring = settings({ urls: A, 'ignore-params': 'true' });
    expect(aliyunQuotas(response, ['purge-urls'], options(ignoring))['purge-urls']?.available).toBe(4);
  });

  it('reads a task as running, done or failed', () => {
    expect(aliyunTaskReport([{ ObjectPath: A, Status: 'Refreshing' }]).state).toBe('running');
    expect(aliyunTaskReport([{ ObjectPath: A, Status: 'Pending' }]).state).toBe('running');
    expect(aliyunTaskReport([{ ObjectPath: A, Status: 'Complete' }])).toEqual({
      state: 'done',
      failedTargets: [],
      targets: [A],
    });
    expect(aliyunTaskReport([]).state).toBe('running');
    expect(
      aliyunTaskReport([
        { ObjectPath: A, Status: 'Failed' },
        { ObjectPath: B, Status: 'Complete' },
      ]),
    ).toEqual({
      state: 'failed',
      failedTargets: [A],
      targets: [A, B],
    });
  });
});
