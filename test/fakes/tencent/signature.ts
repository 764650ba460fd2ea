import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type SignModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { ApiFailure } from '../shared/api-failure.js';
import type { EmulatorCredential } from '../tencent/credentials.js';

// sign.js is CommonJS with `exports.default = Sign`. A default import gives `module.exports` under Node and tsx
// but the class itself under vitest's interop, so it is loaded with require, which means the same everywhere.
const require = createRequire(import.meta.url);
const { default: Sign } =
  require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js') as typeof SignModule;

/** The Tencent Cloud API 3.0 services emulated here; the name is part of the signature's credential scope. */
export type TencentServiceName = 'cdn' | 'teo';
/** What the official SDK signs; Tencent's demos also sign x-tc-action, which this emulator does not accept. */
const SIGNED_HEADERS = 'content-type;host';
const MAX_SKEW_SECONDS = 300;

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export interface SignedRequest {
  /** The Host header as received (a port, if any, is left out of the signature, as the SDK does). */
  host: string;
  /** The Content-Type header as received. */
  contentType: string;
  authorization: string | undefined;
  /** X-TC-Timestamp, already checked to be an integer. */
  timestamp: number;
  token: string | undefined;
  /** The exact body bytes received. */
  body: Buffer;
}

/**
 * Checks a TC3-HMAC-SHA256 Authorization header signed for `service` by recomputing it with the official SDK's
 * `Sign.sign3`, and returns the credential it was signed with; throws an `AuthFailure.*` `ApiFailure` otherwise.
 */
export function verifySignature(
  request: SignedRequest,
  credentials: readonly EmulatorCredential[],
  nowMs: number,
  service: TencentServiceName,
): EmulatorCredential {
  if (!request.authorization) {
    throw new ApiFailure('AuthFailure.InvalidAuthorization', 'The Authorization header is missing.');
  }
  const match = AUTHORIZATION.exec(request.authorization);
  if (!match) {
    throw new ApiFailure(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is not "TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=…, Signature=<64 hex>".',
    );
  }
  const [, secretId = '', , scopeService, signedHeaders] = match;
  const credential = credentials.find((candidate) => candidate.secretId === secretId);
  if (!credential) {
    throw new ApiFailure(
      'AuthFailure.SecretIdNotFound',
      `The SecretId ${secretId} is not known to the emulator.`,
    );
  }
  const skew = Math.abs(Math.floor(nowMs / 1000) - request.timestamp);
  if (skew > MAX_SKEW_SECONDS) {
    throw new ApiFailure(
      'AuthFailure.SignatureExpire',
      `Signature expired: X-TC-Timestamp ${request.timestamp} is ${skew} s away from the server time; at most ${MAX_SKEW_SECONDS} s are allowed.`,
    );
  }
  if (scopeService !== service) {
    throw new ApiFailure(
      'AuthFailure.SignatureFailure',
      `The credential scope names the service "${scopeService}"; this endpoint is "${service}".`,
    );
  }
  if (signedHeaders !== SIGNED_HEADERS) {
    throw new ApiFailure(
      'AuthFailure.SignatureFailure',
      `SignedHeaders is "${signedHeaders}"; the emulator checks "${SIGNED_HEADERS}" only, as the official SDK signs.`,
    );
  }
  const expected = Sign.sign3({
    method: 'POST',
    url: `http://${request.host}/`,
    payload: request.body,
    timestamp: request.timestamp,
    service,
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': request.contentType },
  });
  if (!sameText(expected, request.authorization)) {
    throw new ApiFailure(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated. Please check your signature is correct.',
    );
  }
  checkToken(credential, request.token);
  return credential;
}

/**
 * Temporary credentials need their exact X-TC-Token. A permanent key with a token is refused too: it means the
 * client mixed up two sets of credentials.
 */
function checkToken(credential: EmulatorCredential, token: string | undefined): void {
  if (credential.token === undefined) {
    if (token !== undefined) {
      throw new ApiFailure('AuthFailure.TokenFailure', 'X-TC-Token was sent with a permanent key.');
    }
    return;
  }
  if (token === undefined) {
    throw new ApiFailure('AuthFailure.TokenFailure', 'Temporary credentials need the X-TC-Token header.');
  }
  if (!sameText(token, credential.token)) {
    throw new ApiFailure('AuthFailure.TokenFailure', 'X-TC-Token does not belong to this SecretId.');
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
