/**
 * Tencent Cloud STS `AssumeRoleWithWebIdentity` (docs/keyless.md#tencent-sts): exchanges GitHub's OIDC ID token for
 * temporary credentials of a CAM role. The request is not signed (`Authorization: SKIP`), as the official SDK
 * sends it (`skipSign: true`).
 */

import { StsError } from '../../errors.js';
import { excerpt } from '../../text.js';
import { isRecord, parseJson } from '../json.js';
import type {
  AssumeRoleRequest,
  CredentialVariables,
  KeylessRules,
  TemporaryCredentials,
} from '../provider.js';
import { credentialsOfAnswer, sendOrStsError, stringField } from '../sts.js';

export const TENCENT_STS = {
  version: '2018-08-13',
  host: 'sts.tencentcloudapi.com',
  intlHost: 'sts.intl.tencentcloudapi.com',
  region: 'ap-guangzhou',
};

/** Every Tencent Cloud API 3.0 host, CDN, EdgeOne and STS, china and intl sites (docs/tencent-api.md). */
export const TENCENT_API_HOSTS = ['*.tencentcloudapi.com'];

/** The variables Tencent Cloud's own tools read the credentials from. */
export const TENCENT_CREDENTIAL_VARIABLES: CredentialVariables = {
  id: 'TENCENTCLOUD_SECRET_ID',
  key: 'TENCENTCLOUD_SECRET_KEY',
  token: 'TENCENTCLOUD_SESSION_TOKEN',
};

/** Keyless credentials for a CAM role (docs/keyless.md#tencent-sts). */
export const TENCENT_KEYLESS: KeylessRules = {
  role: /^qcs::cam::uin\/\d+:roleName\/[\w+=,.@-]{1,128}$/,
  roleExample: 'qcs::cam::uin/100000000001:roleName/github-deploy',
  identityProvider: /^[\w.-]{1,128}$/,
  identityProviderAccepted: 'the name of the OIDC identity provider in CAM, such as github-actions',
  audience: 'sts.tencentcloudapi.com',
  stsEndpoint: (site) => new URL(`https://${site === 'intl' ? TENCENT_STS.intlHost : TENCENT_STS.host}/`),
  stsHosts: TENCENT_API_HOSTS,
  assumeRole: (request, identity) =>
    assumeTencentRole({ ...request, providerId: identity.provider, webIdentityToken: identity.token }),
};

export interface TencentAssumeRequest extends AssumeRoleRequest {
  /** The identity provider's name in CAM (the `oidc-provider` input). */
  providerId: string;
  webIdentityToken: string;
}

const ACTION = 'AssumeRoleWithWebIdentity';
const CONTENT_TYPE = 'application/json';

/** Sends one `AssumeRoleWithWebIdentity` and returns the credentials, or throws an StsError with a hint. */
export async function assumeTencentRole(request: TencentAssumeRequest): Promise<TemporaryCredentials> {
  const body = JSON.stringify({
    ProviderId: request.providerId,
    WebIdentityToken: request.webIdentityToken,
    RoleArn: request.roleArn,
    RoleSessionName: request.roleSessionName,
    DurationSeconds: request.durationSeconds,
  });
  const headers: Record<string, string> = {
    // The host name without a port, set explicitly as for the signed API 3.0 calls (api.ts).
    host: request.endpoint.hostname,
    'content-type': CONTENT_TYPE,
    authorization: 'SKIP',
    'x-tc-action': ACTION,
    'x-tc-version': TENCENT_STS.version,
    'x-tc-timestamp': String(Math.floor(request.now() / 1000)),
    'x-tc-region': TENCENT_STS.region,
  };
  const url = new URL('/', request.endpoint);
  const response = await sendOrStsError(
    () => request.send({ url, headers, body, timeoutMs: request.timeoutMs }),
    url,
    'Tencent Cloud STS',
  );
  return parseTencentStsResponse(response.status, response.body);
}

/**
 * Parses the API 3.0 envelope of an `AssumeRoleWithWebIdentity` answer. Errors arrive with HTTP 200 inside
 * `Response.Error`. A success body is never quoted in an error, as it may hold part of the credentials.
 */
export function parseTencentStsResponse(status: number, text: string): TemporaryCredentials {
  const envelope = parseJson(text);
  const inner = isRecord(envelope) ? envelope.Response : undefined;
  if (!isRecord(inner)) {
    const retryable = status >= 500 || status === 429;
    throw new StsError(
      `HTTP${status}`,
      // A 2xx body is never quoted: whatever it is, it may hold credentials.
      `HTTP${status}: the answer has no Tencent Cloud API Response object${status >= 200 && status < 300 ? '' : `: ${excerpt(text)}`}`,
      retryable
        ? 'a temporary failure at Tencent Cloud STS or a gateway in front of it'
        : 'the endpoint did not answer like Tencent Cloud STS: check the STS endpoint',
      undefined,
      retryable,
    );
  }
  const requestId = stringField(inner, 'RequestId');
  if (isRecord(inner.Error)) {
    const code = String(inner.Error.Code ?? 'UnknownError');
    const message = String(inner.Error.Message ?? '');
    throw new StsError(
      code,
      `${code}: ${message}`,
      tencentStsHint(code),
      requestId,
      isRetryableTencentStsError(code),
    );
  }
  if (status !== 200) {
    const retryable = status >= 500 || status === 429;
    throw new StsError(
      `HTTP${status}`,
      `HTTP${status}: the answer has no error code`,
      retryable ? 'a temporary failure at Tencent Cloud STS' : 'Tencent Cloud STS refused the request',
      requestId,
      retryable,
    );
  }
  const credentials = isRecord(inner.Credentials) ? inner.Credentials : {};
  return credentialsOfAnswer(
    {
      id: { value: stringField(credentials, 'TmpSecretId'), field: 'Credentials.TmpSecretId' },
      secret: { value: stringField(credentials, 'TmpSecretKey'), field: 'Credentials.TmpSecretKey' },
      token: { value: stringField(credentials, 'Token'), field: 'Credentials.Token' },
      expiresAt: { value: tencentExpiry(inner), field: 'ExpiredTime' },
    },
    { action: 'AssumeRoleWithWebIdentity', cloud: 'Tencent Cloud', requestId },
  );
}

/** ExpiredTime (Unix seconds), else Expiration (ISO 8601), in Unix ms. */
function tencentExpiry(inner: Record<string, unknown>): number | undefined {
  const seconds = inner.ExpiredTime;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const iso = stringField(inner, 'Expiration');
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Throttling and transient failures at the STS; `InternalError.GetRoleError` / `IllegalRole` are final. */
export function isRetryableTencentStsError(code: string): boolean {
  if (code === 'InternalError.GetRoleError' || code === 'InternalError.IllegalRole') return false;
  return (
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('InternalError') ||
    code === 'ServiceUnavailable' ||
    code === 'LimitExceeded.RateLimitExceeded'
  );
}

/** The likely cause of an `AssumeRoleWithWebIdentity` error code, in plain words. */
export function tencentStsHint(code: string): string {
  if (code === 'InvalidParameter.WebIdentityTokenError') {
    return (
      "GitHub's ID token was refused: check that the audience input equals the Client ID registered for the " +
      "identity provider in CAM, and that the conditions of the role's trust policy (oidc:iss, oidc:aud, " +
      'oidc:sub) match this repository and ref, and that the signing key CAM holds for it is the current JWKS ' +
      'of https://token.actions.githubusercontent.com'
    );
  }
  if (
    code === 'InternalError.GetRoleError' ||
    code === 'InternalError.IllegalRole' ||
    (code.startsWith('ResourceNotFound') && code.includes('Role'))
  ) {
    return 'the role ARN is wrong or the role does not exist: it reads qcs::cam::uin/<account uin>:roleName/<role name>';
  }
  if (code.startsWith('UnauthorizedOperation')) {
    return (
      "the role's trust policy does not allow this identity provider: the oidc-provider input must equal the " +
      'name of the identity provider in CAM, and the role must trust that provider for sts:AssumeRoleWithWebIdentity'
    );
  }
  if (code.startsWith('RequestLimitExceeded') || code === 'LimitExceeded.RateLimitExceeded') {
    return 'too many requests to Tencent Cloud STS: a later attempt may succeed';
  }
  if (code.startsWith('InternalError') || code === 'ServiceUnavailable') {
    return 'a temporary failure at Tencent Cloud STS: a later attempt may succeed';
  }
  if (code.startsWith('ResourceNotFound')) {
    return 'the identity provider or the role does not exist: check the oidc-provider and role ARN inputs';
  }
  if (code.startsWith('InvalidParameter') || code.startsWith('MissingParameter')) {
    return (
      'a parameter was refused: check the role ARN (qcs::cam::uin/<uin>:roleName/<role>), the oidc-provider ' +
      "name, the session name ([\\w+=,.@-], 2–128 characters), and that the duration is at most the role's " +
      'maximum session duration (43200 seconds at most)'
    );
  }
  if (code.startsWith('AuthFailure')) {
    return 'the request was refused as unauthenticated: check that the STS endpoint is Tencent Cloud STS';
  }
  return 'Tencent Cloud STS refused the request';
}
