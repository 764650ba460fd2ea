import picomatch from 'picomatch';
import { InputError } from '../errors.js';
import { CHANGED_FILES_SOURCES, type ChangedFilesSettings, type ChangedFilesSource } from '../settings.js';
import { hasControlCharacter } from '../text.js';
import { readSites } from './sites.js';
import { listLines, oneOf, type ReadInput, refuseIfSet } from './values.js';

/**
 * The inputs that only mean something with `changed-files: true`. Not github-token nor changed-files-source:
 * action.yml gives them defaults, so a runner always sets them.
 */
export const CHANGED_FILES_INPUTS = [
  'base-url',
  'root-dir',
  'sites',
  'since',
  'include',
  'exclude',
  'index-file',
];
/** Events whose payload names the commits to compare; any other event needs `since`. */
export const EVENTS_WITH_COMMITS = ['push', 'pull_request', 'pull_request_target'];
export const DEFAULT_INDEX_FILE = 'index.html';

/** A full commit SHA: SHA-1 (40) or SHA-256 (64) hex digits. */
export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Reads and checks the changed-files inputs; undefined when `changed-files` is not true. `changedFiles` is the
 * parsed `changed-files` boolean; `eventName` is GITHUB_EVENT_NAME, which decides whether `since` is required.
 */
export function readChangedFilesSettings(
  read: ReadInput,
  changedFiles: boolean,
  mode: string,
  eventName: string | undefined,
): ChangedFilesSettings | undefined {
  if (!changedFiles) {
    refuseIfSet(
      read,
      CHANGED_FILES_INPUTS,
      'this input applies only with changed-files: true; set it or remove this input',
    );
    readSource(read);
    return undefined;
  }
  if (mode === 'unblock') {
    throw new InputError(
      'changed-files',
      'true',
      'changed-files applies to mode purge, prefetch or purge-prefetch, not unblock; list the URLs to unblock in urls',
    );
  }
  const since = read('since');
  const source = readSource(read);
  if (source === 'content' && since !== '') {
    throw new InputError(
      'since',
      since,
      'changed-files-source: content compares the built files with the manifest of the last delivered deploy, not two commits; remove since',
    );
  }
  if (source !== 'content' && since === '' && !EVENTS_WITH_COMMITS.includes(eventName ?? '')) {
    throw new InputError(
      'since',
      '',
      `required with changed-files: true for the ${eventName ? `${eventName} event` : 'run outside an event'}, whose payload names no commits to compare: give the commit SHA, tag or branch to compare HEAD with (only push, pull_request and pull_request_target name their own)`,
    );
  }
  return {
    sites: readSites(read),
    sitesInput: read('sites') === '' ? 'root-dir' : 'sites',
    source,
    githubToken: read('github-token'),
    since: since === '' ? undefined : checkRef('since', since),
    include: readGlobs('include', read('include')),
    exclude: readGlobs('exclude', read('exclude')),
    indexFile: readIndexFile(read('index-file')),
  };
}

function readSource(read: ReadInput): ChangedFilesSource {
  return oneOf('changed-files-source', read('changed-files-source') || 'auto', CHANGED_FILES_SOURCES);
}

/**
 * A ref that reaches git: a SHA (full or abbreviated), a tag or a branch, with git's own ref-name rules
 * (git check-ref-format), so that it can never be read as an option (`--output=…`), a refspec (`a:b`), a range
 * (`a..b`) or a revision expression (`a^`, `a@{1}`).
 */
export function checkRef(input: string, value: string): string {
  const bad =
    value.length > 255 ||
    hasControlCharacter(value) ||
    /[\s~^:?*[\\]/u.test(value) ||
    /^[-+/.]|\/$|\.$|\.lock$|\.\.|\/\/|@\{|\/\./.test(value) ||
    value === '@';
  if (bad) {
    throw new InputError(
      input,
      value,
      'expected a commit SHA, a tag or a branch name (such as 3f2a9c1, v1.4.0 or main): no spaces, no leading "-", "+", "/" or ".", none of ~ ^ : ? * [ \\ and no ".."',
    );
  }
  return value;
}

function readGlobs(input: string, value: string): string[] {
  const globs = listLines(value);
  for (const glob of globs) {
    try {
      picomatch.makeRe(glob, { dot: true });
    } catch (error) {
      throw new InputError(
        input,
        glob,
        `not a valid glob (${error instanceof Error ? error.message : String(error)}); give one glob per line, such as **/*.html`,
      );
    }
  }
  return globs;
}

function readIndexFile(value: string): string {
  if (value === '') return DEFAULT_INDEX_FILE;
  if (value.includes('/') || value === '.' || value === '..' || hasControlCharacter(value)) {
    throw new InputError('index-file', value, 'expected a file name without a folder, such as index.html');
  }
  return value;
}
