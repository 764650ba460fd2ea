/** Tencent Cloud STS `AssumeRoleWithWebIdentity` (the checks and their order: see `emulator.ts`). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isRecord, parseJson } from '../../../src/providers/json.js';
import { flatHeaders, header, sendJson } from '../shared/http.js';
import { checkToken, type TokenProblem } from './github-token.js';
import { isoSeconds, StsFailure, type StsHandler, type StsSetup } from './sts.js';

export interface TencentStsConfig {
  /** The identity provider's name in CAM. */
  providerId: string;
  roleArn: string;
  /** The IdP's Client ID in CAM: the token's `aud` must equal it. */
  audience: string;
  credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string };
  /** An error code answered to every request that passes the protocol checks. */
  failWith?: string;
}

export const TENCENT_STS_DEFAULTS: TencentStsConfig = {
  providerId: 'github-actions',
  roleArn: 'qcs::cam::uin/100000000001:roleName/cdn-purge',
  audience: 'sts.tencentcloudapi.com',
  credentials: {
    TmpSecretId: 'AKIDtmpEmulatorSecretId0000000000',
    TmpSecretKey: 'tmpEmulatorSecretKey000000000000',
    Token: 'tmp-emulator-session-token',
  },
};

export interface TencentStsRequest {
  headers: Record<string, string>;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  rawBody: string;
  /** The error code answered, if any. */
  errorCode?: string;
}

const TENCENT_BODY_FIELDS = [
  'ProviderId',
  'WebIdentityToken',
  'RoleArn',
  'RoleSessionName',
  'DurationSeconds',
];

/** The handler of `POST /` with X-TC-* headers. */
export function tencentSts(setup: StsSetup<TencentStsConfig, TencentStsRequest>): StsHandler {
  const { config: tencent, expiresInSeconds, nextScripted, requests: tencentRequests } = setup;
  const handleTencent: StsHandler = (req, res, raw) => {
    const record: TencentStsRequest = { headers: flatHeaders(req), body: parseJson(raw), rawBody: raw };
    tencentRequests.push(record);
    const requestId = randomUUID();
    try {
      const response = tencentAction(req, record.body);
      sendJson(res, 200, { Response: { ...response, RequestId: requestId } });
    } catch (error) {
      if (!(error instanceof StsFailure)) throw error;
      record.errorCode = error.code;
      sendJson(res, 200, {
        Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId },
      });
    }
  };

  const tencentAction = (req: IncomingMessage, body: unknown): Record<string, unknown> => {
    if (req.method !== 'POST' || req.url !== '/') {
      throw new StsFailure('UnsupportedProtocol', `Only POST / is served, not ${req.method} ${req.url}.`);
    }
    if (header(req, 'authorization') !== 'SKIP') {
      throw new StsFailure(
        'AuthFailure.InvalidAuthorization',
        'AssumeRoleWithWebIdentity is not signed: Authorization must be SKIP.',
      );
    }
    if (header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
      throw new StsFailure('UnsupportedOperation', 'Content-Type must be application/json.');
    }
    const action = header(req, 'x-tc-action');
    if (action !== 'AssumeRoleWithWebIdentity') {
      throw new StsFailure('InvalidAction', `The action ${action ?? '(missing)'} is not served here.`);
    }
    const version = header(req, 'x-tc-version');
    if (version !== '2018-08-13') {
      throw new StsFailure(
        'NoSuchVersion',
        `The API version ${version ?? '(missing)'} does not exist for sts.`,
      );
    }
    if (!/^\d{1,12}$/.test(header(req, 'x-tc-timestamp') ?? '')) {
      throw new StsFailure('MissingParameter', 'X-TC-Timestamp must be Unix time in seconds.');
    }
    if (!header(req, 'x-tc-region'))
      throw new StsFailure('MissingParameter', 'The X-TC-Region header is missing.');

    const failure = nextScripted() ?? tencent.failWith;
    if (failure !== undefined) throw new StsFailure(failure, `${failure} (emulated).`);

    if (!isRecord(body)) throw new StsFailure('InvalidParameter', 'The request body is not a JSON object.');
    const fields = body;
    const unknown = Object.keys(fields).find((name) => !TENCENT_BODY_FIELDS.includes(name));
    if (unknown !== undefined)
      throw new StsFailure('UnknownParameter', `The parameter ${unknown} is not known.`);
    for (const name of TENCENT_BODY_FIELDS.slice(0, 4)) {
      if (typeof fields[name] !== 'string' || fields[name] === '') {
        throw new StsFailure('MissingParameter', `The parameter ${name} is missing or not a string.`);
      }
    }
    const [ProviderId, WebIdentityToken, RoleArn, RoleSessionName] = TENCENT_BODY_FIELDS.slice(0, 4).map(
      (name) => String(fields[name]),
    ) as [string, string, string, string];
    if (!/^[\w+=,.@-]{2,128}$/.test(RoleSessionName)) {
      throw new StsFailure('InvalidParameterValue', `RoleSessionName "${RoleSessionName}" is not valid.`);
    }
    const duration = fields.DurationSeconds;
    if (
      duration !== undefined &&
      !(typeof duration === 'number' && Number.isInteger(duration) && duration >= 1 && duration <= 43200)
    ) {
      throw new StsFailure('InvalidParameterValue', 'DurationSeconds must be an integer up to 43200.');
    }
    if (ProviderId !== tencent.providerId) {
      throw new StsFailure(
        'UnauthorizedOperation',
        `The role does not trust the identity provider ${ProviderId}.`,
      );
    }
    const problem = checkToken(WebIdentityToken, tencent.audience, Date.now());
    if (problem !== undefined) {
      const why: Record<TokenProblem, string> = {
        invalid: 'the token is not a JWT',
        issuer: 'the issuer does not match the identity provider',
        audience: "the audience does not match the identity provider's Client ID",
        expired: 'the token expired',
      };
      throw new StsFailure(
        'InvalidParameter.WebIdentityTokenError',
        `WebIdentityToken error: ${why[problem]}.`,
      );
    }
    if (RoleArn !== tencent.roleArn)
      throw new StsFailure('InternalError.GetRoleError', 'Failed to get the role.');
    const expiredTime = Math.floor(Date.now() / 1000) + expiresInSeconds;
    return {
      Credentials: { ...tencent.credentials },
      ExpiredTime: expiredTime,
      Expiration: isoSeconds(expiredTime * 1000),
    };
  };
  return handleTencent;
}
