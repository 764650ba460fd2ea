/** The HTTP client: an answer larger than MAX_RESPONSE_BYTES is refused as the error of its request, never read whole. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, MAX_RESPONSE_BYTES } from '../../src/delivery/http.js';
import { TransportError } from '../../src/errors.js';
import { rejectionOf } from '../support/thrown.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = undefined;
});

/** A server that answers `size` bytes, with or without a content-length; returns its URL and what it wrote. */
async function answering(size: number, declared: boolean): Promise<{ url: URL; written: () => number }> {
  let written = 0;
  server = createServer((_req, res) => {
    res.writeHead(200, declared ? { 'content-length': String(size) } : {});
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const write = (): void => {
      while (written < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - written));
        written += part.length;
        if (!res.write(part)) {
          res.once('drain', write);
          return;
        }
      }
      res.end();
    };
    res.on('error', () => {});
    write();
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/`), written: () => written };
}

async function send(url: URL): Promise<{ status: number; body: string }> {
  const http = createHttpClient();
  try {
    return await http.send({ url, headers: {}, body: '', timeoutMs: 30_000 });
  } finally {
    await http.close().catch(() => {});
  }
}

describe('an answer of the API', () => {
  it('is read whole up to MAX_RESPONSE_BYTES', async () => {
    expect(MAX_RESPONSE_BYTES).toBe(8 * 1024 * 1024);
    const { url } = await answering(MAX_RESPONSE_BYTES, false);
    expect((await send(url)).body).toHaveLength(MAX_RESPONSE_BYTES);
  });

  it.each([
    ['declared by its content-length', true],
    ['found while reading it', false],
  ])('is refused when larger, %s, without reading the rest', async (_how, declared) => {
    const size = 700 * 1024 * 1024;
    const { url, written } = await answering(size, declared);
    const error = await rejectionOf(TransportError, send(url));
    expect(error.message).toBe(
      'the answer is larger than 8 MiB, more than any answer of this API; it was refused unread',
    );
    expect(error.mayHaveBeenSent).toBe(true);
    expect(written()).toBeLessThan(size / 4);
  });
});
