/**
 * A fake CDN edge on 127.0.0.1 in front of a folder (the origin): it caches what it serves, the first answer for a
 * path (a file, or 404), and serves the cached copy, with its `Age`, until a purge task covering the URL is
 * reported done by the CDN emulator. It can be told to ignore purges of some URLs, so that a stale copy stays.
 * The site's base-url points at it.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { closeServer, createEmulatorServer, flatHeaders, listenOnLoopback } from '../shared/http.js';

export interface FakeEdgeOptions {
  /** The origin: the folder served at the edge's root. */
  folder: string;
  /** How many purge tasks covering a URL are done by now (the emulator's `completedPurges`). */
  completedPurges: (url: string) => number;
  /** The file a directory URL serves. */
  indexFile?: string;
  now?: () => number;
}

export interface EdgeRequest {
  method: string;
  /** The path and query asked for. */
  path: string;
  headers: Record<string, string>;
  /** `hit`: served from the cache; `miss`: read from the folder and cached. */
  cache: 'hit' | 'miss';
}

export interface FakeEdge {
  /** `http://127.0.0.1:<port>/`: the site's base-url. */
  url: string;
  requests: EdgeRequest[];
  /** The next `times` purges of `url` that complete are ignored: the cached copy stays (every one by default). */
  ignorePurges(url: string, times?: number): void;
  /** Fetches `path` through the edge, as a visitor before the deploy: caches what the folder holds now. */
  warm(...paths: string[]): Promise<void>;
  close(): Promise<void>;
}

interface CachedCopy {
  status: number;
  body: Buffer;
  cachedAt: number;
  /** The completed purges already applied (or ignored) to this copy. */
  purgesSeen: number;
}

export async function startFakeEdge(options: FakeEdgeOptions): Promise<FakeEdge> {
  const now = options.now ?? Date.now;
  const root = resolve(options.folder);
  const cache = new Map<string, CachedCopy>();
  const ignored = new Map<string, number>();
  const requests: EdgeRequest[] = [];
  let origin = '';

  const fromFolder = async (path: string): Promise<{ status: number; body: Buffer }> => {
    const decoded = decodeURIComponent(path.split('?')[0] ?? '/');
    const file = resolve(
      join(root, decoded.endsWith('/') ? `${decoded}${options.indexFile ?? 'index.html'}` : decoded),
    );
    if (file !== root && !file.startsWith(root + sep)) return { status: 404, body: Buffer.from('not found') };
    try {
      if (!(await stat(file)).isFile()) return { status: 404, body: Buffer.from('not found') };
      return { status: 200, body: await readFile(file) };
    } catch {
      return { status: 404, body: Buffer.from('not found') };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const url = `${origin}${path}`;
    const purges = options.completedPurges(url);
    let copy = cache.get(path);
    if (copy && purges > copy.purgesSeen) {
      const ignore = ignored.get(url) ?? 0;
      const fresh = purges - copy.purgesSeen;
      ignored.set(url, Math.max(0, ignore - fresh));
      if (ignore >= fresh) copy.purgesSeen = purges;
      else copy = undefined;
    }
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: flatHeaders(req),
      cache: copy ? 'hit' : 'miss',
    });
    if (!copy) {
      copy = { ...(await fromFolder(path)), cachedAt: now(), purgesSeen: purges };
      cache.set(path, copy);
    }
    res.writeHead(copy.status, {
      'content-type': path.endsWith('/') || path.endsWith('.html') ? 'text/html' : 'application/octet-stream',
      'content-length': String(copy.body.length),
      age: String(Math.floor((now() - copy.cachedAt) / 1000)),
    });
    res.end(req.method === 'HEAD' ? undefined : copy.body);
  };

  const server = createEmulatorServer('fake edge', handle);
  origin = await listenOnLoopback(server);
  return {
    url: `${origin}/`,
    requests,
    ignorePurges: (url, times = Number.POSITIVE_INFINITY) => ignored.set(url, times),
    async warm(...paths) {
      for (const path of paths) await (await fetch(`${origin}${path}`)).arrayBuffer();
    },
    close: () => closeServer(server),
  };
}
