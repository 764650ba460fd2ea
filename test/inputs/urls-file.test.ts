/** urls-file: a file of the workspace or of RUNNER_TEMP only, its links followed; a bad line named by its number. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { lineExcerpt, readUrlsFile } from '../../src/inputs/urls-file.js';
import { thrownBy } from '../support/thrown.js';

const root = mkdtempSync(join(tmpdir(), 'urls-file-'));
const workspace = join(root, 'workspace');
const runnerTemp = join(root, 'runner-temp');
const elsewhere = join(root, 'elsewhere');
for (const folder of [workspace, runnerTemp, elsewhere]) mkdirSync(folder);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const URL_A = 'https://www.example.com/a.js';

function read(name: string): string[] {
  return readUrlsFile({
    read: (input) => (input === 'urls-file' ? name : ''),
    env: { RUNNER_TEMP: runnerTemp },
    workspace,
  }).urls;
}

function refusal(name: string): string {
  const error = thrownBy(InputError, () => read(name));
  expect(error.input).toBe('urls-file');
  return error.message;
}

describe('where urls-file may be', () => {
  writeFileSync(join(workspace, 'urls.txt'), `${URL_A}\n`);
  writeFileSync(join(runnerTemp, 'urls.txt'), `${URL_A}\n`);
  writeFileSync(join(elsewhere, 'urls.txt'), `${URL_A}\n`);
  mkdirSync(join(workspace, 'sub'));
  symlinkSync(join(workspace, 'urls.txt'), join(workspace, 'sub', 'link.txt'));
  symlinkSync('/proc/self/environ', join(workspace, 'environ'));
  symlinkSync(elsewhere, join(workspace, 'out'));

  it('reads a file of the workspace, a link to one, and a file of RUNNER_TEMP', () => {
    expect(read('urls.txt')).toEqual([URL_A]);
    expect(read('sub/link.txt')).toEqual([URL_A]);
    expect(read(join(workspace, 'sub', '..', 'urls.txt'))).toEqual([URL_A]);
    expect(read(join(runnerTemp, 'urls.txt'))).toEqual([URL_A]);
  });

  it.each([
    ['../elsewhere/urls.txt', join(elsewhere, 'urls.txt')],
    [join(elsewhere, 'urls.txt'), join(elsewhere, 'urls.txt')],
    ['/etc/passwd', '/etc/passwd'],
    ['out/urls.txt', join(elsewhere, 'urls.txt')],
    ['environ', undefined],
    ['.', workspace],
  ])('refuses %s, outside both, without reading it', (name, real) => {
    const message = refusal(name);
    expect(message).toContain(`Input 'urls-file' has the value ${JSON.stringify(name)}: the file is `);
    if (real) expect(message).toContain(`the file is ${JSON.stringify(real)}`);
    expect(message).toContain(
      `outside the workspace (${workspace}) or RUNNER_TEMP (${runnerTemp}); urls-file reads a file of the workspace or of RUNNER_TEMP only`,
    );
  });

  it('says where a link leads', () => {
    expect(refusal('out/urls.txt')).toContain(', where it leads with its symbolic links followed, outside');
    expect(refusal('../elsewhere/urls.txt')).not.toContain('symbolic links');
  });

  it('names the input and the path for a file that does not exist', () => {
    expect(refusal('missing.txt')).toBe(
      `Input 'urls-file' has the value "missing.txt": cannot read ${JSON.stringify(join(workspace, 'missing.txt'))} (ENOENT); give a file with one URL per line`,
    );
  });
});

describe('a bad line', () => {
  it('is named by its number and a short excerpt', () => {
    writeFileSync(
      join(workspace, 'bad.txt'),
      `# list\n${URL_A}\n\nftp://www.example.com/${'x'.repeat(300)}\n`,
    );
    expect(refusal('bad.txt')).toBe(
      `Input 'urls-file' has the value "bad.txt": line 4 ("ftp://www.example.com/…"): expected an absolute http:// or https:// URL such as https://www.example.com/app.js`,
    );
  });

  it('never shows what may be a key or a token, nor a line break', () => {
    expect(lineExcerpt('SECRET_KEY=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE')).toBe('"…"');
    expect(lineExcerpt('a b\u2028::error::x')).toBe('"a b ::error::x"');
    expect(lineExcerpt('https://www.example.com/some/long/path/to/a/file.js')).toBe(
      '"https://www.example.com/some/long/path/t…"',
    );
  });
});
