import { describe, expect, it } from 'vitest';
import type { InputError } from '../../../src/errors.js';
import { planOperations, planTargets } from '../../../src/plan/operations.js';
import { tencentEndpoint } from '../../../src/providers/tencent/cdn.js';
import {
  EDGEONE_APIS,
  edgeOnePayload,
  edgeOneQuotas,
  edgeOneResult,
  edgeOneTaskReport,
  TEO_SERVICE,
} from '../../../src/providers/tencent/edgeone.js';
import type { EdgeOneSettings } from '../../../src/providers/tencent/edgeone-inputs.js';
import type { Settings } from '../../../src/settings.js';
import { refusalOf, settingsFrom } from '../../support/settings.js';

const ZONE = 'zone-2o0i4example';
const A = 'https://www.example.com/a.js';

const EDGEONE = { provider: 'tencent-edgeone', 'zone-id': ZONE, 'dry-run': 'true' };
const settings = (inputs: Record<string, string>): Settings => settingsFrom({ ...EDGEONE, ...inputs });
const options = (read: Settings): EdgeOneSettings => read.providerSettings.options as EdgeOneSettings;
const refusal = (inputs: Record<string, string>): InputError => refusalOf({ ...EDGEONE, ...inputs });

describe('EdgeOne inputs', () => {
  it('reads the zone, hosts, cache tags and purge-all', () => {
    const read = settings({
      hosts: 'www.example.com, IMG.example.com\nwww.example.com',
      'cache-tags': 'v1,release\n',
    });
    expect(options(read)).toEqual({
      zoneId: ZONE,
      hosts: ['www.example.com', 'img.example.com'],
      cacheTags: ['v1', 'release'],
      purgeAll: false,
    });
    expect(options(settings({ 'purge-all': 'true' })).purgeAll).toBe(true);
    // Spaces, a YAML list and a JSON array separate entries too.
    expect(options(settings({ hosts: '- a.example.com b.example.com' })).hosts).toEqual([
      'a.example.com',
      'b.example.com',
    ]);
    expect(options(settings({ 'cache-tags': '["v1", "v2"]' })).cacheTags).toEqual(['v1', 'v2']);
    expect(options(settings({ 'zone-id': '*', urls: A })).zoneId).toBe('*');
  });

  it.each<[string, Record<string, string>, string, string]>([
    ['no zone', { 'zone-id': '', urls: A }, 'zone-id', 'required for provider tencent-edgeone'],
    [
      'a malformed zone',
      { 'zone-id': 'abc', urls: A },
      'zone-id',
      'expected a zone ID such as zone-2o0i4example, or *',
    ],
    ['a host with a scheme', { hosts: 'https://www.example.com' }, 'hosts', 'without a scheme'],
    ['a host with a path', { hosts: 'www.example.com/a' }, 'hosts', 'without a path'],
    ['a host with a port', { hosts: 'www.example.com:8080' }, 'hosts', 'without a port'],
    ['a host that is not a name', { hosts: 'www_example' }, 'hosts', 'expected a bare host name'],
    ['an empty cache tag', { 'cache-tags': 'a,,b' }, 'cache-tags', 'no empty entries'],
    ['a cache tag with a space', { 'cache-tags': '["a b"]' }, 'cache-tags', 'no whitespace inside a tag'],
    [
      'purge-all with targets',
      { 'purge-all': 'true', urls: A },
      'purge-all',
      'give no urls, paths, hosts or cache-tags',
    ],
    ['purge-all with zone *', { 'purge-all': 'true', 'zone-id': '*' }, 'zone-id', 'purge-all needs one zone'],
    [
      'purge-all with prefetch',
      { 'purge-all': 'true', mode: 'purge-prefetch' },
      'purge-all',
      'goes with mode purge',
    ],
    [
      'hosts with mode prefetch',
      { hosts: 'www.example.com', mode: 'prefetch', urls: A },
      'hosts',
      'mode prefetch takes file URLs',
    ],
    ['a prefix without /', { paths: 'https://www.example.com/static' }, 'paths', 'must end in "/"'],
    ['unblock', { mode: 'unblock', urls: A }, 'mode', 'only provider tencent-cdn has unblock'],
    [
      'area',
      { area: 'mainland', urls: A },
      'area',
      'for provider tencent-cdn or aliyun-cdn, not tencent-edgeone',
    ],
    [
      'user-agent',
      { mode: 'prefetch', 'user-agent': 'x', urls: A },
      'user-agent',
      'for provider tencent-cdn',
    ],
    ['layer middle', { mode: 'prefetch', layer: 'middle', urls: A }, 'layer', 'accepted: edge'],
    ['no targets', {}, 'urls', 'or hosts, cache-tags, purge-all'],
  ])('refuses %s', (_name, inputs, input, message) => {
    const error = refusal(inputs);
    expect(error.input).toBe(input);
    expect(error.message).toContain(message);
  });
});

describe('EdgeOne plan and requests', () => {
  it('turns each kind of target into its purge type', () => {
    const read = settings({
      urls: A,
      paths: 'https://www.example.com/static/',
      hosts: 'img.example.com',
      'cache-tags': 'v1',
      'purge-method': 'delete',
    });
    const plan = planOperations(planTargets(read, undefined), EDGEONE_APIS);
    const edgeone = options(read);
    const bodies = plan.map((op) => {
      if (op.kind === 'unblock' || op.kind === 'purge-regex') throw new Error(`EdgeOne has no ${op.kind}`);
      return edgeOnePayload(read, edgeone, op.kind, op.targets);
    });
    expect(bodies).toEqual([
      { ZoneId: ZONE, Type: 'purge_url', Targets: [A] },
      { ZoneId: ZONE, Type: 'purge_prefix', Method: 'delete', Targets: ['https://www.example.com/static/'] },
      { ZoneId: ZONE, Type: 'purge_host', Method: 'delete', Targets: ['img.example.com'] },
      { ZoneId: ZONE, Type: 'purge_cache_tag', Targets: ['v1'] },
    ]);
  });

  it('purges the whole zone with no targets, the zone ID standing for it', () => {
    const read = settings({ 'purge-all': 'true' });
    const plan = planOperations(planTargets(read, undefined), EDGEONE_APIS);
    expect(plan.map((op) => [op.kind, op.targets])).toEqual([['purge-all', [ZONE]]]);
    const edgeone = options(read);
    expect(edgeOnePayload(read, edgeone, 'purge-all', [ZONE])).toEqual({
      ZoneId: ZONE,
      Type: 'purge_all',
      Method: 'invalidate',
    });
  });

  it('prefetches with Mode edge, headers and media segments', () => {
    const read = settings({
      mode: 'prefetch',
      urls: A,
      layer: 'edge',
      headers: 'X-A: 1',
      'media-segments': 'false',
    });
    const edgeone = options(read);
    expect(edgeOnePayload(read, edgeone, 'prefetch', [A])).toEqual({
      ZoneId: ZONE,
      Targets: [A],
      Mode: 'edge',
      Headers: [{ Name: 'X-A', Value: '1' }],
      PrefetchMediaSegments: 'off',
    });
  });

  it('uses teo.intl.tencentcloudapi.com for site intl', () => {
    expect(tencentEndpoint(TEO_SERVICE, settings({ urls: A, site: 'intl' })).href).toBe(
      'https://teo.intl.tencentcloudapi.com/',
    );
  });
});

describe('EdgeOne answers', () => {
  it('counts the FailedList targets of a successful call as refused, and only those', () => {
    const result = edgeOneResult(
      {
        JobId: 'job-1',
        RequestId: 'r',
        FailedList: [{ Reason: 'not in zone', Targets: ['https://other.example/x', A] }],
      },
      [A, 'https://www.example.com/b.js'],
    );
    expect(result).toEqual({
      taskIds: ['job-1'],
      requestId: 'r',
      refused: [{ url: A, code: 'FailedList', message: 'refused by EdgeOne: not in zone' }],
    });
    expect(edgeOneResult({ JobId: 'job-2', FailedList: null }, [A]).refused).toEqual([]);
  });

  it('reads the quota of each purge type and of prefetch', () => {
    const quotas = edgeOneQuotas(
      {
        PurgeQuota: [
          { Type: 'purge_url', Batch: 300, Daily: 3000, DailyAvailable: 2999 },
          { Type: 'purge_host', Batch: 10, Daily: 100, DailyAvailable: 0 },
        ],
        PrefetchQuota: [{ Type: 'prefetch_url', Batch: 200, Daily: 1000, DailyAvailable: 500 }],
      },
      ['purge-urls', 'purge-hosts', 'prefetch', 'purge-tags'],
    );
    expect(quotas).toEqual({
      'purge-urls': { batchSize: 300, available: 2999, total: 3000, scope: 'purge_url' },
      'purge-hosts': { batchSize: 10, available: 0, total: 100, scope: 'purge_host' },
      prefetch: { batchSize: 200, available: 500, total: 1000, scope: 'prefetch_url' },
    });
  });

  it('plans against the scarcest entry when the answer holds more than one of a type', () => {
    const quotas = edgeOneQuotas(
      {
        PurgeQuota: [
          { Type: 'purge_url', Batch: 300, Daily: 3000, DailyAvailable: 2999 },
          { Type: 'purge_url', Batch: 300, Daily: 3000, DailyAvailable: 12 },
        ],
      },
      ['purge-urls'],
    );
    expect(quotas['purge-urls']?.available).toBe(12);
  });

  it('reads a job as running, done or failed from its targets', () => {
    expect(edgeOneTaskReport([{ Target: A, Status: 'processing' }]).state).toBe('running');
    expect(edgeOneTaskReport([{ Target: A, Status: 'success' }])).toEqual({
      state: 'done',
      failedTargets: [],
    });
    expect(
      edgeOneTaskReport([
        { Target: A, Status: 'success' },
        { Target: 'b', Status: 'failed' },
        { Target: 'c', Status: 'timeout' },
        { Target: 'd', Status: 'canceled' },
      ]),
    ).toEqual({ state: 'failed', failedTargets: ['b', 'c', 'd'] });
  });
});
