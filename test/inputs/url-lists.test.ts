import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/inputs/read-settings.js';
import { splitList } from '../../src/inputs/urls.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { refusalOf, settingsFrom } from '../support/settings.js';

const A = 'https://www.example.com/a.js';
const B = 'https://www.example.com/b.js';
const KEYS = { 'secret-id': 'id', 'secret-key': 'key' };
const CDN = { provider: 'tencent-cdn', ...KEYS };

function notices(inputs: Record<string, string>) {
  return readSettings({ read: (name) => inputs[name] ?? '', env: {}, workspace: '/tmp' }, PROVIDERS).notices;
}

describe('list inputs, as people write lists', () => {
  it.each([
    ['new lines', `${A}\n${B}`],
    ['commas', `${A},${B}`],
    ['a comma and a space', `${A}, ${B}`],
    ['spaces on one line (a workflow_dispatch field)', `${A} ${B}`],
    ['tabs', `${A}\t\t${B}`],
    ['a YAML list', `- ${A}\n- ${B}`],
    ['a JSON array', JSON.stringify([A, B])],
    ['a JSON array over lines', `[\n  "${A}",\n  "${B}"\n]`],
    ['comments and blank lines', `# assets\n${A}\n\n${B}\n`],
  ])('splits %s', (_, value) => {
    expect(settingsFrom({ ...CDN, urls: value }).urls).toEqual([A, B]);
  });

  it('keeps a comma inside a URL, and a space inside one is refused with %20, not cut in two', () => {
    expect(splitList('urls', 'https://www.example.com/a,b.jpg')).toEqual(['https://www.example.com/a,b.jpg']);
    expect(refusalOf({ ...CDN, urls: 'https://www.example.com/a b.js' }).message).toContain('a space is %20');
  });

  it('refuses a JSON array that is not one, or holds other than strings', () => {
    expect(refusalOf({ ...CDN, urls: `["${A}"` }).message).toContain(
      'starts with "[" but is not a JSON array',
    );
    expect(refusalOf({ ...CDN, urls: '[1, 2]' }).message).toContain('holds strings only');
  });

  it('splits paths the same way', () => {
    expect(
      settingsFrom({ ...CDN, paths: '- https://www.example.com/a/ https://www.example.com/b/' }).paths,
    ).toEqual(['https://www.example.com/a/', 'https://www.example.com/b/']);
  });
});

describe('characters a URL cannot mean', () => {
  it('refuses semicolon-separated URLs with the separators that work', () => {
    const error = refusalOf({ ...CDN, urls: `${A};${B}` });
    expect(error.input).toBe('urls');
    expect(error.message).toContain('a semicolon does not separate URLs: put one URL per line');
  });

  it('keeps a semicolon that belongs to the URL', () => {
    expect(settingsFrom({ ...CDN, urls: 'https://www.example.com/a;v=1' }).urls).toEqual([
      'https://www.example.com/a;v=1',
    ]);
  });

  it('refuses a wildcard with paths as the fix, and the provider its own alternative', () => {
    const tencent = refusalOf({ ...CDN, urls: 'https://www.example.com/static/*.js' });
    expect(tencent.message).toContain(
      'a "*" is not a wildcard here: the CDN would look for a URL with a literal "*". To purge a folder, give https://www.example.com/static/ in paths',
    );
    const edgeone = refusalOf({
      ...KEYS,
      provider: 'tencent-edgeone',
      'zone-id': 'zone-1',
      urls: 'https://www.example.com/static/*.js',
    });
    expect(edgeone.message).toContain('purge_prefix');
    const alibaba = refusalOf({
      ...KEYS,
      provider: 'aliyun-cdn',
      urls: 'https://www.example.com/static/*.js',
    });
    expect(alibaba.message).toContain('regular expression in regex (ObjectType Regex)');
  });

  it.each([
    ['a pipe', 'https://www.example.com/a|b.js', 'percent-encode it as %7C'],
    ['a brace', 'https://www.example.com/a{b}.js', 'percent-encode it as %7B'],
    ['a backslash', 'https://www.example.com\\static\\a.js', 'separates folders with "/"'],
    ['quotes', `"${A}"`, 'remove the quotes'],
    ['an unexpanded variable', 'https://www.example.com/\u0024{VERSION}/a.js', 'never expanded'],
  ])('refuses %s with the fix', (_, url, fix) => {
    const error = refusalOf({ ...CDN, urls: url });
    expect(error.input).toBe('urls');
    expect(error.message).toContain(fix);
  });
});

describe('URLs sent as a browser would', () => {
  it('percent-encodes non-ASCII characters and says so once', () => {
    const inputs = {
      ...CDN,
      urls: 'https://www.example.com/文档/指南.html\nhttps://www.example.com/é.js',
      paths: 'https://www.example.com/文档/',
    };
    expect(settingsFrom(inputs).urls).toEqual([
      'https://www.example.com/%E6%96%87%E6%A1%A3/%E6%8C%87%E5%8D%97.html',
      'https://www.example.com/%C3%A9.js',
    ]);
    expect(settingsFrom(inputs).paths).toEqual(['https://www.example.com/%E6%96%87%E6%A1%A3/']);
    const { info } = notices(inputs);
    expect(info).toHaveLength(1);
    expect(info[0]).toContain('Percent-encoded the non-ASCII characters of 3 URLs, as a browser does');
    expect(info[0]).toContain('(and 2 more)');
  });

  it('sends an ASCII URL exactly as written, and says nothing', () => {
    const url = 'https://WWW.example.com:443/a/../b%20c.js';
    expect(settingsFrom({ ...CDN, urls: url }).urls).toEqual([url]);
    expect(notices({ ...CDN, urls: url }).info).toEqual([]);
  });

  it('warns that a URL ending in / in urls purges one page, not the folder', () => {
    expect(notices({ ...CDN, urls: `${A}\nhttps://www.example.com/static/` }).warnings).toEqual([
      'urls: 1 URL ending in "/" (https://www.example.com/static/): in urls each purges that one page, not the files under it. To purge a folder, give it in paths.',
    ]);
    expect(notices({ ...CDN, paths: 'https://www.example.com/static/' }).warnings).toEqual([]);
  });
});
