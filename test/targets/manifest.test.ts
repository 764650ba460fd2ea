import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findContentChanges, hashFolders } from '../../src/targets/content.js';
import { compareManifests, type Manifest } from '../../src/targets/manifest.js';

const H = (c: string): string => c.repeat(64);
const manifest = (entries: Record<string, [string, number]>): Manifest =>
  new Map(Object.entries(entries).map(([path, [hash, size]]) => [path, { hash: H(hash), size }]));
const statuses = (previous: Manifest | undefined, current: Manifest): string[] =>
  compareManifests(previous, current).map((entry) => `${entry.status} ${entry.path}`);

describe('compareManifests', () => {
  it('an empty folder: nothing changed, with or without an earlier manifest', () => {
    expect(statuses(undefined, new Map())).toEqual([]);
    expect(statuses(new Map(), new Map())).toEqual([]);
  });

  it('no earlier manifest: every file is added', () => {
    expect(statuses(undefined, manifest({ 'p/b': ['1', 1], 'p/a': ['2', 1] }))).toEqual(['A p/a', 'A p/b']);
  });

  it('only deletions: the files no longer built', () => {
    const before = manifest({ 'p/a': ['1', 1], 'p/b': ['2', 2], 'p/c': ['3', 3] });
    expect(statuses(before, manifest({ 'p/b': ['2', 2] }))).toEqual(['D p/a', 'D p/c']);
    expect(statuses(before, new Map())).toEqual(['D p/a', 'D p/b', 'D p/c']);
  });

  it('a renamed file is a deletion and an addition, even with the same bytes', () => {
    expect(statuses(manifest({ 'p/old': ['1', 1] }), manifest({ 'p/new': ['1', 1] }))).toEqual([
      'A p/new',
      'D p/old',
    ]);
  });

  it('a file with other bytes is modified: another hash, or another size', () => {
    const before = manifest({ 'p/a': ['1', 1], 'p/b': ['2', 2], 'p/c': ['3', 3] });
    const after = manifest({ 'p/a': ['9', 1], 'p/b': ['2', 5], 'p/c': ['3', 3] });
    expect(statuses(before, after)).toEqual(['M p/a', 'M p/b']);
  });

  it('deletions only in the folders hashed now', () => {
    const before = manifest({ 'public/a': ['1', 1], 'gone/b': ['2', 2] });
    const entries = compareManifests(before, new Map(), (path) => path.startsWith('public/'));
    expect(entries.map((entry) => `${entry.status} ${entry.path}`)).toEqual(['D public/a']);
  });

  it('100,000 files: one modified, one deleted, one added', () => {
    const before: Manifest = new Map();
    for (let i = 0; i < 100_000; i++) before.set(`public/${i % 100}/${i}.html`, { hash: H('a'), size: i });
    const after = new Map(before);
    after.set('public/7/7.html', { hash: H('b'), size: 7 });
    after.delete('public/8/8.html');
    after.set('public/new.html', { hash: H('c'), size: 1 });
    expect(statuses(before, after)).toEqual(['M public/7/7.html', 'D public/8/8.html', 'A public/new.html']);
    expect(statuses(before, new Map(before))).toEqual([]);
    expect(statuses(undefined, after)).toHaveLength(100_000);
  });
});

describe('hashFolders and findContentChanges', () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'cdn-content-'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('hashes every regular file by its SHA-256, leaves out .git and symlinks that lead outside or to a folder', async () => {
    await mkdir(join(workspace, 'public/.git'), { recursive: true });
    await mkdir(join(workspace, 'public/sub'), { recursive: true });
    await writeFile(join(workspace, 'public/a b.html'), 'abc');
    await writeFile(join(workspace, 'public/sub/empty'), '');
    await writeFile(join(workspace, 'public/.git/HEAD'), 'x');
    await writeFile(join(workspace, 'secret.txt'), 'outside');
    await symlink('../secret.txt', join(workspace, 'public/out'));
    await symlink('a b.html', join(workspace, 'public/inside'));
    await symlink('sub', join(workspace, 'public/folder'));
    const { manifest: found, skipped } = await hashFolders(workspace, ['public'], 2);
    expect(Object.fromEntries(found)).toEqual({
      'public/a b.html': {
        hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        size: 3,
      },
      'public/inside': { hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', size: 3 },
      'public/sub/empty': {
        hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        size: 0,
      },
    });
    expect(skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'public/folder', reason: 'symlink to a folder' },
      { path: 'public/out', reason: 'symlink leading outside' },
    ]);
  });

  it('maps the changes to URLs as the git source does, and refuses a root-dir that is not a folder', async () => {
    await mkdir(join(workspace, 'public/blog'), { recursive: true });
    await writeFile(join(workspace, 'public/blog/index.html'), 'new');
    const settings = {
      sites: [{ rootDir: 'public', baseUrl: 'https://www.example.com/' }],
      sitesInput: 'root-dir' as const,
      source: 'content' as const,
      githubToken: '',
      since: undefined,
      include: [],
      exclude: [],
      indexFile: 'index.html',
    };
    const log = { info: () => {}, warning: () => {} };
    const earlier = {
      manifest: manifest({ 'public/old.html': ['1', 1] }),
      savedAt: '2026-12-01T00:00:00.000Z',
    };
    const changes = await findContentChanges(settings, workspace, earlier, log);
    expect(changes.mapping.urls).toEqual([
      'https://www.example.com/blog/index.html',
      'https://www.example.com/blog/',
    ]);
    expect(changes.mapping.purgeOnlyUrls).toEqual(['https://www.example.com/old.html']);
    expect(changes.siteFiles).toEqual(['https://www.example.com/blog/index.html']);
    expect(changes.comparison.description).toBe(
      'content of public/ (1 file) against the manifest of the deploy of 2026-12-01T00:00:00.000Z',
    );
    await expect(
      findContentChanges(
        { ...settings, sites: [{ rootDir: 'dist', baseUrl: 'https://www.example.com/' }] },
        workspace,
        earlier,
        log,
      ),
    ).rejects.toThrow(/^Input .root-dir. has the value "dist": no such folder in the workspace/);
  });
});
