/**
 * Keyless credentials on 127.0.0.1 (docs/keyless.md): one HTTP server that plays three parts.
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
import {
  closeServer,
  createEmulatorServer,
  header,
  listenOnLoopback,
  readBody,
  sendJson,
} from '../shared/http.js';
import { ALIYUN_STS_DEFAULTS, type AliyunStsConfig, type AliyunStsRequest, aliyunSts } from './aliyun-sts.js';
import { DEFAULT_SUBJECT, githubTokenEndpoint, type TokenRequest } from './github-token.js';
import {
  TENCENT_STS_DEFAULTS,
  type TencentStsConfig,
  type TencentStsRequest,
  tencentSts,
} from './tencent-sts.js';

export { ALIYUN_STS_DEFAULTS, type AliyunStsConfig, type AliyunStsRequest } from './aliyun-sts.js';
export {
  DEFAULT_GITHUB_AUDIENCE,
  DEFAULT_SUBJECT,
  decodeIdToken,
  GITHUB_ISSUER,
  makeIdToken,
  type TokenRequest,
} from './github-token.js';
export { TENCENT_STS_DEFAULTS, type TencentStsConfig, type TencentStsRequest } from './tencent-sts.js';

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

  const handleToken = githubTokenEndpoint({ requestToken, subject, idToken: options.idToken }, tokenRequests);
  const handleTencent = tencentSts({
    config: tencent,
    expiresInSeconds,
    nextScripted: () => scripted.tencent.shift(),
    requests: tencentRequests,
  });
  const handleAliyun = aliyunSts({
    config: aliyun,
    expiresInSeconds,
    nextScripted: () => scripted.aliyun.shift(),
    requests: aliyunRequests,
  });

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
