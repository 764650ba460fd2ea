import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdgeFetch } from '../../src/delivery/edge-fetch.js';
import { TransportError } from '../../src/errors.js';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

interface Site {
  url: string;
  host: string;
  seen: Array<{ path: string; headers: IncomingHttpHeaders }>;
}
const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** A site on 127.0.0.1: `routes` answer by path with a status, headers and a body, or never (`'hang'`). */
async function site(
  routes: Record<
    string,
    { status?: number; headers?: Record<string, string>; body?: string | Buffer } | 'hang'
  >,
): Promise<Site> {
  const seen: Site['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const route = routes[req.url ?? ''];
    if (route === 'hang') return;
    if (!route) return void res.writeHead(404).end('no');
    res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host, seen };
}

function edge(hosts: string[], maxBytes = 1024, timeoutMs = 30_000) {
  const client = createEdgeFetch({ timeoutMs, maxBytes, hosts: new Set(hosts), connections: 4 });
  closers.push(client.close);
  return client.fetch;
}

describe('createEdgeFetch', () => {
  it('asks as a browser, uncompressed, and hashes the body with its status and Age', async () => {
    const s = await site({ '/a.html': { headers: { age: '42' }, body: 'hello' } });
    const answer = await edge([s.host])(`${s.url}/a.html`);
    expect(answer).toEqual({
      url: `${s.url}/a.html`,
      status: 200,
      sha256: sha256('hello'),
      bytes: 5,
      cut: false,
      ageSeconds: 42,
      location: undefined,
    });
    expect(s.seen[0]?.headers).toMatchObject({
      'accept-encoding': 'identity',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'user-agent': 'Mozilla/5.0 (compatible; cdn-purge-prefetch-action verify)',
    });
    expect(s.seen[0]?.headers['cache-control']).toBeUndefined();
  });

  it('reads a body of the limit whole, and cuts one byte more', async () => {
    const s = await site({
      '/fits': { body: Buffer.alloc(1024, 1) },
      '/over': { body: Buffer.alloc(1025, 1) },
    });
    const fetch = edge([s.host]);
    expect(await fetch(`${s.url}/fits`)).toMatchObject({
      bytes: 1024,
      cut: false,
      sha256: sha256(Buffer.alloc(1024, 1)),
    });
    expect(await fetch(`${s.url}/over`)).toMatchObject({ bytes: 1024, cut: true });
  });

  it("follows redirects on the site's own hosts only", async () => {
    const other = await site({ '/x': { body: 'elsewhere' } });
    const s = await site({
      '/old': { status: 301, headers: { location: '/new' } },
      '/new': { body: 'new' },
      '/away': { status: 302, headers: { location: `${other.url}/x` } },
    });
    const fetch = edge([s.host]);
    expect(await fetch(`${s.url}/old`)).toMatchObject({
      url: `${s.url}/new`,
      status: 200,
      sha256: sha256('new'),
    });
    expect(await fetch(`${s.url}/away`)).toMatchObject({ status: 302, location: `${other.url}/x` });
    expect(other.seen).toEqual([]);
  });

  it('stops after 5 redirects', async () => {
    const routes = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`/r${i}`, { status: 302, headers: { location: `/r${i + 1}` } }]),
    );
    const s = await site(routes);
    expect(await edge([s.host])(`${s.url}/r0`)).toMatchObject({ url: `${s.url}/r5`, status: 302 });
    expect(s.seen).toHaveLength(6);
  });

  it('gives up on a URL that does not answer within the timeout', async () => {
    const s = await site({ '/slow': 'hang' });
    const error = await edge([s.host], 1024, 200)(`${s.url}/slow`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toBe('no response within 200 ms');
  });
});
