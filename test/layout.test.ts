/** The rules of the house that dependency-cruiser does not check (README, Development). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/providers/registry.js';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

const read = (path: string) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') });
const sources = filesUnder(SRC).map(read);
/** Every file of code, this one left out: it names what it looks for. */
const code = ['src', 'test', 'bench', 'scripts']
  .flatMap((folder) => filesUnder(join(ROOT, folder)))
  .filter((path) => /\.(ts|mjs|cjs|js)$/.test(path) && path !== import.meta.filename)
  .map(read);

/** The comments of a file of code, one per line: what follows `//`, and the lines of block comments. */
function commentsOf(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return trimmed;
      return /(?:^|\s)\/\/\s(.*)$/.exec(line)?.[1] ?? '';
    })
    .join('\n');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('the layout of src/', () => {
  it('keeps at most 5 files at the top level, and main.ts at most 80 lines', () => {
    const top = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isFile());
    expect(top.map((entry) => entry.name).sort()).toEqual([
      'errors.ts',
      'index.ts',
      'main.ts',
      'settings.ts',
      'text.ts',
    ]);
    expect(readFileSync(join(SRC, 'main.ts'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(80);
  });

  it('names no provider outside src/providers/', () => {
    const names = PROVIDERS.map((provider) => provider.id);
    const mentions = sources
      .filter((file) => !file.path.startsWith('src/providers/'))
      .flatMap((file) =>
        names.filter((name) => file.text.includes(name)).map((name) => `${file.path}: ${name}`),
      );
    expect(mentions).toEqual([]);
  });

  it('cites only documents inside the repository, each heading it names included', () => {
    const cited = code.flatMap((file) =>
      [...commentsOf(file.text).matchAll(/(?<![\w./-])(docs\/[\w./-]+\.md)(?:#([\w-]+))?/g)].map((match) => ({
        citation: `${file.path}: ${match[0]}`,
        doc: match[1] ?? '',
        anchor: match[2],
      })),
    );
    expect(cited.length).toBeGreaterThan(0);
    for (const { citation, doc, anchor } of cited) {
      expect(existsSync(join(ROOT, doc)), citation).toBe(true);
      const anchors = readFileSync(join(ROOT, doc), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => githubAnchor(line.replace(/^#+\s*/, '')));
      if (anchor) expect(anchors, citation).toContain(anchor);
    }
    const outside = code
      .filter((file) => /PROTOCOLS\.md|shared\/(api|hooks)\/|DESIGN\.md/.test(file.text))
      .map((f) => f.path);
    expect(outside).toEqual([]);
  });
});
