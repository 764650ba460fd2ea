/** GitHub's ID-token endpoint and the JWT-looking tokens it issues (unsigned: nothing here checks signatures). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, parseJson } from '../../../src/providers/json.js';
import { header, sendJson } from '../shared/http.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_SUBJECT = 'repo:owner/repo:ref:refs/heads/main';
/** What GitHub puts in `aud` when no audience is asked for: the URL of the repository owner. */
export const DEFAULT_GITHUB_AUDIENCE = 'https://github.com/owner';

export interface TokenRequest {
  audience: string | null;
  authorization: string | undefined;
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

export type TokenProblem = 'invalid' | 'issuer' | 'audience' | 'expired';

/** What is wrong with a token for a provider expecting `audience`, or undefined when it is acceptable. */
export function checkToken(token: string, audience: string, nowMs: number): TokenProblem | undefined {
  const claims = decodeIdToken(token);
  if (claims === undefined) return 'invalid';
  if (claims.iss !== GITHUB_ISSUER) return 'issuer';
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(audience)) return 'audience';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return 'expired';
  return undefined;
}

export interface TokenEndpointSettings {
  requestToken: string;
  subject: string;
  /** Answered instead of a fresh token. */
  idToken: string | undefined;
}

/** `GET /token?api-version=2.0&audience=<aud>`, answered as GitHub does; every request is kept in `tokenRequests`. */
export function githubTokenEndpoint(
  { requestToken, subject, idToken }: TokenEndpointSettings,
  tokenRequests: TokenRequest[],
): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
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
      idToken ??
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
  return handleToken;
}
