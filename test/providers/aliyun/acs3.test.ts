import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Acs3Request, acsDate, signAcs3 } from '../../../src/providers/aliyun/acs3.js';
import { rfc3986 } from '../../../src/text.js';
import { A4 } from './vector-a4.js';

// The official SDK's signer. Both packages are CommonJS: require gives the same shape under Node and vitest.
const require = createRequire(import.meta.url);
const { default: OpenApiUtil } = require('@alicloud/openapi-util') as typeof import('@alicloud/openapi-util');
const { Request: TeaRequest } = createRequire(require.resolve('@alicloud/openapi-util'))(
  '@alicloud/tea-typescript',
) as typeof import('@alicloud/tea-typescript');

/**
 * What the official SDK signs for the same request. Like `@alicloud/openapi-core`, it is given the request
 * with x-acs-content-sha256 already set and the hex payload hash.
 */
function sdkAuthorization(request: Acs3Request): string {
  const payloadHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  const tea = new TeaRequest();
  tea.method = request.method;
  tea.pathname = request.path;
  tea.query = { ...request.query };
  tea.headers = { ...request.headers, host: request.host, 'x-acs-content-sha256': payloadHash };
  return OpenApiUtil.getAuthorization(
    tea,
    'ACS3-HMAC-SHA256',
    payloadHash,
    request.accessKeyId,
    request.accessKeySecret,
  );
}

describe('signAcs3: docs/test-vectors.md vector A4', () => {
  it('computes x-acs-content-sha256, SignedHeaders and the Signature', () => {
    const signed = signAcs3(A4);
    expect(signed.contentSha256).toBe('b66bc3a23c919b987233f7e5340cbc6e4176bcda856d632a1b0913cfaf09f253');
    expect(signed.signedHeaders).toBe(
      'content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
    );
    expect(signed.authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=testid,' +
        'SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=1847eab2202b31e4ed46576e8bf43d1bf683474006963eac74b5ec64695cd4a3',
    );
  });

  it('agrees with the official SDK on A4', () => {
    expect(signAcs3(A4).authorization).toBe(sdkAuthorization(A4));
  });

  it('signs the same when given the host header and the matching x-acs-content-sha256', () => {
    const signed = signAcs3(A4);
    const again = signAcs3({
      ...A4,
      headers: { ...A4.headers, host: A4.host, 'x-acs-content-sha256': signed.contentSha256 },
    });
    expect(again).toEqual(signed);
  });

  it('does not sign headers other than host, content-type and x-acs-*', () => {
    const signed = signAcs3({ ...A4, headers: { ...A4.headers, 'user-agent': 'test', accept: '*/*' } });
    expect(signed).toEqual(signAcs3(A4));
  });

  it('signs x-acs-security-token', () => {
    const signed = signAcs3({ ...A4, headers: { ...A4.headers, 'x-acs-security-token': 'STS.token' } });
    expect(signed.signedHeaders).toBe(
      'content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version',
    );
    expect(signed.authorization).not.toBe(signAcs3(A4).authorization);
  });

  it('signs a canonical query string', () => {
    const withQuery = { ...A4, query: { b: 'x y', a: "it's (1)*!" } };
    expect(signAcs3(withQuery).authorization).toBe(sdkAuthorization(withQuery));
    expect(signAcs3(withQuery).authorization).not.toBe(signAcs3(A4).authorization);
  });

  it('refuses what it cannot sign as sent', () => {
    expect(() => signAcs3({ ...A4, headers: { ...A4.headers, 'X-Acs-Foo': 'x' } })).toThrow(/lower-case/);
    expect(() => signAcs3({ ...A4, headers: { ...A4.headers, host: 'other.example.com' } })).toThrow(/host/);
    expect(() => signAcs3({ ...A4, headers: { ...A4.headers, 'x-acs-content-sha256': '00' } })).toThrow(
      /x-acs-content-sha256/,
    );
    const { 'x-acs-signature-nonce': _nonce, ...noNonce } = A4.headers;
    expect(() => signAcs3({ ...A4, headers: noNonce })).toThrow(/x-acs-signature-nonce/);
    const { 'content-type': _type, ...noType } = A4.headers;
    expect(() => signAcs3({ ...A4, headers: noType })).toThrow(/content-type/);
    expect(() => signAcs3({ ...A4, headers: noType, body: '' })).not.toThrow();
  });
});

describe('rfc3986', () => {
  it("encodes ! ' ( ) * on top of encodeURIComponent", () => {
    expect(rfc3986("!'()*")).toBe('%21%27%28%29%2A');
    expect(rfc3986('a b+c/d?e=f&g~h-i_j.k')).toBe('a%20b%2Bc%2Fd%3Fe%3Df%26g~h-i_j.k');
    expect(rfc3986('line\nbreak\r')).toBe('line%0Abreak%0D');
    expect(rfc3986('é中😀')).toBe('%C3%A9%E4%B8%AD%F0%9F%98%80');
  });
});

describe('acsDate', () => {
  it('is UTC, without milliseconds', () => {
    expect(acsDate(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024-01-02T03:04:05Z');
    expect(acsDate(0)).toBe('1970-01-01T00:00:00Z');
    expect(acsDate(Date.UTC(2023, 11, 31, 23, 59, 59, 999))).toBe('2023-12-31T23:59:59Z');
  });
});

describe('signAcs3 against @alicloud/openapi-util getAuthorization', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });
  /** Query names the SDK and the canonical form agree on: the SDK leaves names unencoded. */
  const queryName = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/);
  const formBody = fc
    .array(fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), text), { maxLength: 6 })
    .map((pairs) => pairs.map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`).join('&'));
  const body = fc.oneof(formBody, text);
  const host = fc.oneof(
    fc.domain(),
    fc.constantFrom('cdn.aliyuncs.com', '127.0.0.1', 'cdn.ap-southeast-1.aliyuncs.com'),
  );
  const date = fc
    .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) })
    .map((ms) => acsDate(ms));
  const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
  const printable = fc.stringMatching(/^[!-~]{1,64}$/);

  it('gives the same Authorization for random requests', () => {
    fc.assert(
      fc.property(
        fc.record({
          host,
          body,
          query: fc.dictionary(queryName, text, { maxKeys: 4 }),
          action: fc.stringMatching(/^[A-Z][A-Za-z]{2,30}$/),
          date,
          nonce: fc.oneof(hex(32), fc.uuid()),
          accessKeyId: printable,
          accessKeySecret: printable,
          token: fc.option(printable, { nil: undefined }),
          contentType: fc.constantFrom(
            'application/x-www-form-urlencoded',
            'application/x-www-form-urlencoded; charset=utf-8',
            'application/json',
          ),
        }),
        (input) => {
          const headers: Record<string, string> = {
            'x-acs-action': input.action,
            'x-acs-version': '2018-05-10',
            'x-acs-date': input.date,
            'x-acs-signature-nonce': input.nonce,
          };
          if (input.body !== '') headers['content-type'] = input.contentType;
          if (input.token !== undefined) headers['x-acs-security-token'] = input.token;
          const request: Acs3Request = {
            method: 'POST',
            host: input.host,
            path: '/',
            query: input.query,
            headers,
            body: input.body,
            accessKeyId: input.accessKeyId,
            accessKeySecret: input.accessKeySecret,
          };
          expect(signAcs3(request).authorization).toBe(sdkAuthorization(request));
        },
      ),
      { numRuns: 400 },
    );
  });
});
