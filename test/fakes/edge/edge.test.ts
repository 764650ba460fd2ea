import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEdge, startFakeEdge } from './server.js';

let folder: string;
let edge: FakeEdge;
/** Completed purges by URL, as the emulator would report them. */
let done: Map<string, number>;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'edge-'));
  done = new Map();
  edge = await startFakeEdge({ folder, completedPurges: (url) => done.get(url) ?? 0 });
});
afterEach(async () => {
  await edge.close();
  rmSync(folder, { recursive: true, force: true });
});

const get = async (path: string): Promise<[number, string]> => {
  const response = await fetch(`${edge.url}${path}`);
  return [response.status, await response.text()];
};
const purged = (path: string): void => {
  done.set(`${edge.url}${path}`, (done.get(`${edge.url}${path}`) ?? 0) + 1);
};

describe('the fake edge', () => {
  it('serves its cached copy until a purge of the URL is done, then the folder again', async () => {
    writeFileSync(join(folder, 'a.js'), 'v1');
    expect(await get('a.js')).toEqual([200, 'v1']);
    writeFileSync(join(folder, 'a.js'), 'v2');
    expect(await get('a.js')).toEqual([200, 'v1']);
    purged('a.js');
    expect(await get('a.js')).toEqual([200, 'v2']);
    expect(edge.requests.map((request) => request.cache)).toEqual(['miss', 'hit', 'miss']);
  });

  it('serves a directory URL from its index.html, and caches a 404 as well', async () => {
    writeFileSync(join(folder, 'index.html'), 'home');
    expect(await get('')).toEqual([200, 'home']);
    expect((await get('gone.html'))[0]).toBe(404);
    writeFileSync(join(folder, 'gone.html'), 'here now');
    expect((await get('gone.html'))[0]).toBe(404);
    expect((await get('..%2F..%2Fetc%2Fpasswd'))[0]).toBe(404);
  });

  it('ignores as many purges of a URL as it was told to, then drops its copy', async () => {
    writeFileSync(join(folder, 'a.js'), 'v1');
    await edge.warm('/a.js');
    writeFileSync(join(folder, 'a.js'), 'v2');
    edge.ignorePurges(`${edge.url}a.js`, 1);
    purged('a.js');
    expect(await get('a.js')).toEqual([200, 'v1']);
    purged('a.js');
    expect(await get('a.js')).toEqual([200, 'v2']);
  });
});
