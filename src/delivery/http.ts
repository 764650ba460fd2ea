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
 * The largest answer read: 8 MiB. A page of 1,000 task logs with URLs of 2,048 characters is some 2.5 MB; anything
 * far larger is no answer of these APIs, and is refused as the error of its request before it is read whole
 * (docs/delivery.md#answer-size).
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

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
      return { status: response.statusCode, body: await readCapped(response.body, response.headers) };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw toTransportError(error, request.timeoutMs, request.url.host);
    }
  };
  return { send, close: () => agent.close() };
}

/** The body as text, or a `TransportError` as soon as it is declared or found larger than `MAX_RESPONSE_BYTES`. */
export async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  headers: Record<string, string | string[] | undefined>,
): Promise<string> {
  const tooLarge = (): TransportError => {
    body.destroy();
    return new TransportError(
      'ConnectionError',
      `the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB, more than any answer of this API; it was refused unread`,
      true,
    );
  };
  if (Number(headers['content-length']) > MAX_RESPONSE_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * What a failed undici request became: no connection, a timeout, or a dropped connection. A connection failure
 * names the host, which a self-hosted runner's firewall or proxy must let through.
 */
export function toTransportError(error: unknown, timeoutMs: number, host: string): TransportError {
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
