import fc from 'fast-check';
import SignModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { describe, expect, it } from 'vitest';
import { signTc3, utcDate } from '../../../src/providers/tencent/tc3.js';

/**
 * The official SDK's signer. The module is CommonJS with `exports.default = Sign`: Node's own ESM loader hands back
 * `module.exports` as the default import (so the class is at `.default`), while vitest's interop unwraps it.
 */
type SignClass = typeof SignModule.default;
const Sign: SignClass =
  (SignModule as unknown as { default?: SignClass }).default ?? (SignModule as unknown as SignClass);

const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

interface SignInput {
  service: string;
  host: string;
  contentType?: string;
  body: string | Uint8Array;
  timestamp: number;
  secretId: string;
  secretKey: string;
}

/** What the official SDK signs for the same request: a POST to https://<host>/ with the exact body bytes. */
function sdkSign(input: SignInput): string {
  return Sign.sign3({
    method: 'POST',
    url: `https://${input.host}/`,
    payload: Buffer.from(input.body),
    timestamp: input.timestamp,
    service: input.service,
    secretId: input.secretId,
    secretKey: input.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': input.contentType ?? 'application/json' },
  });
}

function sign(input: SignInput): string {
  return signTc3({ ...input, contentType: input.contentType ?? 'application/json' });
}

describe('signTc3: docs/test-vectors.md', () => {
  it('T2: CDN PurgeUrlsCache', () => {
    expect(
      sign({
        service: 'cdn',
        host: 'cdn.tencentcloudapi.com',
        body: '{"Urls":["https://www.example.com/index.html","https://www.example.com/app.js"]}',
        timestamp: 1700000000,
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
      }),
    ).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/cdn/tc3_request, ' +
        'SignedHeaders=content-type;host, ' +
        'Signature=4a8961213d2e97d7125b35e05fa727bde775249f90b61e594861398001519c42',
    );
  });

  it('T2 signs the same with the body given as bytes', () => {
    const body = '{"Urls":["https://www.example.com/index.html","https://www.example.com/app.js"]}';
    const common = {
      service: 'cdn',
      host: 'cdn.tencentcloudapi.com',
      timestamp: 1700000000,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
    };
    expect(sign({ ...common, body: new TextEncoder().encode(body) })).toBe(sign({ ...common, body }));
  });

  it('T4: UTC date edge (scope 2019-02-25/cdn/tc3_request)', () => {
    const authorization = sign({
      service: 'cdn',
      host: 'cdn.intl.tencentcloudapi.com',
      body: '{}',
      timestamp: 1551110400,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
    });
    expect(authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cdn/tc3_request, ' +
        'SignedHeaders=content-type;host, ' +
        'Signature=c4934f97bfa5a2d53b487b755d388db24f5ad01a8fe7d713ad9e685ab5bb83ee',
    );
    // 1551110400 is 2019-02-25T16:00:00Z, midnight of 2019-02-26 in UTC+8: a signer dating by Beijing time says 02-26.
    expect(new Date(1551110400 * 1000).toISOString()).toBe('2019-02-25T16:00:00.000Z');
    expect(authorization).not.toContain('2019-02-26');
  });

  it('dates the scope across UTC midnight (2019-02-25T00:00:00Z = 1551052800)', () => {
    const common = {
      service: 'cdn',
      host: 'cdn.tencentcloudapi.com',
      body: '{}',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
    };
    const before = sign({ ...common, timestamp: 1551052800 - 1 });
    const after = sign({ ...common, timestamp: 1551052800 });
    expect(before).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\/2019-02-24\/cdn\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(after).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\/2019-02-25\/cdn\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(before).toBe(sdkSign({ ...common, timestamp: 1551052800 - 1 }));
    expect(after).toBe(sdkSign({ ...common, timestamp: 1551052800 }));
  });
});

describe('utcDate', () => {
  it('runs in a time zone whose day is not the UTC one (vitest.config.ts), so a local date fails every case below', () => {
    expect(new Date(1551110400 * 1000).getDate()).toBe(26);
    expect(new Date(1551110400 * 1000).getUTCDate()).toBe(25);
  });

  // 1551052800 is 2019-02-25T00:00:00Z: 08:00 on the 25th in UTC+8, 19:00 on the 24th in UTC-5.
  // 1551110400 is 2019-02-25T16:00:00Z: the midnight that starts the 26th in UTC+8 (the T4 vector).
  it.each([
    [1551052800 - 1, '2019-02-24'],
    [1551052800, '2019-02-25'],
    [1551110400 - 1, '2019-02-25'],
    [1551110400, '2019-02-25'],
    [1551052800 + 86400 - 1, '2019-02-25'],
    [1551052800 + 86400, '2019-02-26'],
    [0, '1970-01-01'],
    [4102444800 - 1, '2099-12-31'],
    [4102444800, '2100-01-01'],
  ])('%i is %s', (timestamp, date) => {
    expect(utcDate(timestamp)).toBe(date);
  });

  it.each([
    // zone, a timestamp whose local day differs from its UTC day in that zone, the local day, the UTC date
    ['Asia/Shanghai', 1551110400, 26, '2019-02-25'],
    ['Asia/Shanghai', 1551052800 - 1, 25, '2019-02-24'],
    ['America/New_York', 1551052800, 24, '2019-02-25'],
  ])('does not follow the process time zone (%s, %i)', (zone, timestamp, localDay, date) => {
    const saved = process.env.TZ;
    try {
      // Node applies an assignment to process.env.TZ at once.
      process.env.TZ = zone;
      // The zone is in effect: the local calendar day is not the UTC one.
      expect(new Date(timestamp * 1000).getDate()).toBe(localDay);
      expect(utcDate(timestamp)).toBe(date);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('signTc3: service and host', () => {
  it('takes the scope service from the service argument, not from the host', () => {
    const common = { body: '{}', timestamp: 1700000000, secretId: 'id', secretKey: 'key' };
    expect(sign({ ...common, service: 'cdn', host: '127.0.0.1' })).toMatch(
      /^TC3-HMAC-SHA256 Credential=id\/2023-11-14\/cdn\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(sign({ ...common, service: 'cdn', host: 'teo.tencentcloudapi.com' })).toContain(
      'Credential=id/2023-11-14/cdn/tc3_request,',
    );
    expect(sign({ ...common, service: 'teo', host: 'cdn.tencentcloudapi.com' })).toContain(
      'Credential=id/2023-11-14/teo/tc3_request,',
    );
    expect(sign({ ...common, service: 'cdn', host: '127.0.0.1' })).toBe(
      sdkSign({ ...common, service: 'cdn', host: '127.0.0.1' }),
    );
  });

  it('signs the host: another host gives another signature', () => {
    const common = { service: 'cdn', body: '{}', timestamp: 1700000000, secretId: 'id', secretKey: 'key' };
    expect(sign({ ...common, host: 'cdn.tencentcloudapi.com' })).not.toBe(
      sign({ ...common, host: 'cdn.intl.tencentcloudapi.com' }),
    );
  });

  it('signs the exact Content-Type sent, as the SDK does', () => {
    const common = {
      service: 'cdn',
      host: 'cdn.tencentcloudapi.com',
      body: '{}',
      timestamp: 1700000000,
      secretId: 'id',
      secretKey: 'key',
    };
    const withCharset = sign({ ...common, contentType: 'application/json; charset=utf-8' });
    expect(withCharset).not.toBe(sign(common));
    expect(withCharset).toBe(sdkSign({ ...common, contentType: 'application/json; charset=utf-8' }));
  });
});

/** Lower-case DNS labels; `xn--` labels are left out (they must be valid punycode). */
const label = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
  .filter((text) => !text.startsWith('xn--'));
/** A top-level label of letters, so that the URL parser never reads the name as an IPv4 address. */
const topLabel = fc.stringMatching(/^[a-z]{2,10}$/);
const host = fc.oneof(
  fc.constantFrom(
    'cdn.tencentcloudapi.com',
    'cdn.intl.tencentcloudapi.com',
    'teo.tencentcloudapi.com',
    'abc-1.example.com',
  ),
  fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), topLabel)
    .map(([labels, top]) => [...labels, top].join('.')),
);

const jsonObjectBody = fc
  .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }))
  .map((object) => JSON.stringify(object));
const body = fc.oneof(
  jsonObjectBody,
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 512 }),
);

describe('signTc3 agrees with the official SDK (tencentcloud-sdk-nodejs-common Sign.sign3)', () => {
  it('for random bodies, hosts, timestamps, credentials and services', () => {
    fc.assert(
      fc.property(
        body,
        host,
        fc.integer({ min: 0, max: 4102444800 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
        fc.constantFrom('cdn', 'teo'),
        (requestBody, requestHost, timestamp, secretId, secretKey, service) => {
          // The SDK signs the URL's host name: the generated host must come out of the URL parser unchanged.
          expect(new URL(`https://${requestHost}/`).hostname).toBe(requestHost);
          const input = { service, host: requestHost, body: requestBody, timestamp, secretId, secretKey };
          expect(sign(input)).toBe(sdkSign(input));
        },
      ),
      { numRuns: 250 },
    );
  });
});
