import { createHash, createHmac } from 'node:crypto';

export interface Tc3Request {
  /** Service name from the provider (`cdn`, `teo`), never derived from an overridden endpoint. */
  service: string;
  /** The Host header exactly as it is sent. */
  host: string;
  /** The Content-Type header exactly as it is sent. */
  contentType: string;
  /** The exact body bytes sent. */
  body: string | Uint8Array;
  /** Unix time in seconds, the value of X-TC-Timestamp. */
  timestamp: number;
  secretId: string;
  secretKey: string;
}

const SIGNED_HEADERS = 'content-type;host';

/** TC3-HMAC-SHA256 `Authorization` header value for a `POST /` request (Tencent Cloud API 3.0). */
export function signTc3(request: Tc3Request): string {
  const date = utcDate(request.timestamp);
  const scope = `${date}/${request.service}/tc3_request`;
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${request.contentType}\nhost:${request.host}\n`,
    SIGNED_HEADERS,
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const kDate = hmac(`TC3${request.secretKey}`, date);
  const kService = hmac(kDate, request.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${request.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}

/** The UTC calendar date (YYYY-MM-DD) of a Unix timestamp: the credential scope is dated in UTC, never local time. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
