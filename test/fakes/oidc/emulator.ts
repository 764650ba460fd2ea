/**
 * Keyless credentials on 127.0.0.1 (PROTOCOLS.md §4): one HTTP server that plays three parts.
 *
 * - `GET /token?api-version=2.0&audience=<aud>`: GitHub's ID-token endpoint. `tokenUrl` is ready for
 *   ACTIONS_ID_TOKEN_REQUEST_URL (it already holds a `?`, as @actions/core appends `&audience=…`). It checks
 *   `Authorization: Bearer <requestToken>` (401 otherwise) and answers `{"value":"<jwt>"}`, a JWT-looking token
 *   (unsigned: nothing here checks signatures) whose payload has `aud` = the requested audience (GitHub's
 *   default, the owner's URL, when none is asked for), `iss` https://token.actions.githubusercontent.com and
 *   `sub` repo:owner/repo:ref:refs/heads/main.
 * - `POST /` with X-TC-* headers: Tencent Cloud STS `AssumeRoleWithWebIdentity`. Checks, in this order: the
 *   protocol (POST /, `Authorization: SKIP`, Content-Type application/json, X-TC-Action, X-TC-Version
 *   2018-08-13, X-TC-Timestamp, X-TC-Region), then a scripted failure (`failWith`, `failNext`), then the body
 *   (a JSON object of exactly ProviderId, WebIdentityToken, RoleArn, RoleSessionName, DurationSeconds), then
 *   ProviderId (UnauthorizedOperation), the token: form, iss, aud, exp
 *   (InvalidParameter.WebIdentityTokenError), then RoleArn (InternalError.GetRoleError). Errors are answered
 *   as Tencent does: HTTP 200 with `Response.Error`.
 * - `POST /?Version=…&Action=AssumeRoleWithOIDC&…` with a form body: Alibaba Cloud STS, anonymous RPC. Checks,
 *   in this order: the protocol (POST /, the query's Action, Version, Format=JSON, Timestamp within 15 minutes,
 *   Content-Type form, query and form RFC 3986 encoded, no Authorization header, no AccessKeyId / Signature /
 *   SecurityToken parameter), then a scripted failure, then the parameters (required ones present,
 *   RoleSessionName, DurationSeconds), then OIDCProviderArn (401 AuthenticationFail.NoPermission "No such OIDC
 *   Provider registered."), the token: form, iss, aud, exp (401 AuthenticationFail.OIDCToken.*), then RoleArn
 *   (404 EntityNotExist.Role). Errors are answered as Alibaba Cloud does: HTTP 4xx/5xx with
 *   `{RequestId, HostId, Code, Message, Recommend}`.
 * Both STSs are reachable at `url` (the server tells them apart by X-TC-Action and the query string).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseJson } from '../../../src/providers/json.js';
import {
  closeServer,
  createEmulatorServer,
  flatHeaders,
  header,
  listenOnLoopback,
  readBody,
} from '../shared/http.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_SUBJECT = 'repo:owner/repo:ref:refs/heads/main';
/** What GitHub puts in `aud` when no audience is asked for: the URL of the repository owner. */
export const DEFAULT_GITHUB_AUDIENCE = 'https://github.com/owner';

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

export interface OidcEmulatorOptions {
  /** Answered by the token endpoint instead of a fresh token (to send a malformed or foreign token). */
  idToken?: string;
  /** The bearer the token endpoint accepts (ACTIONS_ID_TOKEN_REQUEST_TOKEN). Default a random one. */
  requestToken?: string;
  /** The `sub` of the tokens issued. Default repo:owner/repo:ref:refs/heads/main. */
  subject?: string;
  tencent?: Partial<TencentStsConfig>;
  aliyun?: Partial<AliyunStsConfig>;
  /** Lifetime of the STS credentials issued. Default 3600. */
  expiresInSeconds?: number;
}

export interface TokenRequest {
  audience: string | null;
  authorization: string | undefined;
}

export interface TencentStsRequest {
  headers: Record<string, string>;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  rawBody: string;
  /** The error code answered, if any. */
  errorCode?: string;
}

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

export interface OidcEmulator {
  /** The origin: Tencent STS and Alibaba STS are both `POST /` here. */
  url: string;
  /** Ready for ACTIONS_ID_TOKEN_REQUEST_URL: it already contains '?'. */
  tokenUrl: string;
  /** The bearer the token endpoint accepts (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  requestToken: string;
  tokenRequests: TokenRequest[];
  tencentRequests: TencentStsRequest[];
  aliyunRequests: AliyunStsRequest[];
  /** The next `times` requests to the service that pass the protocol checks are answered with `code`. */
  failNext(service: 'tencent' | 'aliyun', code: string, times?: number): void;
  close(): Promise<void>;
}

/** A JWT-looking token (header.payload.signature, base64url) with the given claims; the signature is random. */
export function makeIdToken(claims: Record<string, unknown>): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'emulator' };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${part(header)}.${part(claims)}.${Buffer.from(randomUUID()).toString('base64url')}`;
}

/** The payload of a JWT-looking token, or undefined when it is not three base64url parts with a JSON payload. */
export function decodeIdToken(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  const payload = parseJson(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
  return isRecord(payload) ? payload : undefined;
}

class StsFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type TokenProblem = 'invalid' | 'issuer' | 'audience' | 'expired';

/** What is wrong with a token for a provider expecting `audience`, or undefined when it is acceptable. */
function checkToken(token: string, audience: string, nowMs: number): TokenProblem | undefined {
  const claims = decodeIdToken(token);
  if (claims === undefined) return 'invalid';
  if (claims.iss !== GITHUB_ISSUER) return 'issuer';
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(audience)) return 'audience';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return 'expired';
  return undefined;
}

const TENCENT_BODY_FIELDS = [
  'ProviderId',
  'WebIdentityToken',
  'RoleArn',
  'RoleSessionName',
  'DurationSeconds',
];
const ALIYUN_ANONYMOUS_ONLY = [
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SecurityToken',
];

export async function startOidcEmulator(options: OidcEmulatorOptions = {}): Promise<OidcEmulator> {
  const tencent: TencentStsConfig = { ...TENCENT_STS_DEFAULTS, ...options.tencent };
  const aliyun: AliyunStsConfig = { ...ALIYUN_STS_DEFAULTS, ...options.aliyun };
  const requestToken = options.requestToken ?? `emulator-request-token-${randomUUID()}`;
  const subject = options.subject ?? DEFAULT_SUBJECT;
  const expiresInSeconds = options.expiresInSeconds ?? 3600;
  const scripted: Record<'tencent' | 'aliyun', string[]> = { tencent: [], aliyun: [] };
  const tokenRequests: TokenRequest[] = [];
  const tencentRequests: TencentStsRequest[] = [];
  const aliyunRequests: AliyunStsRequest[] = [];

  const scriptedFailure = (service: 'tencent' | 'aliyun', always: string | undefined): string | undefined =>
    scripted[service].shift() ?? always;

  const handleToken = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const authorization = header(req, 'authorization');
    const audience = url.searchParams.get('audience');
    tokenRequests.push({ audience, authorization });
    if (req.method !== 'GET') {
      sendJson(res, 405, { message: `Only GET is served, not ${req.method}` });
      return;
    }
    if (authorization !== `Bearer ${requestToken}`) {
      sendJson(res, 401, { message: 'Bad credentials: the bearer is not ACTIONS_ID_TOKEN_REQUEST_TOKEN' });
      return;
    }
    const nowS = Math.floor(Date.now() / 1000);
    const value =
      options.idToken ??
      makeIdToken({
        jti: randomUUID(),
        sub: subject,
        aud: audience ?? DEFAULT_GITHUB_AUDIENCE,
        ref: 'refs/heads/main',
        repository: 'owner/repo',
        repository_owner: 'owner',
        run_id: '1234567890',
        iss: GITHUB_ISSUER,
        nbf: nowS - 5,
        iat: nowS,
        exp: nowS + 300,
      });
    sendJson(res, 200, { count: 1, value });
  };

  const handleTencent = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
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

    const failure = scriptedFailure('tencent', tencent.failWith);
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

  const handleAliyun = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
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

    const failure = scriptedFailure('aliyun', aliyun.failWith);
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

  const server = createEmulatorServer('OIDC emulator', async (req, res) => {
    const raw = (await readBody(req)).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/token') return handleToken(req, res, url);
    if (url.pathname !== '/' && header(req, 'x-tc-action') === undefined && url.search === '') {
      return sendJson(res, 404, { message: `Nothing is served at ${url.pathname}` });
    }
    // Tencent STS sends its action in X-TC-Action and no query; Alibaba STS sends it in the query.
    if (header(req, 'x-tc-action') !== undefined || url.search === '') return handleTencent(req, res, raw);
    return handleAliyun(req, res, raw);
  });
  const url = await listenOnLoopback(server);
  let closed = false;
  return {
    url,
    tokenUrl: `${url}/token?api-version=2.0`,
    requestToken,
    tokenRequests,
    tencentRequests,
    aliyunRequests,
    failNext(service, code, times = 1) {
      for (let i = 0; i < times; i++) scripted[service].push(code);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await closeServer(server);
    },
  };
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

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
