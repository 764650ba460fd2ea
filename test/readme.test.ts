/** The README is a user's guide: it opens with a uses: example and contents, and its links and policies hold. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/providers/registry.js';

const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, with GitHub's -1, -2 … for repeated ones. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line)?.[1];
    if (!heading) continue;
    const anchor = anchorOf(heading);
    const times = seen.get(anchor) ?? 0;
    seen.set(anchor, times + 1);
    anchors.add(times === 0 ? anchor : `${anchor}-${times}`);
  }
  return anchors;
}

const markdownFiles = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md'].concat(
  readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
);

describe('README.md', () => {
  it('opens with a uses: example and a table of contents within its first 40 lines', () => {
    const lines = README.split('\n').slice(0, 40);
    expect(lines.some((line) => /^\s+- uses: [\w-]+\/cdn-purge-prefetch-action@v1$/.test(line))).toBe(true);
    expect(lines).toContain('## Contents');
  });

  it('gives the two commands that test the project and run it against the emulator', () => {
    expect(README).toContain('`npm ci && npm test`');
    expect(README).toContain('`npm start`');
  });

  it('has a least-privilege policy for every provider, each valid JSON', () => {
    const policies = [...README.matchAll(/### (.+): (?:CAM|RAM) policy\n[\s\S]*?```json\n([^`]+)```/g)];
    expect(policies.map((match) => match[1])).toEqual(PROVIDERS.map((provider) => provider.label));
    for (const [, , json = ''] of policies) expect(() => JSON.parse(json)).not.toThrow();
  });

  it('has a troubleshooting table covering credentials, unknown domains, quotas, throttling, OIDC and git', () => {
    const table = README.slice(README.indexOf('## Troubleshooting'), README.indexOf('## Inputs'));
    for (const code of [
      'AuthFailure.',
      'ResourceNotFound.CdnHostNotExists',
      'InvalidDomain',
      'QuotaExceeded',
      'DayLimit',
      'RequestLimitExceeded',
      'Throttling',
      'OidcTokenUnavailable',
      'fetch-depth: 0',
    ]) {
      expect(table).toContain(code);
    }
  });
});

describe('links between the documents', () => {
  it.each(markdownFiles)('%s: every relative link and anchor resolves', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const broken: string[] = [];
    for (const [, target = ''] of text.matchAll(/\]\(((?!https?:|mailto:)[^)\s]+)\)/g)) {
      const [path = '', anchor] = target.split('#');
      const resolved = path === '' ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), path);
      if (!existsSync(resolved)) broken.push(target);
      else if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor))
        broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});
