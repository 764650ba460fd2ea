/** urls-file: at most MAX_URLS_FILE_BYTES, refused by its size before it is read; never a FIFO or a device. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { MAX_URLS_FILE_BYTES, readCappedFile } from '../../src/inputs/capped-file.js';
import { thrownBy } from '../support/thrown.js';

const folder = mkdtempSync(join(tmpdir(), 'capped-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A sparse file of `size` bytes: no disk space, and only a read would show that it is all zeros. */
function fileOf(name: string, size: number): string {
  const path = join(folder, name);
  writeFileSync(path, '');
  truncateSync(path, size);
  return path;
}

describe('readCappedFile', () => {
  it('reads a file of exactly the cap', () => {
    expect(MAX_URLS_FILE_BYTES).toBe(32 * 1024 * 1024);
    expect(readCappedFile('urls-file', 'max.txt', fileOf('max.txt', MAX_URLS_FILE_BYTES))).toHaveLength(
      MAX_URLS_FILE_BYTES,
    );
  });

  it('refuses one byte more, naming the input, the value, the path and the size', () => {
    const path = fileOf('over.txt', MAX_URLS_FILE_BYTES + 1);
    const error = thrownBy(InputError, () => readCappedFile('urls-file', 'over.txt', path));
    expect(error.message).toBe(
      `Input 'urls-file' has the value "over.txt": "${path}" has 33,554,433 bytes, more than the 33,554,432 bytes (32 MiB) accepted; give a file with one URL per line`,
    );
  });

  it('refuses a 300 MB file from its size alone', () => {
    const path = fileOf('huge.txt', 300_000_000);
    expect(thrownBy(InputError, () => readCappedFile('urls-file', path, path)).message).toContain(
      'has 300,000,000 bytes',
    );
  });

  it('reads a small file whole', () => {
    const path = join(folder, 'urls.txt');
    writeFileSync(path, 'https://www.example.com/a\nhttps://www.example.com/ü\n');
    expect(readCappedFile('urls-file', 'urls.txt', path)).toBe(
      'https://www.example.com/a\nhttps://www.example.com/ü\n',
    );
  });

  it.runIf(process.platform !== 'win32')(
    'refuses a FIFO without opening it (which would wait for a writer)',
    () => {
      const fifo = join(folder, 'fifo');
      execFileSync('mkfifo', [fifo]);
      expect(thrownBy(InputError, () => readCappedFile('urls-file', 'fifo', fifo)).message).toContain(
        `"${fifo}" is not a regular file`,
      );
    },
  );

  it.runIf(process.platform !== 'win32')('refuses a device such as /dev/zero', () => {
    expect(
      thrownBy(InputError, () => readCappedFile('urls-file', '/dev/zero', '/dev/zero')).message,
    ).toContain('"/dev/zero" is not a regular file');
  });
});

describe('a file that opens but cannot be read', () => {
  it.runIf(existsSync('/proc/self/pagemap'))('is refused naming the input, the path and the error', () => {
    const error = thrownBy(InputError, () => readCappedFile('urls-file', 'pagemap', '/proc/self/pagemap'));
    expect(error.message).toMatch(
      /^Input 'urls-file' has the value "pagemap": cannot read "\/proc\/self\/pagemap" \(E[A-Z]+\); give a file with one URL per line$/,
    );
  });
});
