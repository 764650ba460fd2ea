import { randomUUID } from 'node:crypto';
import { ApiError, type Disposition, TransportError } from '../../errors.js';
import { excerpt, rfc3986 } from '../../text.js';
import { isRecord, parseJson } from '../json.js';
import type { HttpSend } from '../transport.js';
import { acsDate, signAcs3 } from './acs3.js';

/** Alibaba Cloud CDN, RPC style, 50 requests/s per account (docs/aliyun-api.md#alibaba-cloud-cdn). */
export const ALIYUN_CDN_SERVICE = { version: '2018-05-10', host: 'cdn.aliyuncs.com' };

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** Set for temporary (STS) credentials; sent as x-acs-security-token. */
  securityToken?: string | undefined;
}

export interface AliyunClient {
  endpoint: URL;
  credentials: AliyunCredentials;
  send: HttpSend;
  /** Unix time in milliseconds; read afresh for every attempt so that each one is signed with a new x-acs-date. */
  now: () => number;
  timeoutMs: number;
  /** A new x-acs-signature-nonce for every attempt; default 32 random hex digits. */
  nonce?: () => string;
}

const CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Sends one signed `POST /` with `params` as a form body and returns the answer object (RequestId and the
 * action's fields), or throws an `ApiError` that says what to do next. Every call is one attempt with its own
 * nonce and date: a retry must call again, never resend the same headers.
 */
export async function callAliyunApi(
  client: AliyunClient,
  action: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const body = formEncode(params);
  // What is signed is exactly what is sent: the host name without a port (as the official SDK signs it), set
  // explicitly so that a loopback endpoint with a port is signed the same way.
  const host = client.endpoint.hostname;
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-version': ALIYUN_CDN_SERVICE.version,
    'x-acs-date': acsDate(client.now()),
    'x-acs-signature-nonce': (client.nonce ?? defaultNonce)(),
  };
  if (body !== '') headers['content-type'] = CONTENT_TYPE;
  if (client.credentials.securityToken) headers['x-acs-security-token'] = client.credentials.securityToken;
  const signature = signAcs3({
    method: 'POST',
    host,
    path: '/',
    query: {},
    headers,
    body,
    accessKeyId: client.credentials.accessKeyId,
    accessKeySecret: client.credentials.accessKeySecret,
  });
  headers['x-acs-content-sha256'] = signature.contentSha256;
  headers.authorization = signature.authorization;

  let response: { status: number; body: string };
  try {
    response = await client.send({
      url: new URL('/', client.endpoint),
      headers,
      body,
      timeoutMs: client.timeoutMs,
    });
  } catch (error) {
    if (error instanceof TransportError) {
      throw new ApiError(error.code, error.message, 'retry', { mayHaveBeenAccepted: error.mayHaveBeenSent });
    }
    throw error;
  }
  return parseAliyunResponse(response.status, response.body);
}

/** `k=v&…` with keys sorted and keys and values RFC 3986 encoded (a line break in a value becomes %0A). */
export function formEncode(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${rfc3986(key)}=${rfc3986(params[key] ?? '')}`)
    .join('&');
}

/**
 * Parses an answer: success is HTTP 2xx with a JSON object; errors come as HTTP 4xx/5xx with
 * `{RequestId, HostId, Code, Message, Recommend}`. Anything else (a gateway page, a body that is not JSON)
 * is classified by its status.
 */
export function parseAliyunResponse(status: number, text: string): Record<string, unknown> {
  const answer = parseJson(text);
  const requestId = isRecord(answer) && typeof answer.RequestId === 'string' ? answer.RequestId : undefined;
  // A 5xx may come after the request was carried out; a 4xx means it was refused.
  const mayHaveBeenAccepted = status >= 500;
  if (status >= 200 && status < 300) {
    if (isRecord(answer)) return answer;
    throw new ApiError(
      `HTTP${status}`,
      `HTTP ${status} with a body that is not a JSON object: ${excerpt(text)}`,
      'retry',
      {
        mayHaveBeenAccepted: true,
      },
    );
  }
  if (isRecord(answer) && typeof answer.Code === 'string' && answer.Code !== '') {
    const message =
      typeof answer.Message === 'string' && answer.Message !== '' ? answer.Message : `HTTP ${status}`;
    const recommend =
      typeof answer.Recommend === 'string' && answer.Recommend !== '' ? ` (see ${answer.Recommend})` : '';
    return throwError(answer.Code, `${message}${recommend}`, status, { requestId, mayHaveBeenAccepted });
  }
  return throwError(`HTTP${status}`, `HTTP ${status}: ${excerpt(text)}`, status, {
    requestId,
    mayHaveBeenAccepted,
  });
}

function throwError(
  code: string,
  message: string,
  status: number,
  details: { requestId: string | undefined; mayHaveBeenAccepted: boolean },
): never {
  // The daily quota (QuotaExceeded.Refresh, QuotaExceeded.Preload), not the per-minute one.
  const dailyQuota = code.startsWith('QuotaExceeded') ? { dailyQuota: true } : {};
  throw new ApiError(code, message, classifyAliyunError(code, status), { ...details, ...dailyQuota });
}

/** Transient: the same batch may succeed later, signed afresh. */
const RETRY_CODES = new Set([
  'ServiceUnavailable',
  'InternalError',
  'ServiceBusy',
  'QuotaPerMinuteExceeded.Refresh',
  'PreloadQueueFull',
  'TooManyRequests',
]);

/** Bad or unusable credentials: every later call would fail the same way. */
const RUN_CODES = new Set([
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidAccessKeyId',
]);

/** docs/aliyun-api.md#errors-and-retries: which error codes are worth another attempt and how far a final one reaches. */
export function classifyAliyunError(code: string, status: number): Disposition {
  if (code.startsWith('Throttling') || RETRY_CODES.has(code)) return 'retry';
  // A fresh nonce and x-acs-date (every attempt gets new ones) fix these once; twice in a row means a clock
  // or nonce source that is broken.
  if (code === 'SignatureNonceUsed' || code === 'InvalidTimeStamp.Expired') return 'retry-once';
  // Too many targets in one call (PushObjectCache documents its limit as 1,000 while it is 100). Sending the
  // same batch again never helps, but halving it does; a batch of one is final as it cannot be halved.
  if (code === 'SingleRequest.OverLimit' || code === 'InvalidObjectPath.ExceedsMaximum') return 'split';
  // The daily quota (QuotaExceeded.Refresh, QuotaExceeded.Preload): nothing more of this API goes through today.
  if (code.startsWith('QuotaExceeded')) return 'operation';
  if (code.startsWith('Forbidden') || code.includes('NoPermission')) return 'operation';
  if (RUN_CODES.has(code) || code.startsWith('InvalidSecurityToken')) return 'run';
  if (code.startsWith('InvalidObjectPath') || code.startsWith('InvalidDomain')) return 'batch';
  if (status >= 500 || status === 429) return 'retry';
  return 'batch';
}

function defaultNonce(): string {
  return randomUUID().replaceAll('-', '');
}
