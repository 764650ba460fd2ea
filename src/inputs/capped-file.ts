import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { quote } from '../text.js';

/**
 * The largest `urls-file` read: 32 MiB, some 300,000 URLs of 100 characters, far beyond any provider's daily
 * quota. A larger file is refused before it is read, so a mistake (a log, an archive) fails at once.
 */
export const MAX_URLS_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The text of a regular file of at most `MAX_URLS_FILE_BYTES`; `input` and `name` (the value given) go in the
 * error. The size is checked before reading, and the read stops past the cap, so that neither a
 * huge file nor one that grows as it is read is read whole; a FIFO or a device is refused unopened.
 */
export function readCappedFile(input: string, name: string, path: string): string {
  const refuse = (reason: string): never => {
    throw new InputError(input, name, `${reason}; give a file with one URL per line`);
  };
  const unreadable = (error: unknown): never =>
    refuse(`cannot read ${quote(path)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  const tooLarge = (size: string): string =>
    `${quote(path)} has ${size}, more than the ${MAX_URLS_FILE_BYTES.toLocaleString('en-US')} bytes (32 MiB) accepted`;
  // Checked before opening: opening a FIFO would wait for a writer.
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return unreadable(error);
  }
  if (!stats.isFile()) return refuse(`${quote(path)} is not a regular file`);
  if (stats.size > MAX_URLS_FILE_BYTES)
    return refuse(tooLarge(`${stats.size.toLocaleString('en-US')} bytes`));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return unreadable(error);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(stats.size, 64 * 1024), MAX_URLS_FILE_BYTES) + 1);
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        // A file that opens but cannot be read (EISDIR, EINVAL from a special file): named like any other.
        return unreadable(error);
      }
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > MAX_URLS_FILE_BYTES) return refuse(tooLarge('more bytes than that'));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
