/**
 * ACS3-HMAC-SHA256 checks of the Alibaba Cloud CDN emulator. The signature is recomputed from the request as
 * received with the official SDK's `getAuthorization` (`@alicloud/openapi-util`), never with the project's own
 * signer, so that the two are checked against each other.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { type AliyunEmulatorCredential, AliyunFailure } from './types.js';

// Both packages are CommonJS; require means the same under Node, tsx and vitest (see ../tencent/signature.ts).
const require = createRequire(import.meta.url);
const { default: OpenApiUtil } = require('@alicloud/openapi-util') as typeof import('@alicloud/openapi-util');
// tea-typescript is a dependency of openapi-util: resolved from there, it is the very copy the SDK uses.
const { Request: TeaRequest } = createRequire(require.resolve('@alicloud/openapi-util'))(
  '@alicloud/tea-typescript',
) as typeof import('@alicloud/tea-typescript');

const ALGORITHM = 'ACS3-HMAC-SHA256';
/** x-acs-date may be this far from the server's clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^(\S+) Credential=([^,\s]+),SignedHeaders=([^,\s]+),Signature=([0-9a-f]{64})$/;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface ReceivedRequest {
  method: string;
  /** The path as received, without the query string. */
  pathname: string;
  /** The query string decoded. */
  query: Record<string, string>;
  /** Every header as received, names lower-cased. */
  headers: Record<string, string>;
  /** The exact body bytes received. */
  body: Buffer;
}

/**
 * Checks the Authorization header of `request` and returns the credential it was signed with; throws an
 * `AliyunFailure` otherwise. Nonces are checked by the caller, once the signature is known to be good.
 */
export function verifyAcs3(
  request: ReceivedRequest,
  credentials: readonly AliyunEmulatorCredential[],
  nowMs: number,
): AliyunEmulatorCredential {
  const authorization = request.headers.authorization;
  if (!authorization) throw incomplete('The Authorization header is missing.');
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    throw incomplete(
      'The Authorization header is not "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<…>,Signature=<64 hex>".',
    );
  }
  const [, algorithm, accessKeyId = '', signedHeaders = ''] = match;
  if (algorithm !== ALGORITHM) {
    throw incomplete(`The signature algorithm ${algorithm} is not supported here: use ${ALGORITHM}.`);
  }
  const credential = credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!credential) {
    throw new AliyunFailure('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  }
  if (credential.inactive) {
    throw new AliyunFailure('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
  }

  const date = request.headers['x-acs-date'] ?? '';
  const at = ACS_DATE.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new AliyunFailure(
      'InvalidTimeStamp.Format',
      `Specified x-acs-date "${date}" is not valid: expected YYYY-MM-DDThh:mm:ssZ.`,
    );
  }
  if (Math.abs(nowMs - at) > MAX_SKEW_MS) {
    throw new AliyunFailure(
      'InvalidTimeStamp.Expired',
      `Specified time stamp or date value is expired: x-acs-date ${date} is ${Math.round(Math.abs(nowMs - at) / 1000)} s from the server time, at most ${MAX_SKEW_MS / 1000} s are allowed.`,
    );
  }

  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimed = request.headers['x-acs-content-sha256'];
  if (claimed === undefined) {
    throw incomplete('The x-acs-content-sha256 header is missing.');
  }
  if (claimed !== bodyHash) {
    throw new AliyunFailure(
      'SignatureDoesNotMatch',
      'The x-acs-content-sha256 header does not match the SHA-256 of the body received.',
    );
  }
  const expectedHeaders = Object.keys(request.headers)
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort()
    .join(';');
  if (signedHeaders !== expectedHeaders) {
    throw new AliyunFailure(
      'SignatureDoesNotMatch',
      `SignedHeaders is "${signedHeaders}"; the request carries "${expectedHeaders}" (host, content-type and every x-acs-* header must be signed).`,
    );
  }

  const tea = new TeaRequest();
  tea.method = request.method;
  tea.pathname = request.pathname;
  tea.query = request.query;
  tea.headers = request.headers;
  const expected = OpenApiUtil.getAuthorization(
    tea,
    ALGORITHM,
    bodyHash,
    accessKeyId,
    credential.accessKeySecret,
  );
  if (!sameText(expected, authorization)) {
    throw new AliyunFailure(
      'SignatureDoesNotMatch',
      'Specified signature is not matched with our calculation.',
    );
  }
  checkToken(credential, request.headers['x-acs-security-token']);
  return credential;
}

/**
 * Temporary credentials need their exact token. A permanent key with a token is refused too: it means the
 * client mixed up two sets of credentials.
 */
function checkToken(credential: AliyunEmulatorCredential, token: string | undefined): void {
  const expected = credential.securityToken;
  if (expected === undefined && token === undefined) return;
  if (expected === undefined || token === undefined || !sameText(expected, token)) {
    throw new AliyunFailure(
      'InvalidSecurityToken.MismatchWithAccessKey',
      token === undefined
        ? 'The security token is missing: temporary credentials need x-acs-security-token.'
        : 'Specified SecurityToken mismatch with the AccessKey.',
    );
  }
}

function incomplete(message: string): AliyunFailure {
  return new AliyunFailure(
    'IncompleteSignature',
    `The request signature does not conform to Aliyun standards. ${message}`,
  );
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
