import { getIDToken } from '@actions/core';
import { describe, expect, it, vi } from 'vitest';
import { StsError } from '../../../src/errors.js';
import { type AliyunAssumeRequest, assumeAliyunRole } from '../../../src/providers/aliyun/sts.js';
import { assumeTencentRole, type TencentAssumeRequest } from '../../../src/providers/tencent/sts.js';
import type { HttpSend } from '../../../src/providers/transport.js';
import { rejectionOf } from '../../support/thrown.js';
import { cleanupAfterEach, emulatorWithClient } from '../shared/test-harness.js';
import {
  ALIYUN_STS_DEFAULTS,
  DEFAULT_GITHUB_AUDIENCE,
  DEFAULT_SUBJECT,
  decodeIdToken,
  GITHUB_ISSUER,
  makeIdToken,
  type OidcEmulator,
  type OidcEmulatorOptions,
  startOidcEmulator,
  TENCENT_STS_DEFAULTS,
} from './emulator.js';

const defer = cleanupAfterEach();

async function setup(options: OidcEmulatorOptions = {}): Promise<{ emulator: OidcEmulator; send: HttpSend }> {
  return emulatorWithClient(() => startOidcEmulator(options), defer);
}

/** GitHub's ID token for `audience`, fetched as @actions/core does (URL + `&audience=…`, bearer). */
async function idToken(emulator: OidcEmulator, audience: string): Promise<string> {
  const response = await fetch(`${emulator.tokenUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${emulator.requestToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

/** What both STS exchanges take besides the provider's own fields. */
const exchange = (emulator: OidcEmulator, send: HttpSend) => ({
  endpoint: new URL(emulator.url),
  roleSessionName: 'github-owner-repo-1234567890',
  durationSeconds: 3600,
  send,
  now: Date.now,
  timeoutMs: 5000,
});

function tencentRequest(
  emulator: OidcEmulator,
  send: HttpSend,
  token: string,
  overrides: Partial<TencentAssumeRequest> = {},
): TencentAssumeRequest {
  return {
    ...exchange(emulator, send),
    providerId: TENCENT_STS_DEFAULTS.providerId,
    webIdentityToken: token,
    roleArn: TENCENT_STS_DEFAULTS.roleArn,
    ...overrides,
  };
}

function aliyunRequest(
  emulator: OidcEmulator,
  send: HttpSend,
  token: string,
  overrides: Partial<AliyunAssumeRequest> = {},
): AliyunAssumeRequest {
  return {
    ...exchange(emulator, send),
    oidcProviderArn: ALIYUN_STS_DEFAULTS.providerArn,
    oidcToken: token,
    roleArn: ALIYUN_STS_DEFAULTS.roleArn,
    ...overrides,
  };
}

const stsError = (promise: Promise<unknown>): Promise<StsError> => rejectionOf(StsError, promise);

const nowS = () => Math.floor(Date.now() / 1000);

describe('the ID-token endpoint', () => {
  it('answers a JWT for the requested audience to the right bearer', async () => {
    const { emulator } = await setup({ requestToken: 'request-token-1' });
    expect(emulator.tokenUrl).toContain('?');
    expect(emulator.requestToken).toBe('request-token-1');
    const response = await fetch(`${emulator.tokenUrl}&audience=sts.aliyuncs.com`, {
      headers: { Authorization: 'Bearer request-token-1' },
    });
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: string };
    expect(value.split('.')).toHaveLength(3);
    const claims = decodeIdToken(value);
    expect(claims).toMatchObject({ aud: 'sts.aliyuncs.com', iss: GITHUB_ISSUER, sub: DEFAULT_SUBJECT });
    expect(claims?.exp).toBeGreaterThan(nowS());
    expect(emulator.tokenRequests).toEqual([
      { audience: 'sts.aliyuncs.com', authorization: 'Bearer request-token-1' },
    ]);
  });

  it('answers 401 without the bearer or with another one', async () => {
    const { emulator } = await setup();
    const missing = await fetch(`${emulator.tokenUrl}&audience=x`);
    expect(missing.status).toBe(401);
    const wrong = await fetch(`${emulator.tokenUrl}&audience=x`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect(emulator.tokenRequests).toEqual([
      { audience: 'x', authorization: undefined },
      { audience: 'x', authorization: 'Bearer nope' },
    ]);
  });

  it("uses GitHub's default audience when none is asked for, and answers a fixed idToken when given", async () => {
    const { emulator } = await setup();
    const response = await fetch(emulator.tokenUrl, {
      headers: { authorization: `Bearer ${emulator.requestToken}` },
    });
    const { value } = (await response.json()) as { value: string };
    expect(decodeIdToken(value)?.aud).toBe(DEFAULT_GITHUB_AUDIENCE);
    expect(emulator.tokenRequests[0]?.audience).toBeNull();

    const fixed = await setup({ idToken: 'fixed.token.value' });
    expect(await idToken(fixed.emulator, 'anything')).toBe('fixed.token.value');
  });

  it('serves @actions/core getIDToken, which appends &audience= to ACTIONS_ID_TOKEN_REQUEST_URL', async () => {
    const { emulator, send } = await setup();
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', emulator.tokenUrl);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', emulator.requestToken);
    defer(() => {
      vi.unstubAllEnvs();
    });
    // getIDToken masks the token with ::add-mask:: on stdout.
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    defer(() => write.mockRestore());

    const tencentToken = await getIDToken('sts.tencentcloudapi.com');
    const aliyunToken = await getIDToken('sts.aliyuncs.com');
    expect(emulator.tokenRequests.map((request) => request.audience)).toEqual([
      'sts.tencentcloudapi.com',
      'sts.aliyuncs.com',
    ]);
    expect(emulator.tokenRequests[0]?.authorization).toBe(`Bearer ${emulator.requestToken}`);

    const tencent = await assumeTencentRole(tencentRequest(emulator, send, tencentToken));
    expect(tencent.id).toBe(TENCENT_STS_DEFAULTS.credentials.TmpSecretId);
    const aliyun = await assumeAliyunRole(aliyunRequest(emulator, send, aliyunToken));
    expect(aliyun.id).toBe(ALIYUN_STS_DEFAULTS.credentials.AccessKeyId);
  });
});

describe('Tencent Cloud STS AssumeRoleWithWebIdentity', () => {
  it('answers the configured credentials to an unsigned request with the right token, provider and role', async () => {
    const { emulator, send } = await setup({ expiresInSeconds: 900 });
    const token = await idToken(emulator, 'sts.tencentcloudapi.com');
    const before = Date.now();
    const credentials = await assumeTencentRole(tencentRequest(emulator, send, token));
    expect(credentials).toMatchObject({
      id: TENCENT_STS_DEFAULTS.credentials.TmpSecretId,
      secret: TENCENT_STS_DEFAULTS.credentials.TmpSecretKey,
      token: TENCENT_STS_DEFAULTS.credentials.Token,
    });
    expect(credentials.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(credentials.expiresAt).toBeLessThanOrEqual(Date.now() + 900_000);

    expect(emulator.tencentRequests).toHaveLength(1);
    const [recorded] = emulator.tencentRequests;
    expect(recorded?.headers).toMatchObject({
      host: '127.0.0.1',
      authorization: 'SKIP',
      'content-type': 'application/json',
      'x-tc-action': 'AssumeRoleWithWebIdentity',
      'x-tc-version': '2018-08-13',
      'x-tc-region': 'ap-guangzhou',
    });
    expect(recorded?.headers['x-tc-token']).toBeUndefined();
    expect(recorded?.body).toEqual({
      ProviderId: TENCENT_STS_DEFAULTS.providerId,
      WebIdentityToken: token,
      RoleArn: TENCENT_STS_DEFAULTS.roleArn,
      RoleSessionName: 'github-owner-repo-1234567890',
      DurationSeconds: 3600,
    });
  });

  it('takes a custom configuration', async () => {
    const { emulator, send } = await setup({
      tencent: {
        providerId: 'gh',
        roleArn: 'qcs::cam::uin/42:roleName/r',
        audience: 'my-client-id',
        credentials: { TmpSecretId: 'id', TmpSecretKey: 'key', Token: 'tok' },
      },
    });
    const token = await idToken(emulator, 'my-client-id');
    const credentials = await assumeTencentRole(
      tencentRequest(emulator, send, token, { providerId: 'gh', roleArn: 'qcs::cam::uin/42:roleName/r' }),
    );
    expect(credentials).toMatchObject({ id: 'id', secret: 'key', token: 'tok' });
  });

  it('refuses a token for another audience with InvalidParameter.WebIdentityTokenError', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.aliyuncs.com');
    const error = await stsError(assumeTencentRole(tencentRequest(emulator, send, token)));
    expect(error.code).toBe('InvalidParameter.WebIdentityTokenError');
    expect(error.hint).toMatch(/audience input equals the Client ID/);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.retryable).toBe(false);
  });

  it.each([
    [
      'an expired token',
      () => makeIdToken({ iss: GITHUB_ISSUER, aud: 'sts.tencentcloudapi.com', exp: nowS() - 1 }),
    ],
    [
      'another issuer',
      () => makeIdToken({ iss: 'https://example.com', aud: 'sts.tencentcloudapi.com', exp: nowS() + 60 }),
    ],
    ['something that is not a JWT', () => 'not-a-jwt'],
  ])('refuses %s with InvalidParameter.WebIdentityTokenError', async (_, token) => {
    const { emulator, send } = await setup();
    const error = await stsError(assumeTencentRole(tencentRequest(emulator, send, token())));
    expect(error.code).toBe('InvalidParameter.WebIdentityTokenError');
  });

  it('refuses another identity provider with UnauthorizedOperation and another role with GetRoleError', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.tencentcloudapi.com');
    const provider = await stsError(
      assumeTencentRole(tencentRequest(emulator, send, token, { providerId: 'x' })),
    );
    expect(provider.code).toBe('UnauthorizedOperation');
    expect(provider.hint).toMatch(/oidc-provider input must equal/);
    const role = await stsError(
      assumeTencentRole(tencentRequest(emulator, send, token, { roleArn: 'qcs::cam::uin/1:roleName/x' })),
    );
    expect(role.code).toBe('InternalError.GetRoleError');
    expect(role.hint).toMatch(/role ARN is wrong/);
    expect(role.retryable).toBe(false);
  });

  it('refuses a session name and a duration out of range', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.tencentcloudapi.com');
    const name = await stsError(
      assumeTencentRole(tencentRequest(emulator, send, token, { roleSessionName: 'a b' })),
    );
    expect(name.code).toBe('InvalidParameterValue');
    const duration = await stsError(
      assumeTencentRole(tencentRequest(emulator, send, token, { durationSeconds: 43201 })),
    );
    expect(duration.code).toBe('InvalidParameterValue');
  });

  it('answers failWith to every request and failNext to the next ones only', async () => {
    const always = await setup({ tencent: { failWith: 'RequestLimitExceeded' } });
    const token = await idToken(always.emulator, 'sts.tencentcloudapi.com');
    for (let i = 0; i < 2; i++) {
      const error = await stsError(assumeTencentRole(tencentRequest(always.emulator, always.send, token)));
      expect(error.code).toBe('RequestLimitExceeded');
      expect(error.retryable).toBe(true);
    }

    const { emulator, send } = await setup();
    emulator.failNext('tencent', 'InternalError');
    const first = await stsError(assumeTencentRole(tencentRequest(emulator, send, token)));
    expect(first.code).toBe('InternalError');
    expect(first.retryable).toBe(true);
    await expect(assumeTencentRole(tencentRequest(emulator, send, token))).resolves.toMatchObject({
      id: TENCENT_STS_DEFAULTS.credentials.TmpSecretId,
    });
    expect(emulator.tencentRequests.map((request) => request.errorCode)).toEqual([
      'InternalError',
      undefined,
    ]);
  });

  it('refuses a signed request: AssumeRoleWithWebIdentity is sent with Authorization SKIP', async () => {
    const { emulator } = await setup();
    const response = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization:
          'TC3-HMAC-SHA256 Credential=AKID/2024-01-01/sts/tc3_request, SignedHeaders=x, Signature=y',
        'x-tc-action': 'AssumeRoleWithWebIdentity',
        'x-tc-version': '2018-08-13',
        'x-tc-timestamp': String(nowS()),
        'x-tc-region': 'ap-guangzhou',
      },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { Response: { Error: { Code: string } } };
    expect(answer.Response.Error.Code).toBe('AuthFailure.InvalidAuthorization');
  });
});

describe('Alibaba Cloud STS AssumeRoleWithOIDC', () => {
  it('answers the configured credentials to an anonymous request with the right token, provider and role', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.aliyuncs.com');
    const before = Date.now();
    const credentials = await assumeAliyunRole(aliyunRequest(emulator, send, token));
    expect(credentials).toMatchObject({
      id: ALIYUN_STS_DEFAULTS.credentials.AccessKeyId,
      secret: ALIYUN_STS_DEFAULTS.credentials.AccessKeySecret,
      token: ALIYUN_STS_DEFAULTS.credentials.SecurityToken,
    });
    // Expiration has whole seconds.
    expect(credentials.expiresAt).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(credentials.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

    expect(emulator.aliyunRequests).toHaveLength(1);
    const [recorded] = emulator.aliyunRequests;
    expect(recorded?.status).toBe(200);
    expect(recorded?.headers.authorization).toBeUndefined();
    expect(recorded?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(recorded?.query).toMatchObject({
      Version: '2015-04-01',
      Action: 'AssumeRoleWithOIDC',
      Format: 'JSON',
    });
    expect(recorded?.query.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(recorded?.params).toEqual({
      OIDCProviderArn: ALIYUN_STS_DEFAULTS.providerArn,
      OIDCToken: token,
      RoleArn: ALIYUN_STS_DEFAULTS.roleArn,
      RoleSessionName: 'github-owner-repo-1234567890',
      DurationSeconds: '3600',
    });
  });

  it('refuses a token for another audience with AudienceNotMatch', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.tencentcloudapi.com');
    const error = await stsError(assumeAliyunRole(aliyunRequest(emulator, send, token)));
    expect(error.code).toBe('AuthenticationFail.OIDCToken.AudienceNotMatch');
    expect(error.hint).toMatch(/audience input must equal a Client ID/);
    expect(error.requestId).toBeDefined();
    expect(emulator.aliyunRequests[0]?.status).toBe(401);
  });

  it.each([
    [
      'another issuer',
      () => makeIdToken({ iss: 'https://example.com', aud: 'sts.aliyuncs.com', exp: nowS() + 60 }),
      'AuthenticationFail.OIDCToken.IssuerNotMatch',
    ],
    [
      'an expired token',
      () => makeIdToken({ iss: GITHUB_ISSUER, aud: 'sts.aliyuncs.com', exp: nowS() - 1 }),
      'AuthenticationFail.OIDCToken.Expired',
    ],
    ['something that is not a JWT', () => 'not-a-jwt', 'AuthenticationFail.OIDCToken.Invalid'],
  ])('refuses %s', async (_, token, code) => {
    const { emulator, send } = await setup();
    const error = await stsError(assumeAliyunRole(aliyunRequest(emulator, send, token())));
    expect(error.code).toBe(code);
  });

  it('refuses another provider ARN and another role with hints naming the ARN at fault', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.aliyuncs.com');
    const provider = await stsError(
      assumeAliyunRole(
        aliyunRequest(emulator, send, token, { oidcProviderArn: 'acs:ram::1:oidc-provider/x' }),
      ),
    );
    expect(provider.code).toBe('AuthenticationFail.NoPermission');
    expect(provider.hint).toMatch(/OIDC provider ARN is wrong/);
    const role = await stsError(
      assumeAliyunRole(aliyunRequest(emulator, send, token, { roleArn: 'acs:ram::1:role/x' })),
    );
    expect(role.code).toBe('EntityNotExist.Role');
    expect(role.hint).toMatch(/role ARN is wrong/);
    expect(emulator.aliyunRequests.map((request) => request.status)).toEqual([401, 404]);
  });

  it("refuses a duration over the role's maximum and a bad session name", async () => {
    const { emulator, send } = await setup({ aliyun: { maxSessionDuration: 3600 } });
    const token = await idToken(emulator, 'sts.aliyuncs.com');
    const duration = await stsError(
      assumeAliyunRole(aliyunRequest(emulator, send, token, { durationSeconds: 7200 })),
    );
    expect(duration.code).toBe('InvalidParameter.DurationSeconds');
    expect(duration.hint).toMatch(/at least 900 seconds/);
    const name = await stsError(
      assumeAliyunRole(aliyunRequest(emulator, send, token, { roleSessionName: 'a' })),
    );
    expect(name.code).toBe('InvalidParameter.RoleSessionName');
  });

  it('answers failWith to every request and failNext to the next ones only', async () => {
    const always = await setup({ aliyun: { failWith: 'Throttling.User' } });
    const token = await idToken(always.emulator, 'sts.aliyuncs.com');
    const throttled = await stsError(assumeAliyunRole(aliyunRequest(always.emulator, always.send, token)));
    expect(throttled.code).toBe('Throttling.User');
    expect(throttled.retryable).toBe(true);

    const { emulator, send } = await setup();
    emulator.failNext('aliyun', 'ServiceUnavailable', 2);
    for (let i = 0; i < 2; i++) {
      const error = await stsError(assumeAliyunRole(aliyunRequest(emulator, send, token)));
      expect(error.code).toBe('ServiceUnavailable');
      expect(error.retryable).toBe(true);
    }
    await expect(assumeAliyunRole(aliyunRequest(emulator, send, token))).resolves.toMatchObject({
      id: ALIYUN_STS_DEFAULTS.credentials.AccessKeyId,
    });
    expect(emulator.aliyunRequests.map((request) => request.status)).toEqual([503, 503, 200]);
  });

  it('refuses a signed request, an AccessKeyId, and a body that is not RFC 3986 encoded', async () => {
    const { emulator } = await setup();
    const token = await idToken(emulator, 'sts.aliyuncs.com');
    const query = `Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON&Timestamp=${encodeURIComponent(
      new Date().toISOString().slice(0, 19),
    )}Z`;
    const form = (params: Record<string, string>) =>
      Object.entries(params)
        .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
        .join('&');
    const params = {
      OIDCProviderArn: ALIYUN_STS_DEFAULTS.providerArn,
      OIDCToken: token,
      RoleArn: ALIYUN_STS_DEFAULTS.roleArn,
      RoleSessionName: 'github-x',
    };
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${emulator.url}/?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
      return { status: response.status, code: ((await response.json()) as { Code?: string }).Code };
    };
    expect(await post(form(params))).toEqual({ status: 200, code: undefined });
    expect(await post(form(params), { authorization: 'ACS3-HMAC-SHA256 Credential=x' })).toEqual({
      status: 400,
      code: 'IncompleteSignature',
    });
    expect(await post(form({ ...params, AccessKeyId: 'LTAI' }))).toEqual({
      status: 400,
      code: 'InvalidParameter',
    });
    const raw = Object.entries(params)
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    expect(await post(raw)).toEqual({ status: 400, code: 'InvalidParameter' });
  });
});

describe('an STS that cannot be reached', () => {
  it('gives a retryable StsError that says so', async () => {
    const { emulator, send } = await setup();
    const token = await idToken(emulator, 'sts.tencentcloudapi.com');
    await emulator.close();
    const tencent = await stsError(assumeTencentRole(tencentRequest(emulator, send, token)));
    expect(tencent.code).toBe('ConnectionError');
    expect(tencent.hint).toMatch(/^could not reach the STS endpoint/);
    expect(tencent.retryable).toBe(true);
    const aliyun = await stsError(assumeAliyunRole(aliyunRequest(emulator, send, token)));
    expect(aliyun.code).toBe('ConnectionError');
    expect(aliyun.retryable).toBe(true);
  });
});
