import { ApiError, type Disposition, TransportError } from '../../errors.js';
import { excerpt } from '../../text.js';
import { isRecord, parseJson } from '../json.js';
import type { HttpSend } from '../transport.js';
import { signTc3 } from './tc3.js';

/** A Tencent Cloud API 3.0 service: `cdn`, and `teo` (EdgeOne) which speaks the same protocol. */
export interface TencentService {
  name: string;
  version: string;
  chinaHost: string;
  intlHost: string;
}

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  sessionToken?: string | undefined;
}

export interface TencentClient {
  service: TencentService;
  endpoint: URL;
  credentials: TencentCredentials;
  send: HttpSend;
  /** Unix time in milliseconds; read afresh for every attempt so that each one is signed with a new timestamp. */
  now: () => number;
  timeoutMs: number;
}

const CONTENT_TYPE = 'application/json';

/** Sends one signed `POST /` and returns the `Response` object, or throws an `ApiError` that says what to do next. */
export async function callTencentApi(
  client: TencentClient,
  action: string,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(client.now() / 1000);
  // The official SDK signs the host name without a port; sending exactly that Host header keeps what is signed
  // equal to what is sent, also for a loopback endpoint with a port.
  const host = client.endpoint.hostname;
  const headers: Record<string, string> = {
    host,
    'content-type': CONTENT_TYPE,
    'x-tc-action': action,
    'x-tc-version': client.service.version,
    'x-tc-timestamp': String(timestamp),
    authorization: signTc3({
      service: client.service.name,
      host,
      contentType: CONTENT_TYPE,
      body,
      timestamp,
      secretId: client.credentials.secretId,
      secretKey: client.credentials.secretKey,
    }),
  };
  if (client.credentials.sessionToken) headers['x-tc-token'] = client.credentials.sessionToken;

  let response: { status: number; body: string };
  try {
    response = await client.send({ url: client.endpoint, headers, body, timeoutMs: client.timeoutMs });
  } catch (error) {
    if (error instanceof TransportError) {
      throw new ApiError(error.code, error.message, 'retry', { mayHaveBeenAccepted: error.mayHaveBeenSent });
    }
    throw error;
  }
  return parseTencentResponse(response.status, response.body);
}

/** Parses the API 3.0 envelope: business errors arrive with HTTP 200 inside `Response.Error`. */
export function parseTencentResponse(status: number, text: string): Record<string, unknown> {
  if (status >= 500) {
    throw new ApiError(`HTTP${status}`, `HTTP ${status} from the API: ${excerpt(text)}`, 'retry', {
      mayHaveBeenAccepted: true,
    });
  }
  const envelope = parseJson(text);
  if (envelope === undefined) {
    throw new ApiError(
      `HTTP${status}`,
      `HTTP ${status} with a body that is not JSON: ${excerpt(text)}`,
      'retry',
      {
        mayHaveBeenAccepted: true,
      },
    );
  }
  const inner = isRecord(envelope) ? envelope.Response : undefined;
  if (!isRecord(inner)) {
    throw new ApiError(
      `HTTP${status}`,
      `HTTP ${status} without a Response object: ${excerpt(text)}`,
      'retry',
      {
        mayHaveBeenAccepted: true,
      },
    );
  }
  const requestId = typeof inner.RequestId === 'string' ? inner.RequestId : undefined;
  if (isRecord(inner.Error)) {
    const code = String(inner.Error.Code ?? 'UnknownError');
    const message = String(inner.Error.Message ?? '');
    throw new ApiError(code, message, classifyTencentError(code), {
      requestId,
      ...(isDailyQuotaError(code) ? { dailyQuota: true } : {}),
    });
  }
  if (status !== 200) {
    throw new ApiError(`HTTP${status}`, `HTTP ${status}: ${excerpt(text)}`, 'batch', { requestId });
  }
  return inner;
}

/** docs/tencent-api.md#errors-and-retries: which error codes are worth another attempt and how far a final one reaches. */
export function classifyTencentError(code: string): Disposition {
  if (
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('InternalError') ||
    code === 'ServiceUnavailable' ||
    code === 'LimitExceeded.RateLimitExceeded' ||
    code === 'OperationDenied.ResourceLockedTemporary'
  ) {
    return 'retry';
  }
  if (code === 'AuthFailure.SignatureExpire') return 'retry-once';
  if (isDailyQuotaError(code)) return 'operation';
  if (code.endsWith('BatchLimit') || code.endsWith('BatchQuota')) return 'split';
  if (
    code.startsWith('AuthFailure') ||
    code === 'ResourceNotFound.CdnUserNotExists' ||
    code.includes('ZoneNotFound')
  ) {
    return 'run';
  }
  if (
    code === 'UnauthorizedOperation.CdnCamUnauthorized' ||
    code === 'UnauthorizedOperation.CamUnauthorized' ||
    code === 'UnauthorizedOperation.NoPermission'
  ) {
    return 'operation';
  }
  return 'batch';
}

/** Today's quota of the API is spent: `LimitExceeded.CdnPurgeUrlExceedDayLimit`, EdgeOne `…DailyQuota`. */
function isDailyQuotaError(code: string): boolean {
  return code.endsWith('DayLimit') || code.endsWith('DailyQuota');
}

/** Rows a task-list page holds (the documented most for Describe*Tasks). */
const PAGE_SIZE = 1000;

/**
 * Every row of a paged Describe* action: `payload` plus Offset/Limit, until `TotalCount` rows are read; `paced` is
 * awaited before each page.
 */
export async function readAllPages(
  client: TencentClient,
  action: string,
  payload: Record<string, unknown>,
  rowsField: string,
  paced: () => Promise<void>,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    await paced();
    const page = await callTencentApi(client, action, { ...payload, Offset: offset, Limit: PAGE_SIZE });
    const pageRows = Array.isArray(page[rowsField]) ? (page[rowsField] as unknown[]) : [];
    rows.push(...pageRows);
    const total = typeof page.TotalCount === 'number' ? page.TotalCount : 0;
    if (pageRows.length === 0 || offset + pageRows.length >= total) return rows;
  }
}
