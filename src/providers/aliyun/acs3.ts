import { createHash, createHmac } from 'node:crypto';
import { rfc3986 } from '../../text.js';

/**
 * One Alibaba Cloud API request to sign with ACS3-HMAC-SHA256 (signature V3). Header names are lower-case and
 * must include x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, content-type when there is a body,
 * and x-acs-security-token with temporary (STS) credentials. x-acs-content-sha256 is computed here from the
 * body: send the returned `contentSha256` as that header.
 */
export interface Acs3Request {
  method: 'POST';
  /** The Host header exactly as it is sent. */
  host: string;
  path: '/';
  /** Query parameters, not yet encoded. */
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The exact body sent. */
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface Acs3Signature {
  /** The `Authorization` header value. */
  authorization: string;
  /** hex(sha256(body)): the value of x-acs-content-sha256. */
  contentSha256: string;
  /** The signed header names joined by ';', as in the Authorization header. */
  signedHeaders: string;
}

const ALGORITHM = 'ACS3-HMAC-SHA256';
const REQUIRED_HEADERS = ['x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce'] as const;

/**
 * The ACS3-HMAC-SHA256 `Authorization` header of a request (docs/aliyun-api.md#signing). Signed headers are host,
 * content-type and every x-acs-* header (x-acs-content-sha256 included), lower-cased and sorted; other headers
 * are not signed. Throws on a request that could not be signed as sent (an upper-case header name, a Host
 * header other than `host`, a required header missing).
 */
export function signAcs3(request: Acs3Request): Acs3Signature {
  const contentSha256 = sha256Hex(request.body);
  const signed = new Map<string, string>([['host', request.host]]);
  for (const [name, value] of Object.entries(request.headers)) {
    if (name !== name.toLowerCase()) throw new Error(`ACS3: header names must be lower-case, got "${name}"`);
    if (name === 'host') {
      if (value !== request.host) {
        throw new Error(`ACS3: the host header "${value}" differs from the host "${request.host}"`);
      }
      continue;
    }
    if (name === 'x-acs-content-sha256') {
      if (value !== contentSha256) throw new Error('ACS3: x-acs-content-sha256 does not match the body');
      continue;
    }
    if (name === 'content-type' || name.startsWith('x-acs-')) signed.set(name, value);
  }
  for (const name of REQUIRED_HEADERS) {
    if (!signed.get(name)) throw new Error(`ACS3: the ${name} header is missing`);
  }
  if (request.body !== '' && !signed.has('content-type')) {
    throw new Error('ACS3: a request with a body needs a content-type header');
  }
  signed.set('x-acs-content-sha256', contentSha256);

  const names = [...signed.keys()].sort();
  // Header values are trimmed, as HTTP servers (and the official SDK) do.
  const canonicalHeaders = names.map((name) => `${name}:${(signed.get(name) ?? '').trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    request.path,
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders,
    contentSha256,
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', request.accessKeySecret).update(stringToSign).digest('hex');
  return {
    authorization: `${ALGORITHM} Credential=${request.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    contentSha256,
    signedHeaders,
  };
}

/** The x-acs-date of a time in milliseconds: `YYYY-MM-DDThh:mm:ssZ`, UTC, without milliseconds. */
export function acsDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Query parameters sorted by name (UTF-16 code units, as the official SDK sorts them), names and values
 * RFC 3986 encoded, joined by '&'.
 */
function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(query[name] ?? '')}`)
    .join('&');
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}
