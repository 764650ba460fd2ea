/**
 * The HTTP plumbing the emulators share (Tencent Cloud API 3.0, Alibaba Cloud CDN, OIDC + STS): a server on
 * 127.0.0.1 that turns an unexpected error into a 500 "emulator bug", answers held back by timers that closing
 * cancels, reading a request's headers and body, and answering JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A server that hands every request to `handle`. Should `handle` reject, the error is logged as
 * `<name>: unexpected error` and, unless something was sent already, answered with a 500 "emulator bug".
 */
export function createEmulatorServer(
  name: string,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Server {
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`${name}: unexpected error`, error);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`emulator bug: ${String(error)}`);
      }
    });
  });
}

/** Listens on a free port of 127.0.0.1; resolves to the server's origin, `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Resolves after `ms` (at once when `ms` ≤ 0). Its timer stays in `timers` until it fires, so that
 * `closeServer` can cancel it: an answer held back that way is then never sent.
 */
export function holdBack(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

/** Clears the `timers` of `holdBack`, stops `server` and closes every connection it still has. */
export async function closeServer(server: Server, timers?: Set<NodeJS.Timeout>): Promise<void> {
  if (timers !== undefined) {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  }
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A request header by its lower-case name; the values of a repeated one are joined with ", ". */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every request header by its lower-case name, as `header` gives it. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(req.headers)) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** The whole body of a request; rejects when the client goes away before it is complete. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers `value` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
