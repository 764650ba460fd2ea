/**
 * Fetches a URL through the CDN as a browser would, but asking for the bytes as stored (`Accept-Encoding:
 * identity`), and hashes the body as it streams, up to a size limit (docs/verify.md#requests).
 */
import { createHash } from 'node:crypto';
import { EnvHttpProxyAgent } from 'undici';
import { toTransportError } from './http.js';

/** What the edge answered. */
export interface EdgeAnswer {
  /** The URL that answered: the one asked for, or where redirects on the site's own hosts led. */
  url: string;
  status: number;
  /** SHA-256 (hex) of the body, of its first `maxBytes` bytes when `cut`. */
  sha256: string;
  bytes: number;
  /** The body was longer than the limit: the rest was not read. */
  cut: boolean;
  /** The `Age` header, in seconds, when there is one. */
  ageSeconds: number | undefined;
  /** A redirect to another host, not followed. */
  location: string | undefined;
}

/** Fetches one URL; rejects with a `TransportError` when no answer came within the timeout. */
export type EdgeFetch = (url: string) => Promise<EdgeAnswer>;

export interface EdgeFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Hosts (with their port) whose redirects are followed: the site's own. */
  hosts: ReadonlySet<string>;
  /** Connections per origin: as many as requests in flight. */
  connections: number;
}

/** Redirects followed at most, as browsers stop a loop. */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A browser's navigation, less compression: the body is compared byte for byte with the deployed file. */
export const EDGE_HEADERS = {
  'user-agent': 'Mozilla/5.0 (compatible; cdn-purge-prefetch-action verify)',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'identity',
};

export function createEdgeFetch(options: EdgeFetchOptions): { fetch: EdgeFetch; close: () => Promise<void> } {
  const agent = new EnvHttpProxyAgent({
    keepAliveTimeout: 10_000,
    connections: options.connections,
    connect: { timeout: Math.min(10_000, options.timeoutMs) },
  });
  const once = async (url: URL, signal: AbortSignal): Promise<EdgeAnswer> => {
    const response = await agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'GET',
      headers: EDGE_HEADERS,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal,
    });
    const hash = createHash('sha256');
    let bytes = 0;
    let cut = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const room = options.maxBytes - bytes;
      if (chunk.length > room) {
        hash.update(chunk.subarray(0, room));
        bytes += room;
        cut = true;
        response.body.destroy();
        break;
      }
      hash.update(chunk);
      bytes += chunk.length;
    }
    const location = response.headers.location;
    const age = Number(response.headers.age);
    return {
      url: url.href,
      status: response.statusCode,
      sha256: hash.digest('hex'),
      bytes,
      cut,
      ageSeconds: response.headers.age !== undefined && Number.isFinite(age) ? age : undefined,
      location: typeof location === 'string' ? new URL(location, url).href : undefined,
    };
  };
  const fetch: EdgeFetch = async (start) => {
    // One timeout for the URL, its redirects included.
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      let url = new URL(start);
      for (let redirects = 0; ; redirects++) {
        const answer = await once(url, signal);
        if (!REDIRECTS.has(answer.status) || !answer.location || redirects === MAX_REDIRECTS) return answer;
        const next = new URL(answer.location);
        if (!options.hosts.has(next.host) || !/^https?:$/.test(next.protocol)) return answer;
        url = next;
      }
    } catch (error) {
      throw toTransportError(error, options.timeoutMs, new URL(start).host);
    }
  };
  return { fetch, close: () => agent.close() };
}
