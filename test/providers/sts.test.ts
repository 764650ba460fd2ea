import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StsError, TransportError } from '../../src/errors.js';
import { defaultSessionName } from '../../src/inputs/oidc.js';
import {
  ALIYUN_STS,
  type AliyunAssumeRequest,
  aliyunStsHint,
  assumeAliyunRole,
  isRetryableAliyunStsError,
  parseAliyunStsResponse,
} from '../../src/providers/aliyun/sts.js';
import {
  assumeTencentRole,
  isRetryableTencentStsError,
  parseTencentStsResponse,
  TENCENT_STS,
  type TencentAssumeRequest,
  tencentStsHint,
} from '../../src/providers/tencent/sts.js';
import type { HttpRequest, HttpResponse } from '../../src/providers/transport.js';
import { rejectionOf, thrownBy } from '../support/thrown.js';

const TENCENT_PATTERN = /^[\w+=,.@-]{2,128}$/;
const ALIYUN_PATTERN = /^[A-Za-z0-9.@_-]{2,64}$/;
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln';

const stsError = (promise: Promise<unknown>): Promise<StsError> => rejectionOf(StsError, promise);
const caught = (run: () => unknown): StsError => thrownBy(StsError, run);

/** A `send` that records every request and answers with `answer` (or throws it). */
function fakeSend(answer: HttpResponse | Error) {
  const sent: HttpRequest[] = [];
  const send = async (request: HttpRequest): Promise<HttpResponse> => {
    sent.push(request);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { sent, send };
}

describe('defaultSessionName', () => {
  it('is github-<repo>-<run id> with the slash replaced', () => {
    expect(defaultSessionName('owner/repo', '1234567890')).toBe('github-owner-repo-1234567890');
  });

  it('keeps letters, digits and . @ _ - and replaces anything else, one - per character', () => {
    expect(defaultSessionName('my.org_x/re-po@2', '7')).toBe('github-my.org_x-re-po@2-7');
    expect(defaultSessionName('o/r+a=b,c', '1')).toBe('github-o-r-a-b-c-1');
    expect(defaultSessionName('ö/日本🚀', '1')).toBe(`github${'-'.repeat(7)}1`);
  });

  it('leaves out a missing or empty part', () => {
    expect(defaultSessionName(undefined, undefined)).toBe('github');
    expect(defaultSessionName('', '')).toBe('github');
    expect(defaultSessionName('owner/repo', undefined)).toBe('github-owner-repo');
    expect(defaultSessionName(undefined, '42')).toBe('github-42');
    expect(defaultSessionName('  ', ' 42 ')).toBe('github-42');
  });

  it('cuts a long repository to 63 characters and keeps the run id whole', () => {
    const name = defaultSessionName(`owner/${'r'.repeat(100)}`, '9876543210');
    expect(name).toHaveLength(63);
    expect(name.startsWith('github-owner-rrr')).toBe(true);
    expect(name.endsWith('-9876543210')).toBe(true);
  });

  it('is exactly 63 characters at the boundary and not cut below it', () => {
    // github (6) + -<repo> + -<run> (4): a repo of 52 gives 63.
    expect(defaultSessionName('a'.repeat(52), '123')).toHaveLength(63);
    expect(defaultSessionName('a'.repeat(52), '123')).toBe(`github-${'a'.repeat(52)}-123`);
    expect(defaultSessionName('a'.repeat(53), '123')).toBe(`github-${'a'.repeat(52)}-123`);
  });

  it('cuts a pathological run id to 63 characters', () => {
    const name = defaultSessionName('owner/repo', '9'.repeat(100));
    expect(name).toHaveLength(63);
    expect(name.startsWith('github-999')).toBe(true);
  });

  it('always satisfies both Tencent and Alibaba, whatever it is given', () => {
    const part = fc.option(fc.string({ unit: 'grapheme', maxLength: 120 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, (repo, run) => {
        const name = defaultSessionName(repo, run);
        expect(name).toMatch(TENCENT_PATTERN);
        expect(name).toMatch(ALIYUN_PATTERN);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name.startsWith('github')).toBe(true);
      }),
    );
  });
});

describe('StsError', () => {
  it('carries the code, message, hint, RequestId and whether a retry may help', () => {
    const error = new StsError('X.Y', 'X.Y: went wrong', 'check the thing', 'REQ-1', true);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('StsError');
    expect(error.retryable).toBe(true);
    expect(error.describe()).toBe('X.Y: went wrong (RequestId REQ-1). Likely cause: check the thing');
    expect(new StsError('A', 'A: b', 'c').retryable).toBe(false);
    expect(new StsError('A', 'A: b', 'c').describe()).toBe('A: b. Likely cause: c');
  });
});

describe('assumeTencentRole', () => {
  const success = {
    status: 200,
    body: JSON.stringify({
      Response: {
        Credentials: { Token: 'TOKEN', TmpSecretId: 'AKIDtmp', TmpSecretKey: 'tmpKey' },
        ExpiredTime: 1704171845,
        Expiration: '2024-01-02T05:04:05Z',
        RequestId: 'req-1',
      },
    }),
  };
  const request = (send: TencentAssumeRequest['send'], endpoint = 'https://sts.tencentcloudapi.com') =>
    ({
      endpoint: new URL(endpoint),
      providerId: 'github-actions',
      webIdentityToken: JWT,
      roleArn: 'qcs::cam::uin/100000000001:roleName/cdn-purge',
      roleSessionName: 'github-owner-repo-1',
      durationSeconds: 3600,
      send,
      now: () => NOW,
      timeoutMs: 7000,
    }) satisfies TencentAssumeRequest;

  it('sends an unsigned POST / with the X-TC headers and the JSON body of docs/keyless.md', async () => {
    const { sent, send } = fakeSend(success);
    await assumeTencentRole(request(send));
    expect(sent).toHaveLength(1);
    const [only] = sent;
    expect(only?.url.href).toBe('https://sts.tencentcloudapi.com/');
    expect(only?.timeoutMs).toBe(7000);
    expect(only?.headers).toEqual({
      host: 'sts.tencentcloudapi.com',
      'content-type': 'application/json',
      authorization: 'SKIP',
      'x-tc-action': 'AssumeRoleWithWebIdentity',
      'x-tc-version': '2018-08-13',
      'x-tc-timestamp': String(Math.floor(NOW / 1000)),
      'x-tc-region': 'ap-guangzhou',
    });
    expect(JSON.parse(only?.body ?? '')).toEqual({
      ProviderId: 'github-actions',
      WebIdentityToken: JWT,
      RoleArn: 'qcs::cam::uin/100000000001:roleName/cdn-purge',
      RoleSessionName: 'github-owner-repo-1',
      DurationSeconds: 3600,
    });
    expect(Object.keys(JSON.parse(only?.body ?? ''))).toEqual([
      'ProviderId',
      'WebIdentityToken',
      'RoleArn',
      'RoleSessionName',
      'DurationSeconds',
    ]);
  });

  it('posts to the root of an endpoint with a port and a path, Host without the port', async () => {
    const { sent, send } = fakeSend(success);
    await assumeTencentRole(request(send, 'http://127.0.0.1:8080/some/path?x=1'));
    expect(sent[0]?.url.href).toBe('http://127.0.0.1:8080/');
    expect(sent[0]?.headers.host).toBe('127.0.0.1');
  });

  it('returns the credentials with ExpiredTime in ms', async () => {
    const { send } = fakeSend(success);
    await expect(assumeTencentRole(request(send))).resolves.toEqual({
      id: 'AKIDtmp',
      secret: 'tmpKey',
      token: 'TOKEN',
      expiresAt: 1704171845000,
    });
  });

  it('falls back to Expiration when ExpiredTime is missing', () => {
    const body = JSON.stringify({
      Response: {
        Credentials: { Token: 't', TmpSecretId: 'i', TmpSecretKey: 'k' },
        Expiration: '2024-01-02T05:04:05Z',
      },
    });
    expect(parseTencentStsResponse(200, body).expiresAt).toBe(Date.UTC(2024, 0, 2, 5, 4, 5));
  });

  it('refuses an answer without credentials and never quotes the body', () => {
    const body = JSON.stringify({
      Response: {
        Credentials: { TmpSecretId: 'i', TmpSecretKey: 'SECRET-KEY' },
        ExpiredTime: 1,
        RequestId: 'r',
      },
    });
    const error = caught(() => parseTencentStsResponse(200, body));
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('Credentials.Token');
    expect(error.message).not.toContain('SECRET-KEY');
    expect(error.requestId).toBe('r');
    expect(error.retryable).toBe(false);
  });

  const errorBody = (code: string) =>
    JSON.stringify({
      Response: { Error: { Code: code, Message: `message of ${code}` }, RequestId: 'req-9' },
    });

  it.each([
    [
      'InvalidParameter.WebIdentityTokenError',
      /audience input equals the Client ID.*oidc:iss, oidc:aud, oidc:sub.*current JWKS/,
      false,
    ],
    ['InternalError.GetRoleError', /role ARN is wrong or the role does not exist/, false],
    ['InternalError.IllegalRole', /role ARN is wrong/, false],
    ['ResourceNotFound.RoleNotExist', /role ARN is wrong/, false],
    [
      'UnauthorizedOperation',
      /trust policy does not allow this identity provider.*oidc-provider input/,
      false,
    ],
    ['UnauthorizedOperation.CamNoAuth', /trust policy/, false],
    ['RequestLimitExceeded', /too many requests/, true],
    ['InternalError', /temporary failure/, true],
    ['InternalError.SystemError', /temporary failure/, true],
    ['InvalidParameter.ParamError', /a parameter was refused/, false],
    ['AuthFailure.SignatureFailure', /unauthenticated/, false],
    ['SomethingElse', /refused the request/, false],
  ])('turns %s into an StsError with a hint', async (code, hint, retryable) => {
    const { send } = fakeSend({ status: 200, body: errorBody(code) });
    const error = await stsError(assumeTencentRole(request(send)));
    expect(error.code).toBe(code);
    expect(error.message).toBe(`${code}: message of ${code}`);
    expect(error.hint).toMatch(hint);
    expect(error.requestId).toBe('req-9');
    expect(error.retryable).toBe(retryable);
    expect(isRetryableTencentStsError(code)).toBe(retryable);
    expect(tencentStsHint(code)).toBe(error.hint);
  });

  it('turns a gateway page into a retryable StsError and a non-API answer into a final one', () => {
    const gateway = caught(() => parseTencentStsResponse(502, '<html>bad gateway</html>'));
    expect(gateway.code).toBe('HTTP502');
    expect(gateway.retryable).toBe(true);
    expect(gateway.message).toContain('bad gateway');
    const foreign = caught(() => parseTencentStsResponse(200, '{"hello":1}'));
    expect(foreign.code).toBe('HTTP200');
    expect(foreign.retryable).toBe(false);
    expect(foreign.hint).toMatch(/check the STS endpoint/);
  });

  it('never quotes a 2xx body that lacks Response: it may hold credentials', () => {
    const body = JSON.stringify({
      Credentials: { TmpSecretKey: 'tmp-secret-key-value', Token: 'tmp-token-value' },
    });
    for (const status of [200, 204, 299]) {
      const error = caught(() => parseTencentStsResponse(status, body));
      expect(error.message).toBe(`HTTP${status}: the answer has no Tencent Cloud API Response object`);
    }
    // A 3xx, 4xx or 5xx answer is no success: its start is shown to tell a gateway page from an STS.
    expect(caught(() => parseTencentStsResponse(300, '<html>moved</html>')).message).toContain(
      '<html>moved</html>',
    );
  });

  it('names every field a 200 answer lacks', () => {
    const body = JSON.stringify({
      Response: { Credentials: { TmpSecretId: 'AKID-tmp', Token: 't' }, RequestId: 'R-1' },
    });
    const error = caught(() => parseTencentStsResponse(200, body));
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toBe(
      'InvalidResponse: the AssumeRoleWithWebIdentity answer lacks Credentials.TmpSecretKey, ExpiredTime',
    );
    expect(error.hint).toBe('the endpoint did not answer like Tencent Cloud STS: check the STS endpoint');
    expect(error.requestId).toBe('R-1');
    expect(error.retryable).toBe(false);
  });

  it.each([
    [new TransportError('ConnectionError', 'could not connect (ECONNREFUSED)', false), 'ConnectionError'],
    [new TransportError('Timeout', 'no response within 7000 ms', true), 'Timeout'],
  ])('turns a transport error into a retryable StsError', async (transport, code) => {
    const { send } = fakeSend(transport);
    const error = await stsError(assumeTencentRole(request(send)));
    expect(error.code).toBe(code);
    expect(error.message).toBe(`${code}: ${transport.message}`);
    expect(error.hint).toMatch(/^could not reach the STS endpoint https:\/\/sts\.tencentcloudapi\.com/);
    expect(error.retryable).toBe(true);
  });

  it('lets any other error through unchanged', async () => {
    const bug = new TypeError('bug');
    const { send } = fakeSend(bug);
    await expect(assumeTencentRole(request(send))).rejects.toBe(bug);
  });

  it('names the endpoints and version of docs/keyless.md', () => {
    expect(TENCENT_STS).toEqual({
      version: '2018-08-13',
      host: 'sts.tencentcloudapi.com',
      intlHost: 'sts.intl.tencentcloudapi.com',
      region: 'ap-guangzhou',
    });
  });
});

describe('assumeAliyunRole', () => {
  const success = {
    status: 200,
    body: JSON.stringify({
      RequestId: 'R-1',
      AssumedRoleUser: { Arn: 'acs:ram::1:role/r/s', AssumedRoleId: '3:s' },
      Credentials: {
        AccessKeyId: 'STS.id',
        AccessKeySecret: 'secret',
        SecurityToken: 'CAIS-token',
        Expiration: '2024-01-02T04:04:05Z',
      },
    }),
  };
  const request = (send: AliyunAssumeRequest['send'], endpoint = 'https://sts.aliyuncs.com') =>
    ({
      endpoint: new URL(endpoint),
      oidcProviderArn: 'acs:ram::1000000000000001:oidc-provider/github-actions',
      oidcToken: JWT,
      roleArn: 'acs:ram::1000000000000001:role/cdn-purge',
      roleSessionName: 'github-owner-repo-1',
      durationSeconds: 3600,
      send,
      now: () => NOW,
      timeoutMs: 6000,
    }) satisfies AliyunAssumeRequest;

  it('sends an anonymous POST with the RPC query and an RFC 3986 form body, in the documented order', async () => {
    const { sent, send } = fakeSend(success);
    await assumeAliyunRole(request(send));
    expect(sent).toHaveLength(1);
    const [only] = sent;
    expect(only?.url.origin).toBe('https://sts.aliyuncs.com');
    expect(only?.url.pathname).toBe('/');
    expect(only?.url.search).toBe(
      '?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON&Timestamp=2024-01-02T03%3A04%3A05Z',
    );
    expect(only?.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(only?.timeoutMs).toBe(6000);
    expect(only?.body).toBe(
      'OIDCProviderArn=acs%3Aram%3A%3A1000000000000001%3Aoidc-provider%2Fgithub-actions' +
        `&OIDCToken=${JWT}` +
        '&RoleArn=acs%3Aram%3A%3A1000000000000001%3Arole%2Fcdn-purge' +
        '&RoleSessionName=github-owner-repo-1' +
        '&DurationSeconds=3600',
    );
    const all = `${only?.url.search}&${only?.body}`;
    expect(all).not.toMatch(/AccessKeyId|Signature|SecurityToken/);
  });

  it("encodes ! ' ( ) * and spaces the RFC 3986 way", async () => {
    const { sent, send } = fakeSend(success);
    await assumeAliyunRole({ ...request(send), roleSessionName: "a b!'()*" });
    expect(sent[0]?.body).toContain('&RoleSessionName=a%20b%21%27%28%29%2A&');
  });

  it('posts to the root of an endpoint that has a path', async () => {
    const { sent, send } = fakeSend(success);
    await assumeAliyunRole(request(send, 'http://127.0.0.1:9000/x/y?z=1'));
    expect(sent[0]?.url.origin).toBe('http://127.0.0.1:9000');
    expect(sent[0]?.url.pathname).toBe('/');
    expect(sent[0]?.url.searchParams.get('z')).toBeNull();
  });

  it('returns the credentials with Expiration in ms', async () => {
    const { send } = fakeSend(success);
    await expect(assumeAliyunRole(request(send))).resolves.toEqual({
      id: 'STS.id',
      secret: 'secret',
      token: 'CAIS-token',
      expiresAt: Date.UTC(2024, 0, 2, 4, 4, 5),
    });
  });

  it('refuses a 200 without usable credentials and never quotes the body', () => {
    const body = JSON.stringify({
      RequestId: 'R',
      Credentials: {
        AccessKeyId: 'STS.id',
        AccessKeySecret: 'SECRET',
        SecurityToken: 't',
        Expiration: 'soon',
      },
    });
    const error = caught(() => parseAliyunStsResponse(200, body));
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('Credentials.Expiration');
    expect(error.message).not.toContain('SECRET');
    expect(error.requestId).toBe('R');
  });

  const errorAnswer = (status: number, code: string, message = `message of ${code}`) => ({
    status,
    body: JSON.stringify({ RequestId: 'R-9', HostId: 'sts.aliyuncs.com', Code: code, Message: message }),
  });

  it.each([
    [
      401,
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      /audience input must equal a Client ID.*sts\.aliyuncs\.com/,
      false,
    ],
    [
      401,
      'AuthenticationFail.OIDCToken.IssuerNotMatch',
      /issuer URL.*https:\/\/token\.actions\.githubusercontent\.com/,
      false,
    ],
    [401, 'AuthenticationFail.OIDCToken.Expired', /expired/, false],
    [401, 'AuthenticationFail.OIDCToken.Invalid', /malformed/, false],
    [401, 'AuthenticationFail.OIDCToken.InvalidSignature', /fingerprint/, false],
    [
      401,
      'AuthenticationFail.NoPermission',
      /trust policy does not allow this OIDC provider.*oidc:sub/,
      false,
    ],
    [404, 'EntityNotExist.Role', /role ARN is wrong/, false],
    [404, 'EntityNotExist.OIDCProvider', /OIDC provider ARN is wrong/, false],
    [400, 'InvalidParameter.DurationSeconds', /at least 900 seconds/, false],
    [400, 'InvalidParameter.RoleSessionName', /2–64 characters/, false],
    [400, 'Throttling.User', /too many requests/, true],
    [503, 'ServiceUnavailable', /temporary failure/, true],
    [500, 'InternalError', /temporary failure/, true],
    [400, 'Whatever', /refused the request/, false],
  ])('turns HTTP %i %s into an StsError with a hint', async (status, code, hint, retryable) => {
    const { send } = fakeSend(errorAnswer(status, code));
    const error = await stsError(assumeAliyunRole(request(send)));
    expect(error.code).toBe(code);
    expect(error.message).toBe(`${code}: message of ${code}`);
    expect(error.hint).toMatch(hint);
    expect(error.requestId).toBe('R-9');
    expect(error.retryable).toBe(retryable);
    expect(isRetryableAliyunStsError(code, status)).toBe(retryable);
  });

  it('tells a wrong provider ARN from a trust policy by the NoPermission message', () => {
    const error = caught(() =>
      parseAliyunStsResponse(
        401,
        errorAnswer(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.').body,
      ),
    );
    expect(error.hint).toMatch(/OIDC provider ARN is wrong/);
    expect(aliyunStsHint('AuthenticationFail.NoPermission', 'There is no permission')).toMatch(
      /trust policy/,
    );
  });

  it('names every field a 200 answer lacks', () => {
    const body = JSON.stringify({
      RequestId: 'R-2',
      Credentials: { AccessKeyId: 'STS.x', AccessKeySecret: 's', Expiration: 'not a date' },
    });
    const error = caught(() => parseAliyunStsResponse(200, body));
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toBe(
      'InvalidResponse: the AssumeRoleWithOIDC answer lacks Credentials.SecurityToken, a valid Credentials.Expiration',
    );
    expect(error.hint).toBe('the endpoint did not answer like Alibaba Cloud STS: check the STS endpoint');
    expect(error.requestId).toBe('R-2');
    expect(error.retryable).toBe(false);
  });

  it('classifies an answer without a code by its status', () => {
    const gateway = caught(() => parseAliyunStsResponse(502, '<html>Tengine</html>'));
    expect(gateway.code).toBe('HTTP502');
    expect(gateway.retryable).toBe(true);
    const throttled = caught(() => parseAliyunStsResponse(429, ''));
    expect(throttled.retryable).toBe(true);
    const refused = caught(() => parseAliyunStsResponse(403, 'forbidden'));
    expect(refused.code).toBe('HTTP403');
    expect(refused.retryable).toBe(false);
    expect(refused.hint).toMatch(/check the STS endpoint/);
  });

  it('turns a transport error into a retryable StsError', async () => {
    const { send } = fakeSend(new TransportError('Timeout', 'no response within 6000 ms', true));
    const error = await stsError(assumeAliyunRole(request(send)));
    expect(error.code).toBe('Timeout');
    expect(error.hint).toMatch(/^could not reach the STS endpoint https:\/\/sts\.aliyuncs\.com/);
    expect(error.retryable).toBe(true);
  });

  it('names the version and host of docs/keyless.md', () => {
    expect(ALIYUN_STS).toEqual({ version: '2015-04-01', host: 'sts.aliyuncs.com' });
  });
});
