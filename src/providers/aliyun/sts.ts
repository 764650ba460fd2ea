/**
 * Alibaba Cloud STS `AssumeRoleWithOIDC` (docs/keyless.md#alibaba-sts): exchanges GitHub's OIDC ID token for temporary
 * credentials of a RAM role. The call is anonymous RPC: no AccessKeyId, no signature.
 */

import { StsError } from '../../errors.js';
import { excerpt, rfc3986 } from '../../text.js';
import { isRecord, parseJson } from '../json.js';
import type {
  AssumeRoleRequest,
  CredentialVariables,
  KeylessRules,
  TemporaryCredentials,
} from '../provider.js';
import { credentialsOfAnswer, sendOrStsError, stringField } from '../sts.js';
import { acsDate } from './acs3.js';

export const ALIYUN_STS = { version: '2015-04-01', host: 'sts.aliyuncs.com' };

/** Every Alibaba Cloud API host: CDN and STS, global and regional (docs/aliyun-api.md, docs/keyless.md). */
/** The STS's hosts: not every host under aliyuncs.com, which holds customers' own (OSS buckets, log projects). */
export const ALIYUN_STS_HOSTS = [
  'sts.aliyuncs.com',
  'sts.<region>.aliyuncs.com',
  'sts-vpc.<region>.aliyuncs.com',
];

/** The variables Alibaba Cloud's own tools read the credentials from. */
export const ALIYUN_CREDENTIAL_VARIABLES: CredentialVariables = {
  id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
  key: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  token: 'ALIBABA_CLOUD_SECURITY_TOKEN',
};

/** Keyless credentials for a RAM role (docs/keyless.md#alibaba-sts). */
export const ALIYUN_KEYLESS: KeylessRules = {
  role: /^acs:ram::\d+:role\/[\w.@-]{1,64}$/,
  roleExample: 'acs:ram::1234567890123456:role/github-deploy',
  identityProvider: /^acs:ram::\d+:oidc-provider\/[\w.-]{1,128}$/,
  identityProviderAccepted:
    'the ARN of the OIDC provider in RAM, such as acs:ram::1234567890123456:oidc-provider/github',
  audience: 'sts.aliyuncs.com',
  // One STS endpoint for every account: the site does not change it.
  stsEndpoint: () => new URL(`https://${ALIYUN_STS.host}/`),
  stsHosts: ALIYUN_STS_HOSTS,
  assumeRole: (request, identity) =>
    assumeAliyunRole({ ...request, oidcProviderArn: identity.provider, oidcToken: identity.token }),
};

export interface AliyunAssumeRequest extends AssumeRoleRequest {
  /** `acs:ram::<uid>:oidc-provider/<name>` */
  oidcProviderArn: string;
  oidcToken: string;
}

const CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Sends one `AssumeRoleWithOIDC` and returns the credentials, or throws an StsError with a hint. The query
 * holds Version, Action, Format and Timestamp in that order; the form body holds OIDCProviderArn, OIDCToken,
 * RoleArn, RoleSessionName and DurationSeconds in that order (the order of the official credentials SDK, not
 * sorted: nothing is signed). Names and values are RFC 3986 encoded.
 */
export async function assumeAliyunRole(request: AliyunAssumeRequest): Promise<TemporaryCredentials> {
  const query = encodePairs([
    ['Version', ALIYUN_STS.version],
    ['Action', 'AssumeRoleWithOIDC'],
    ['Format', 'JSON'],
    ['Timestamp', acsDate(request.now())],
  ]);
  const body = encodePairs([
    ['OIDCProviderArn', request.oidcProviderArn],
    ['OIDCToken', request.oidcToken],
    ['RoleArn', request.roleArn],
    ['RoleSessionName', request.roleSessionName],
    ['DurationSeconds', String(request.durationSeconds)],
  ]);
  const url = new URL(`/?${query}`, request.endpoint);
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPE };
  const response = await sendOrStsError(
    () => request.send({ url, headers, body, timeoutMs: request.timeoutMs }),
    url,
    'Alibaba Cloud STS',
  );
  return parseAliyunStsResponse(response.status, response.body);
}

function encodePairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`).join('&');
}

/**
 * Parses an `AssumeRoleWithOIDC` answer: success is HTTP 200 with `Credentials`; errors come as HTTP 4xx/5xx
 * with `{RequestId, Code, Message}`. A success body is never quoted in an error, as it may hold part of the
 * credentials.
 */
export function parseAliyunStsResponse(status: number, text: string): TemporaryCredentials {
  const answer = parseJson(text);
  const requestId = isRecord(answer) ? stringField(answer, 'RequestId') : undefined;
  if (status < 200 || status >= 300) {
    const code = isRecord(answer) ? stringField(answer, 'Code') : undefined;
    if (code !== undefined && isRecord(answer)) {
      const message = stringField(answer, 'Message') ?? `HTTP ${status}`;
      throw new StsError(
        code,
        `${code}: ${message}`,
        aliyunStsHint(code, message),
        requestId,
        isRetryableAliyunStsError(code, status),
      );
    }
    const retryable = status >= 500 || status === 429;
    throw new StsError(
      `HTTP${status}`,
      `HTTP${status}: the answer has no error code: ${excerpt(text)}`,
      retryable
        ? 'a temporary failure at Alibaba Cloud STS or a gateway in front of it'
        : 'the endpoint did not answer like Alibaba Cloud STS: check the STS endpoint',
      requestId,
      retryable,
    );
  }
  const credentials = isRecord(answer) && isRecord(answer.Credentials) ? answer.Credentials : {};
  const expiration = stringField(credentials, 'Expiration');
  const expiresAt = expiration === undefined ? Number.NaN : Date.parse(expiration);
  return credentialsOfAnswer(
    {
      id: { value: stringField(credentials, 'AccessKeyId'), field: 'Credentials.AccessKeyId' },
      secret: { value: stringField(credentials, 'AccessKeySecret'), field: 'Credentials.AccessKeySecret' },
      token: { value: stringField(credentials, 'SecurityToken'), field: 'Credentials.SecurityToken' },
      expiresAt: {
        value: Number.isFinite(expiresAt) ? expiresAt : undefined,
        field: 'a valid Credentials.Expiration',
      },
    },
    { action: 'AssumeRoleWithOIDC', cloud: 'Alibaba Cloud', requestId },
  );
}

const RETRY_CODES = new Set(['InternalError', 'ServiceUnavailable', 'ServiceBusy', 'TooManyRequests']);

/** Throttling and transient failures at the STS. */
export function isRetryableAliyunStsError(code: string, status: number): boolean {
  if (code.startsWith('Throttling') || RETRY_CODES.has(code)) return true;
  return status >= 500 || status === 429;
}

/**
 * The likely cause of an `AssumeRoleWithOIDC` error, in plain words. The message matters for
 * `AuthenticationFail.NoPermission`, which also says "No such OIDC Provider registered." for a wrong provider
 * ARN.
 */
export function aliyunStsHint(code: string, message = ''): string {
  switch (code) {
    case 'AuthenticationFail.OIDCToken.AudienceNotMatch':
      return 'the audience input must equal a Client ID of the OIDC provider in RAM (default sts.aliyuncs.com)';
    case 'AuthenticationFail.OIDCToken.IssuerNotMatch':
      return "the OIDC provider's issuer URL in RAM must be https://token.actions.githubusercontent.com";
    case 'AuthenticationFail.OIDCToken.Expired':
      return "GitHub's ID token expired before it reached STS: check the runner's clock";
    case 'AuthenticationFail.OIDCToken.Invalid':
      return "the ID token is malformed or empty: it must be GitHub's ID token as issued";
    case 'AuthenticationFail.OIDCToken.InvalidSignature':
    case 'AuthenticationFail.OIDCToken.HttpsUrlInvalid':
      return (
        "the ID token's signature could not be verified: check the OIDC provider's issuer URL " +
        '(https://token.actions.githubusercontent.com) and fingerprint in RAM'
      );
    case 'AuthenticationFail.NoPermission':
      if (/oidc\s*provider/i.test(message)) {
        return 'the OIDC provider ARN is wrong: it reads acs:ram::<account id>:oidc-provider/<provider name>';
      }
      return (
        "the role's trust policy does not allow this OIDC provider, or its conditions on oidc:sub / oidc:aud " +
        'do not match this repository and ref'
      );
    case 'EntityNotExist.Role':
      return 'the role ARN is wrong or the role does not exist: it reads acs:ram::<account id>:role/<role name>';
    case 'EntityNotExist.OIDCProvider':
      return 'the OIDC provider ARN is wrong: it reads acs:ram::<account id>:oidc-provider/<provider name>';
    case 'InvalidParameter.DurationSeconds':
      return "the duration must be at least 900 seconds and at most the role's maximum session duration";
    case 'InvalidParameter.RoleSessionName':
      return 'the session name must be 2–64 characters of A-Z a-z 0-9 . @ _ -';
  }
  if (code.startsWith('Throttling') || code === 'TooManyRequests') {
    return 'too many requests to Alibaba Cloud STS: a later attempt may succeed';
  }
  if (RETRY_CODES.has(code)) return 'a temporary failure at Alibaba Cloud STS: a later attempt may succeed';
  if (code.startsWith('EntityNotExist')) {
    return 'the OIDC provider or the role does not exist: check the oidc-provider ARN and role ARN inputs';
  }
  if (code.startsWith('AuthenticationFail.OIDCToken')) {
    return "GitHub's ID token was refused: check the OIDC provider's issuer URL and Client IDs in RAM";
  }
  if (code.startsWith('InvalidParameter') || code.startsWith('Missing')) {
    return (
      'a parameter was refused: check the role ARN (acs:ram::<account id>:role/<role>) and the OIDC provider ARN ' +
      '(acs:ram::<account id>:oidc-provider/<name>)'
    );
  }
  return 'Alibaba Cloud STS refused the request';
}
