import { EnvHttpProxyAgent } from 'undici';
import { TransportError } from '../errors.js';
import type { HttpSend } from '../providers/transport.js';

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMED_OUT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Requests in flight at once over the run: the documented rate of the Tencent APIs, so that up to a round trip
 * of 1 s concurrency never holds the pace back. Each origin's pool has as many connections, so that no request
 * waits inside the pool after the rate limiter stamped its start.
 */
export const MAX_IN_FLIGHT = 20;

/**
 * One keep-alive connection pool per origin, shared by every request of the run. HTTP_PROXY, HTTPS_PROXY and
 * NO_PROXY are honoured, as self-hosted runners behind a proxy need.
 */
export function createHttpClient(): { send: HttpSend; close: () => Promise<void> } {
  const agent = new EnvHttpProxyAgent({
    keepAliveTimeout: 10_000,
    connections: MAX_IN_FLIGHT,
    connect: { timeout: 10_000 },
  });
  const send: HttpSend = async (request) => {
    try {
      const response = await agent.request({
        origin: request.url.origin,
        path: request.url.pathname + request.url.search,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch (error) {
      throw toTransportError(error, request.timeoutMs, request.url.host);
    }
  };
  return { send, close: () => agent.close() };
}

/** A connection failure names the host, which a self-hosted runner's firewall or proxy must let through. */
function toTransportError(error: unknown, timeoutMs: number, host: string): TransportError {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const reach = `check that the runner can reach ${host} (DNS, proxy: HTTPS_PROXY, firewall)`;
  if (NEVER_CONNECTED.has(code)) {
    return new TransportError('ConnectionError', `could not connect to ${host} (${code}): ${reach}`, false);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TransportError('Timeout', `timed out while connecting to ${host}: ${reach}`, false);
  }
  if (TIMED_OUT.has(code) || err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new TransportError('Timeout', `no response within ${timeoutMs} ms`, true);
  }
  const detail = code ? `${code}: ${err.message ?? ''}` : (err.message ?? String(error));
  return new TransportError('ConnectionError', `connection dropped (${detail.trim()})`, true);
}
