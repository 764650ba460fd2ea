import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTargets } from '../../src/plan/operations.js';
import { changedFilesSummary, describeFile } from '../../src/report/changed-files.js';
import type { ChangedFilesSettings, Settings } from '../../src/settings.js';
import type { ChangedFiles } from '../../src/targets/changed-files.js';
import { type DiffEntry, parseRawDiff } from '../../src/targets/diff.js';
import { encodePath, globFilter, mapChangedFiles, servedUrls, urlsOf } from '../../src/targets/url-map.js';
import { rfc3986 } from '../../src/text.js';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

/** One record of `git diff-tree -r -z --raw` output. */
function raw(status: string, oldMode: string, newMode: string, ...paths: string[]): string {
  return `:${oldMode} ${newMode} ${SHA_A} ${SHA_B} ${status}\0${paths.join('\0')}\0`;
}

const SITE = { baseUrl: 'https://www.example.com/', indexFile: 'index.html' };
const SETTINGS: ChangedFilesSettings = {
  sites: [{ rootDir: '', baseUrl: 'https://www.example.com/' }],
  sitesInput: 'root-dir',
  source: 'git',
  githubToken: '',
  since: undefined,
  include: [],
  exclude: [],
  indexFile: 'index.html',
};

const inSite = (rootDir: string): ChangedFilesSettings['sites'] => [
  { rootDir, baseUrl: 'https://www.example.com/' },
];

const entry = (status: string, path: string, modes: Partial<DiffEntry> = {}): DiffEntry => ({
  status,
  path,
  oldMode: status === 'A' ? '000000' : '100644',
  newMode: status === 'D' ? '000000' : '100644',
  undecodable: false,
  ...modes,
});

describe('parseRawDiff', () => {
  it('reads every status, and names with spaces, quotes, unicode, tabs and line breaks intact', () => {
    const output = Buffer.from(
      raw('M', '100644', '100644', 'a b.html') +
        raw('A', '000000', '100644', 'say "hi"\tit\'s.html') +
        raw('D', '100644', '000000', 'line\nbreak.html') +
        raw('M', '100644', '100755', 'd\u00e9j\u00e0/\u4e2d\u6587.txt') +
        raw('T', '100644', '120000', 'link'),
    );
    expect(parseRawDiff(output)).toEqual([
      entry('M', 'a b.html'),
      entry('A', 'say "hi"\tit\'s.html'),
      entry('D', 'line\nbreak.html'),
      entry('M', 'd\u00e9j\u00e0/\u4e2d\u6587.txt', { newMode: '100755' }),
      entry('T', 'link', { newMode: '120000' }),
    ]);
  });

  it('splits a rename into a deletion and an addition, and keeps the new name of a copy', () => {
    const output = Buffer.from(
      raw('R100', '100644', '100644', 'old name.js', 'new/name.js') +
        raw('C075', '100644', '100644', 'a.js', 'b.js'),
    );
    expect(parseRawDiff(output)).toEqual([
      entry('D', 'old name.js'),
      entry('A', 'new/name.js'),
      entry('A', 'b.js'),
    ]);
  });

  it('returns nothing for an empty diff', () => {
    expect(parseRawDiff(Buffer.alloc(0))).toEqual([]);
  });

  it('marks names that are not UTF-8, and only those', () => {
    const latin1 = Buffer.concat([
      Buffer.from(`:100644 100644 ${SHA_A} ${SHA_B} M\0caf`),
      Buffer.from([0xe9]),
      Buffer.from(`.html\0${raw('M', '100644', '100644', 'ok.html')}`),
    ]);
    const [bad, good] = parseRawDiff(latin1);
    expect(bad?.undecodable).toBe(true);
    expect(good).toEqual(entry('M', 'ok.html'));
    // A real U+FFFD in valid UTF-8 output is a real name.
    expect(parseRawDiff(Buffer.from(raw('M', '100644', '100644', '\uFFFD.html')))[0]?.undecodable).toBe(
      false,
    );
  });

  it('refuses output it does not understand', () => {
    expect(() => parseRawDiff(Buffer.from('M\tfile.txt\n'))).toThrow(
      /unexpected line in the output of git diff-tree/,
    );
  });

  it('reads 100,000 entries', () => {
    const output = Buffer.from(
      Array.from({ length: 100_000 }, (_, i) =>
        raw('M', '100644', '100644', `dir ${i % 100}/f\u00efle ${i}.html`),
      ).join(''),
    );
    expect(parseRawDiff(output)).toHaveLength(100_000);
  });

  it('keeps a zero SHA out of its business: only modes, status and paths are read', () => {
    const output = Buffer.from(`:000000 100644 ${ZERO} ${SHA_B} A\0new.txt\0`);
    expect(parseRawDiff(output)).toEqual([entry('A', 'new.txt')]);
  });
});

describe('encodePath', () => {
  it('percent-encodes every segment as RFC 3986 does, keeping the slashes', () => {
    expect(encodePath('a b/c+d/e%f.html')).toBe('a%20b/c%2Bd/e%25f.html');
    expect(encodePath("(a)!*'~-_.txt")).toBe('%28a%29%21%2A%27~-_.txt');
    expect(encodePath('line\nbreak?#.html')).toBe('line%0Abreak%3F%23.html');
    expect(encodePath('\u00fc/\u4e2d.txt')).toBe('%C3%BC/%E4%B8%AD.txt');
    expect(encodePath('.well-known/x')).toBe('.well-known/x');
  });

  it('makes one URL of any file name, which decodes back to the name', () => {
    const segment = fc
      .string({ unit: 'binary', minLength: 1 })
      .filter((s) => !s.includes('/') && s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const path = segments.join('/');
        const url = `https://www.example.com/${encodePath(path)}`;
        expect(/^[A-Za-z0-9\-._~%/:]+$/.test(url)).toBe(true);
        expect(new URL(url).href).toBe(url);
        expect(url.slice('https://www.example.com/'.length).split('/').map(decodeURIComponent)).toEqual(
          segments,
        );
        expect(rfc3986(segments[0] ?? '')).not.toContain('/');
      }),
    );
  });
});

describe('urlsOf', () => {
  it('adds the directory URL of an index file', () => {
    expect(urlsOf('blog/index.html', SITE)).toEqual([
      'https://www.example.com/blog/index.html',
      'https://www.example.com/blog/',
    ]);
    expect(urlsOf('index.html', SITE)).toEqual([
      'https://www.example.com/index.html',
      'https://www.example.com/',
    ]);
    expect(urlsOf('my blog/index.html', SITE)[1]).toBe('https://www.example.com/my%20blog/');
    expect(urlsOf('blog/index.htm', SITE)).toEqual(['https://www.example.com/blog/index.htm']);
    expect(urlsOf('blog/not-index.html', SITE)).toHaveLength(1);
    expect(urlsOf('docs/README.md', { ...SITE, indexFile: 'README.md' })[1]).toBe(
      'https://www.example.com/docs/',
    );
  });

  it('refuses a file whose URL would be longer than a CDN accepts, naming it and the way out', () => {
    expect(() => urlsOf(`${'x'.repeat(2100)}.html`, SITE)).toThrow(
      /maps to a URL of 2129 characters.*exclude input/,
    );
  });
});

describe('mapChangedFiles', () => {
  it('purges deleted files only, maps the rest, and says why a file has no URL', () => {
    const mapping = mapChangedFiles(
      [
        entry('M', 'site/index.html'),
        entry('D', 'site/old.css'),
        entry('A', 'site/blog/index.html'),
        entry('D', 'site/blog/index.html'),
        entry('M', 'README.md'),
        entry('M', 'sitemap.xml'),
        entry('M', 'site/app.js.map'),
        entry('M', 'site/vendor', { oldMode: '160000', newMode: '160000' }),
        entry('T', 'site/link', { newMode: '120000' }),
        entry('D', 'site/gone-link', { oldMode: '120000' }),
        entry('M', 'site/caf\uFFFD.html', { undecodable: true }),
        entry('X', 'site/odd'),
      ],
      { ...SETTINGS, sites: inSite('site'), exclude: ['**/*.map'] },
    );
    expect(mapping.urls).toEqual([
      'https://www.example.com/index.html',
      'https://www.example.com/',
      'https://www.example.com/blog/index.html',
      'https://www.example.com/blog/',
    ]);
    expect(mapping.purgeOnlyUrls).toEqual([
      'https://www.example.com/old.css',
      'https://www.example.com/blog/index.html',
      'https://www.example.com/blog/',
    ]);
    expect(mapping.files.map((file) => file.skipped)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'outside root-dir',
      'outside root-dir',
      'excluded',
      'submodule',
      'symlink',
      'symlink',
      'name not UTF-8',
      'unknown change',
    ]);
    expect(mapping.files[1]).toEqual({
      status: 'D',
      path: 'site/old.css',
      urls: ['https://www.example.com/old.css'],
      deleted: true,
      skipped: undefined,
      site: { rootDir: 'site', baseUrl: 'https://www.example.com/' },
    });
  });

  it('ignores a sibling folder whose name starts like root-dir', () => {
    const mapping = mapChangedFiles([entry('M', 'site-old/a.html'), entry('M', 'site/a.html')], {
      ...SETTINGS,
      sites: inSite('site'),
    });
    expect(mapping.urls).toEqual(['https://www.example.com/a.html']);
  });

  it('maps a file to the site with the longest root-dir that holds it, whole folders only', () => {
    const web = { rootDir: 'apps/web', baseUrl: 'https://www.example.com/' };
    const blog = { rootDir: 'apps/web/blog', baseUrl: 'https://blog.example.com/' };
    const root = { rootDir: '', baseUrl: 'https://repo.example.com/' };
    const mapping = mapChangedFiles(
      [
        entry('M', 'apps/web/a.html'),
        entry('M', 'apps/web/blog/post.html'),
        entry('M', 'apps/web/blogroll.html'),
        entry('M', 'apps/web2/b.html'),
        entry('D', 'apps/web/blog/index.html'),
      ],
      { ...SETTINGS, sites: [web, blog] },
    );
    expect(mapping.files.map((file) => [file.path, file.site, file.urls])).toEqual([
      ['apps/web/a.html', web, ['https://www.example.com/a.html']],
      ['apps/web/blog/post.html', blog, ['https://blog.example.com/post.html']],
      ['apps/web/blogroll.html', web, ['https://www.example.com/blogroll.html']],
      ['apps/web2/b.html', undefined, []],
      [
        'apps/web/blog/index.html',
        blog,
        ['https://blog.example.com/index.html', 'https://blog.example.com/'],
      ],
    ]);
    expect(mapping.sites).toEqual([web, blog]);
    // The repository's root is the shortest root-dir: it takes what no other site holds.
    const withRoot = mapChangedFiles([entry('M', 'apps/web2/b.html'), entry('M', 'apps/web/a.html')], {
      ...SETTINGS,
      sites: [root, web],
    });
    expect(withRoot.urls).toEqual([
      'https://repo.example.com/apps/web2/b.html',
      'https://www.example.com/a.html',
    ]);
  });

  it('maps 100,000 files', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) =>
      entry(i % 10 === 0 ? 'D' : 'M', `site/d${i % 50}/f ${i}.html`),
    );
    const mapping = mapChangedFiles(entries, { ...SETTINGS, sites: inSite('site'), exclude: ['**/*.map'] });
    expect(mapping.urls).toHaveLength(90_000);
    expect(mapping.purgeOnlyUrls).toHaveLength(10_000);
  });

  it('maps 100,000 files over 50 sites', () => {
    const sites = Array.from({ length: 50 }, (_, i) => ({
      rootDir: `apps/s${i}`,
      baseUrl: `https://s${i}.example.com/`,
    }));
    const entries = Array.from({ length: 100_000 }, (_, i) => entry('M', `apps/s${i % 50}/f ${i}.html`));
    const mapping = mapChangedFiles(entries, { ...SETTINGS, sites });
    expect(mapping.urls).toHaveLength(100_000);
    expect(mapping.urls[99_999]).toBe('https://s49.example.com/f%2099999.html');
  });
});

describe('globFilter', () => {
  it('keeps everything by default', () => {
    expect(globFilter([], [])('any/path.txt')).toBe(true);
  });

  it('matches the whole relative path: * stays in a folder, ** crosses folders, dotfiles match', () => {
    const html = globFilter(['*.html'], []);
    expect(html('index.html')).toBe(true);
    expect(html('blog/post.html')).toBe(false);
    const deep = globFilter(['**/*.html', '.well-known/**'], []);
    expect(deep('blog/post.html')).toBe(true);
    expect(deep('.hidden/page.html')).toBe(true);
    expect(deep('.well-known/security.txt')).toBe(true);
    expect(deep('app.js')).toBe(false);
  });

  it('takes exclude over include, with braces and extglobs', () => {
    const filter = globFilter(['**'], ['**/*.{map,ts}', 'drafts/**']);
    expect(filter('app.js')).toBe(true);
    expect(filter('app.js.map')).toBe(false);
    expect(filter('src/a.ts')).toBe(false);
    expect(filter('drafts/x/y.html')).toBe(false);
    expect(filter('.env')).toBe(true);
  });

  it('never treats a backslash as a folder separator', () => {
    expect(globFilter(['a/*'], [])('a\\b')).toBe(false);
  });
});

describe('the plan, the log and the summary', () => {
  const changed: ChangedFiles = {
    comparison: { from: SHA_A, to: SHA_B, description: 'push: aaaaaaaaaaaa..bbbbbbbbbbbb' },
    mapping: mapChangedFiles(
      [entry('M', 'index.html'), entry('D', 'old <b>.css'), entry('M', 'a\nb.txt'), entry('M', 'x.map')],
      { ...SETTINGS, exclude: ['*.map'] },
    ),
    siteFiles: undefined,
  };

  it('adds the changed URLs to every other target, deleted ones as purge-only', () => {
    const hosts = { kind: 'purge-hosts', input: 'hosts', targets: ['img.example.com'] };
    const settings = {
      mode: 'purge-prefetch',
      urls: ['https://www.example.com/index.html', 'https://cdn.example.com/x.js'],
      paths: ['https://www.example.com/static/'],
      providerSettings: { targets: [hosts], options: { zoneId: 'zone-1' } },
    } as unknown as Settings;
    expect(planTargets(settings, changed)).toEqual({
      mode: 'purge-prefetch',
      urls: [
        'https://www.example.com/index.html',
        'https://cdn.example.com/x.js',
        'https://www.example.com/index.html',
        'https://www.example.com/',
        'https://www.example.com/a%0Ab.txt',
      ],
      paths: ['https://www.example.com/static/'],
      purgeOnlyUrls: ['https://www.example.com/old%20%3Cb%3E.css'],
      providerTargets: [hosts],
    });
    expect(planTargets(settings, undefined)).toEqual({
      mode: 'purge-prefetch',
      urls: settings.urls,
      paths: settings.paths,
      purgeOnlyUrls: [],
      providerTargets: [hosts],
    });
  });

  it('describes each file on one line, whatever its name', () => {
    expect(changed.mapping.files.map(describeFile)).toEqual([
      'M  index.html -> https://www.example.com/index.html https://www.example.com/',
      'D  old <b>.css -> https://www.example.com/old%20%3Cb%3E.css (deleted: purge only)',
      'M  "a\\nb.txt" -> https://www.example.com/a%0Ab.txt',
      'M  x.map: excluded, skipped',
    ]);
  });

  it('counts them for the job summary, escaped', () => {
    expect(changedFilesSummary(changed)).toBe(
      '<p>Changed files (<code>push: aaaaaaaaaaaa..bbbbbbbbbbbb</code>): 4 changed files, 3 URLs of added or modified files, 1 URL of deleted files (purged only), 1 skipped: excluded.</p>',
    );
    expect(
      changedFilesSummary({
        comparison: undefined,
        mapping: mapChangedFiles([], SETTINGS),
        siteFiles: undefined,
      }),
    ).toContain('nothing to compare');
  });
});

describe('servedUrls', () => {
  it('maps each file of the tree to the site with the longest root-dir that holds it, and leaves out the rest', () => {
    const sites = [
      { rootDir: 'apps/web', baseUrl: 'https://www.example.com/' },
      { rootDir: 'apps/web/blog', baseUrl: 'https://blog.example.com/' },
    ];
    expect(
      servedUrls(['apps/web/a b.html', 'apps/web/blog/p.html', 'apps/website/x.html', 'README.md'], sites),
    ).toEqual(['https://www.example.com/a%20b.html', 'https://blog.example.com/p.html']);
    expect(servedUrls(['README.md'], [{ rootDir: '', baseUrl: 'https://e.com/' }])).toEqual([
      'https://e.com/README.md',
    ]);
  });
});
