/** Alibaba Cloud STS `AssumeRoleWithOIDC`, anonymous RPC (the checks and their order: see `emulator.ts`). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { flatHeaders, header, sendJson } from '../shared/http.js';
import { checkToken, decodeIdToken, type TokenProblem } from './github-token.js';
import { isoSeconds, StsFailure, type StsHandler, type StsSetup } from './sts.js';

export interface AliyunStsConfig {
  providerArn: string;
  roleArn: string;
  /** A Client ID of the OIDC provider in RAM: the token's `aud` must equal it. */
  audience: string;
  credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
  /** An error code answered to every request that passes the protocol checks. */
  failWith?: string;
  /** The role's MaxSessionDuration; DurationSeconds may not exceed it. Default 3600. */
  maxSessionDuration?: number;
}

export const ALIYUN_STS_DEFAULTS: AliyunStsConfig = {
  providerArn: 'acs:ram::1000000000000001:oidc-provider/github-actions',
  roleArn: 'acs:ram::1000000000000001:role/cdn-purge',
  audience: 'sts.aliyuncs.com',
  credentials: {
    AccessKeyId: 'STS.emulatorAccessKeyId000',
    AccessKeySecret: 'emulatorAccessKeySecret0000000000',
    SecurityToken: 'CAISemulatorSecurityToken',
  },
};

export interface AliyunStsRequest {
  headers: Record<string, string>;
  /** The query parameters, decoded. */
  query: Record<string, string>;
  /** The form parameters, decoded. */
  params: Record<string, string>;
  rawQuery: string;
  rawBody: string;
  status?: number;
  errorCode?: string;
}

const ALIYUN_ANONYMOUS_ONLY = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SecurityToken',
];

/** The handler of `POST /?Action=AssumeRoleWithOIDC&…`. */
export function aliyunSts(setup: StsSetup<AliyunStsConfig, AliyunStsRequest>): StsHandler {
  const { config: aliyun, expiresInSeconds, nextScripted, requests: aliyunRequests } = setup;
  const handleAliyun: StsHandler = (req, res, raw) => {
    const rawQuery = (req.url ?? '').split('?').slice(1).join('?');
    const record: AliyunStsRequest = {
      headers: flatHeaders(req),
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      params: Object.fromEntries(new URLSearchParams(raw)),
      rawQuery,
      rawBody: raw,
    };
    aliyunRequests.push(record);
    const requestId = randomUUID().toUpperCase();
    try {
      const answer = aliyunAction(req, record);
      record.status = 200;
      sendJson(res, 200, { RequestId: requestId, ...answer });
    } catch (error) {
      if (!(error instanceof StsFailure)) throw error;
      record.status = error.status;
      record.errorCode = error.code;
      sendJson(res, error.status, {
        RequestId: requestId,
        HostId: 'sts.aliyuncs.com',
        Code: error.code,
        Message: error.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${error.code}&product=Sts`,
      });
    }
  };

  const aliyunAction = (req: IncomingMessage, record: AliyunStsRequest): Record<string, unknown> => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/') {
      throw new StsFailure('UnsupportedHTTPMethod', `Only POST / is served, not ${req.method} ${path}.`);
    }
    const { query, params } = record;
    if (query.Action !== 'AssumeRoleWithOIDC') {
      throw new StsFailure(
        'InvalidAction.NotFound',
        `Specified api ${query.Action ?? '(missing)'} is not found.`,
        404,
      );
    }
    if (query.Version !== '2015-04-01') {
      throw new StsFailure(
        'InvalidVersion',
        `Specified parameter Version ${query.Version ?? '(missing)'} is not valid.`,
      );
    }
    if (query.Format !== 'JSON') throw new StsFailure('InvalidParameter.Format', 'Format must be JSON here.');
    const timestamp = query.Timestamp ?? '';
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp)) {
      throw new StsFailure('InvalidTimeStamp.Format', `Specified time stamp "${timestamp}" is not valid.`);
    }
    if (Math.abs(Date.parse(timestamp) - Date.now()) > 15 * 60_000) {
      throw new StsFailure('InvalidTimeStamp.Expired', `Specified time stamp "${timestamp}" has expired.`);
    }
    if (
      header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded'
    ) {
      throw new StsFailure('InvalidParameter', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    for (const [what, text] of [
      ['query', record.rawQuery],
      ['form body', record.rawBody],
    ] as const) {
      if (!isRfc3986Pairs(text))
        throw new StsFailure('InvalidParameter', `The ${what} is not RFC 3986 encoded.`);
    }
    if (header(req, 'authorization') !== undefined) {
      throw new StsFailure(
        'IncompleteSignature',
        'AssumeRoleWithOIDC is anonymous: send no Authorization header.',
      );
    }
    const credential = ALIYUN_ANONYMOUS_ONLY.find((name) => name in query || name in params);
    if (credential !== undefined) {
      throw new StsFailure(
        'InvalidParameter',
        `AssumeRoleWithOIDC is anonymous: ${credential} is not expected.`,
      );
    }

    const failure = nextScripted() ?? aliyun.failWith;
    if (failure !== undefined) throw new StsFailure(failure, `${failure} (emulated).`, aliyunStatus(failure));

    for (const name of ['OIDCProviderArn', 'OIDCToken', 'RoleArn', 'RoleSessionName']) {
      if (!params[name]) throw new StsFailure(`Missing${name}`, `${name} is mandatory for this action.`);
    }
    const sessionName = params.RoleSessionName ?? '';
    if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
      throw new StsFailure(
        'InvalidParameter.RoleSessionName',
        'The parameter RoleSessionName is wrongly formed.',
      );
    }
    const maxDuration = aliyun.maxSessionDuration ?? 3600;
    const duration = params.DurationSeconds === undefined ? 3600 : Number(params.DurationSeconds);
    if (!/^\d+$/.test(params.DurationSeconds ?? '3600') || duration < 900 || duration > maxDuration) {
      throw new StsFailure(
        'InvalidParameter.DurationSeconds',
        `The Min/Max value of DurationSeconds is 15min/${maxDuration}s.`,
      );
    }
    if (params.OIDCProviderArn !== aliyun.providerArn) {
      throw new StsFailure('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.', 401);
    }
    const problem = checkToken(params.OIDCToken ?? '', aliyun.audience, Date.now());
    if (problem !== undefined) {
      const failures: Record<TokenProblem, [string, string]> = {
        invalid: [
          'AuthenticationFail.OIDCToken.Invalid',
          'The Jwt content is invalid that cannot be recognized.',
        ],
        issuer: ['AuthenticationFail.OIDCToken.IssuerNotMatch', 'Invalid issuer.'],
        audience: ['AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.'],
        expired: ['AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.'],
      };
      const [code, message] = failures[problem];
      throw new StsFailure(code, message, 401);
    }
    if (params.RoleArn !== aliyun.roleArn) {
      throw new StsFailure('EntityNotExist.Role', `The role not exists: ${params.RoleArn}`, 404);
    }
    const claims = decodeIdToken(params.OIDCToken ?? '') ?? {};
    return {
      Credentials: {
        ...aliyun.credentials,
        Expiration: isoSeconds(Date.now() + expiresInSeconds * 1000),
      },
      AssumedRoleUser: {
        Arn: `${aliyun.roleArn}/${sessionName}`,
        AssumedRoleId: `300000000000000001:${sessionName}`,
      },
      OIDCTokenInfo: { Subject: claims.sub, Issuer: claims.iss, ClientIds: aliyun.audience },
      SourceIdentity: '',
    };
  };
  return handleAliyun;
}

/** The HTTP status Alibaba Cloud STS answers an error code with. */
function aliyunStatus(code: string): number {
  if (code.startsWith('AuthenticationFail')) return 401;
  if (code.startsWith('EntityNotExist') || code.startsWith('InvalidAction')) return 404;
  if (code.startsWith('Throttling')) return 400;
  if (code === 'ServiceUnavailable') return 503;
  if (code.startsWith('InternalError')) return 500;
  return 400;
}

/** `k=v&…` where names and values hold only unreserved characters and %XX escapes (upper-case hex). */
function isRfc3986Pairs(text: string): boolean {
  if (text === '') return true;
  const piece = '(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})';
  return new RegExp(`^${piece}+=${piece}*(?:&${piece}+=${piece}*)*$`).test(text);
}
