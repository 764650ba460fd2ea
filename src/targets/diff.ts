import { isUtf8 } from 'node:buffer';

/** One changed path of `git diff-tree -r -z --raw`. A rename or copy is split into a deletion and an addition. */
export interface DiffEntry {
  /** git's status letter: A, D, M, T (type change), or U / X (never between two commits). */
  status: string;
  path: string;
  /** Octal modes: 100644 / 100755 file, 120000 symlink, 160000 submodule, 000000 absent; '' unknown (GitHub API). */
  oldMode: string;
  newMode: string;
  /** The name is not valid UTF-8, so its text here is not the real name (the bytes are lost in decoding). */
  undecodable: boolean;
}

/**
 * Parses the NUL-separated raw diff: `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0`, and for a
 * rename or copy (status R or C with a score) `\0<old path>\0<new path>\0`. NUL is the one byte a path cannot
 * hold, so spaces, quotes, unicode and line breaks in names come through unchanged.
 */
export function parseRawDiff(output: Buffer): DiffEntry[] {
  const valid = isUtf8(output);
  const fields = output.toString('utf8').split('\0');
  const entries: DiffEntry[] = [];
  // Only when the output is not valid UTF-8 can a U+FFFD in a name stand for bytes lost in decoding.
  const undecodable = (path: string): boolean => !valid && path.includes('\uFFFD');
  for (let i = 0; i < fields.length; ) {
    const header = fields[i++] ?? '';
    if (header === '') continue;
    // `:` + two 6-digit modes, then two SHAs of one length, then the status: fixed offsets, no split.
    const status = header.charAt(header.lastIndexOf(' ') + 1);
    if (header.charAt(0) !== ':' || header.charAt(7) !== ' ' || !/[A-Z]/.test(status)) {
      throw new Error(
        `unexpected line in the output of git diff-tree: ${JSON.stringify(header.slice(0, 200))}`,
      );
    }
    const oldMode = header.slice(1, 7);
    const newMode = header.slice(8, 14);
    const path = fields[i++] ?? '';
    if (status === 'R' || status === 'C') {
      const newPath = fields[i++] ?? '';
      if (status === 'R') {
        entries.push({ status: 'D', path, oldMode, newMode: '000000', undecodable: undecodable(path) });
      }
      entries.push({
        status: 'A',
        path: newPath,
        oldMode: '000000',
        newMode,
        undecodable: undecodable(newPath),
      });
    } else {
      entries.push({ status, path, oldMode, newMode, undecodable: undecodable(path) });
    }
  }
  return entries;
}
