import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { checkRef } from '../../src/inputs/changed-files.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { readRootDir } from '../../src/inputs/sites.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { Settings } from '../../src/settings.js';
import { thrownBy } from '../support/thrown.js';

type Inputs = Record<string, string>;

/** A pull request within one repository, as GitHub's payload names its head and base. */
const SAME_REPOSITORY_PULL_REQUEST = join(mkdtempSync(join(tmpdir(), 'changed-files-inputs-')), 'event.json');
writeFileSync(
  SAME_REPOSITORY_PULL_REQUEST,
  JSON.stringify({
    pull_request: { head: { repo: { full_name: 'o/site' } }, base: { repo: { full_name: 'o/site' } } },
  }),
);

function settings(inputs: Inputs, event = 'push'): Settings {
  return readSettings(
    {
      read: (name) => inputs[name] ?? '',
      env: { GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: SAME_REPOSITORY_PULL_REQUEST },
      workspace: tmpdir(),
    },
    PROVIDERS,
  ).settings;
}

/** changed-files on, with its required base-url and credentials; no explicit targets. */
const valid = (extra: Inputs = {}): Inputs => ({
  provider: 'tencent-cdn',
  'secret-id': 'id',
  'secret-key': 'key',
  'changed-files': 'true',
  'base-url': 'https://www.example.com',
  ...extra,
});

const inputError = (inputs: Inputs, event = 'push'): InputError =>
  thrownBy(InputError, () => settings(inputs, event));

describe('changed-files inputs', () => {
  it('fills in the defaults and needs no explicit target', () => {
    expect(settings(valid()).changedFiles).toEqual({
      sites: [{ rootDir: '', baseUrl: 'https://www.example.com/' }],
      sitesInput: 'root-dir',
      source: 'auto',
      githubToken: '',
      since: undefined,
      include: [],
      exclude: [],
      indexFile: 'index.html',
    });
    expect(settings(valid({ mode: 'prefetch' })).urls).toEqual([]);
    expect(settings(valid({ mode: 'purge-prefetch' })).changedFiles).toBeDefined();
  });

  it('reads every input', () => {
    const result = settings(
      valid({
        'base-url': 'https://www.example.com/docs/',
        'root-dir': './public/',
        since: 'v1.4.0',
        include: '**/*.html\n\n# comment\n  .well-known/**  ',
        exclude: '**/*.map',
        'index-file': 'default.htm',
        urls: 'https://www.example.com/extra.js',
      }),
    );
    expect(result.changedFiles).toEqual({
      sites: [{ rootDir: 'public', baseUrl: 'https://www.example.com/docs/' }],
      sitesInput: 'root-dir',
      source: 'auto',
      githubToken: '',
      since: 'v1.4.0',
      include: ['**/*.html', '.well-known/**'],
      exclude: ['**/*.map'],
      indexFile: 'default.htm',
    });
    expect(result.urls).toEqual(['https://www.example.com/extra.js']);
  });

  it('is off by default, and refuses its inputs without changed-files: true', () => {
    const base = {
      provider: 'tencent-cdn',
      'secret-id': 'id',
      'secret-key': 'key',
      urls: 'https://a.example.com/x',
    };
    expect(settings(base).changedFiles).toBeUndefined();
    for (const name of ['base-url', 'root-dir', 'since', 'include', 'exclude', 'index-file']) {
      const error = inputError({ ...base, [name]: 'x' });
      expect(error.input).toBe(name);
      expect(error.message).toContain('applies only with changed-files: true');
    }
    expect(inputError({ ...base, 'changed-files': 'yes' }).message).toContain('accepted: true, false');
  });

  it('still refuses a run with no targets when changed-files is false', () => {
    expect(inputError(valid({ 'changed-files': 'false', 'base-url': '' })).message).toContain('no targets');
  });

  it.each([
    ['', 'required with changed-files: true'],
    ['www.example.com', 'absolute http:// or https:// URL'],
    ['ftp://www.example.com/', 'absolute http:// or https:// URL'],
    ['https://www.example.com/?v=1', 'without a query'],
    ['https://www.example.com/#top', 'fragment'],
    ['https://user:pw@www.example.com/', 'user name or password'],
    ['https://www.example.com/my site/', 'whitespace'],
  ])('refuses base-url %j', (value, message) => {
    const error = inputError(valid({ 'base-url': value }));
    expect(error.input).toBe('base-url');
    expect(error.message).toContain(message);
  });

  it.each(['/srv/site', '../outside', 'site/../../outside', 'site\\dist', 'C:/site', 'a\nb'])(
    'refuses root-dir %j',
    (value) => {
      const error = inputError(valid({ 'root-dir': value }));
      expect(error.input).toBe('root-dir');
      expect(error.message).toContain('expected a folder inside the repository');
    },
  );

  it('normalises root-dir', () => {
    expect(readRootDir('root-dir', '')).toBe('');
    expect(readRootDir('root-dir', '.')).toBe('');
    expect(readRootDir('root-dir', './')).toBe('');
    expect(readRootDir('root-dir', 'site/')).toBe('site');
    expect(readRootDir('root-dir', './site//dist/')).toBe('site/dist');
    expect(readRootDir('root-dir', 'site/../public')).toBe('public');
  });

  it.each(['a/b', '..', 'a\tb'])('refuses index-file %j', (value) => {
    expect(inputError(valid({ 'index-file': value })).input).toBe('index-file');
  });

  it('refuses a glob picomatch cannot compile', () => {
    const error = inputError(valid({ exclude: `ok/**\n${'{'.repeat(70_000)}` }));
    expect(error.input).toBe('exclude');
  });

  it('requires since for events that name no commits, before anything is sent', () => {
    for (const event of ['workflow_dispatch', 'schedule', 'repository_dispatch', 'merge_group', '']) {
      const error = inputError(valid(), event);
      expect(error.input).toBe('since');
      expect(error.message).toContain('required with changed-files: true');
    }
    for (const event of ['push', 'pull_request', 'pull_request_target']) {
      expect(settings(valid(), event).changedFiles?.since).toBeUndefined();
    }
    expect(settings(valid({ since: 'main' }), 'workflow_dispatch').changedFiles?.since).toBe('main');
  });

  it('refuses mode unblock', () => {
    const error = inputError(valid({ mode: 'unblock' }));
    expect(error.input).toBe('changed-files');
    expect(error.message).toContain('mode purge, prefetch or purge-prefetch');
  });

  it('still refuses directories with mode prefetch', () => {
    expect(inputError(valid({ mode: 'prefetch', paths: 'https://www.example.com/a/' })).input).toBe('paths');
  });
});

describe('checkRef', () => {
  it.each(['main', 'v1.4.0', 'release/2024-06', '3f2a9c1', 'a'.repeat(40), 'feature/ünïcode', 'x@y'])(
    'accepts %j',
    (value) => {
      expect(checkRef('since', value)).toBe(value);
    },
  );

  it.each([
    '--output=/tmp/x',
    '-n',
    'HEAD~1',
    'main^',
    'a..b',
    'a...b',
    'main:refs/heads/x',
    '+main',
    'x y',
    'line\nbreak',
    '/main',
    'main/',
    '.hidden',
    'a/.b',
    'main.lock',
    'a//b',
    'main@{1}',
    '@',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'x'.repeat(256),
  ])('refuses %j', (value) => {
    expect(() => checkRef('since', value)).toThrow(InputError);
  });
});
