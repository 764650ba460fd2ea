import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { flatten, quote } from '../text.js';
import { readCappedFile } from './capped-file.js';
import { checkUrl, type UrlFixes } from './urls.js';
import type { InputContext } from './values.js';

const INPUT = 'urls-file';
/** The most of a bad line an error shows. */
const EXCERPT_LENGTH = 40;
/** A run of token characters this long may be a key or a token: an excerpt never shows one. */
const TOKEN_LIKE = /[A-Za-z0-9+=_-]{16,}/g;

/**
 * The URLs of `urls-file` (each as written, and as it is sent), one per line (blank lines and `#` comments skipped), each checked. The file must be,
 * its symbolic links followed, in the workspace or in RUNNER_TEMP: the input names a file the workflow made, never
 * one elsewhere on the runner (`/etc/passwd`, `/proc/self/environ`). A bad line is named by its number and a short
 * excerpt (README.md#security).
 */
export function readUrlsFile(ctx: InputContext, fixes: UrlFixes = {}): { lines: string[]; urls: string[] } {
  const name = ctx.read(INPUT);
  if (name === '') return { lines: [], urls: [] };
  const text = readCappedFile(INPUT, name, containedPath(name, ctx));
  const lines: string[] = [];
  const urls: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    try {
      urls.push(checkUrl(INPUT, entry, fixes));
      lines.push(entry);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(INPUT, name, `line ${index + 1} (${lineExcerpt(entry)}): ${error.accepted}`);
    }
  }
  return { lines, urls };
}

/** The real path of the file `name` names (relative to the workspace), when it lies in the workspace or RUNNER_TEMP. */
export function containedPath(
  name: string,
  { workspace, env }: Pick<InputContext, 'workspace' | 'env'>,
): string {
  const path = isAbsolute(name) ? name : resolve(workspace, name);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(
      INPUT,
      name,
      `cannot read ${quote(path)} (${reason}); give a file with one URL per line`,
    );
  }
  const roots = [
    { label: 'the workspace', folder: realPath(workspace) },
    { label: 'RUNNER_TEMP', folder: env.RUNNER_TEMP ? realPath(env.RUNNER_TEMP) : undefined },
  ];
  if (roots.some(({ folder }) => folder !== undefined && isInside(real, folder))) return real;
  const places = roots
    .filter(({ folder }) => folder !== undefined)
    .map(({ label, folder }) => `${label} (${folder})`)
    .join(' or ');
  const leads = real === path ? '' : `, where it leads with its symbolic links followed,`;
  throw new InputError(
    INPUT,
    name,
    `the file is ${quote(real)}${leads} outside ${places}; urls-file reads a file of the workspace or of RUNNER_TEMP only`,
  );
}

/** A line in an error: flattened, anything that may be a key or a token left out, cut short. */
export function lineExcerpt(line: string): string {
  const safe = flatten(line).replace(TOKEN_LIKE, '…');
  return quote(safe.length > EXCERPT_LENGTH ? `${safe.slice(0, EXCERPT_LENGTH)}…` : safe);
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
}
