import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutBelow } from '../../src/targets/source.js';
import { unmatchedPatternWarnings } from '../../src/targets/unmatched-patterns.js';
import type { MappedFile } from '../../src/targets/url-map.js';

const site = { rootDir: 'site', baseUrl: 'https://www.example.com/' };
const file = (path: string): MappedFile => ({
  status: 'M',
  path,
  urls: [],
  deleted: false,
  skipped: undefined,
  site: path.startsWith('site/') ? site : undefined,
});
const files = [file('site/a.js'), file('site/a.js.map'), file('README.md')];

describe('include and exclude patterns that matched nothing', () => {
  it('warns, and says patterns are relative to root-dir when one starts with it', () => {
    expect(unmatchedPatternWarnings({ include: [], exclude: ['site/**/*.map'] }, files)).toEqual([
      'changed-files: the exclude pattern site/**/*.map matched none of the 2 changed files under root-dir. Patterns are matched against the path relative to root-dir: write **/*.map instead.',
    ]);
  });

  it('says nothing of a pattern that matched a file, or when no file is under root-dir', () => {
    expect(unmatchedPatternWarnings({ include: ['**/*.js'], exclude: ['**/*.map'] }, files)).toEqual([]);
    expect(unmatchedPatternWarnings({ include: ['x'], exclude: [] }, [file('README.md')])).toEqual([]);
  });
});

describe('a checkout one folder down', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'checkout-below-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('is named, with the path: it came from', () => {
    expect(checkoutBelow(workspace)).toBe('');
    mkdirSync(join(workspace, 'build'));
    mkdirSync(join(workspace, 'repo', '.git'), { recursive: true });
    expect(checkoutBelow(workspace)).toContain(
      'a checkout is in repo/, as actions/checkout with path: repo makes',
    );
  });
});
