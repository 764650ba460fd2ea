import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { ChangedFilesSettings } from '../../src/settings.js';
import { thrownBy } from '../support/thrown.js';

type Inputs = Record<string, string>;

function changedFiles(inputs: Inputs): ChangedFilesSettings | undefined {
  return readSettings(
    {
      read: (name) =>
        ({ provider: 'tencent-cdn', 'dry-run': 'true', 'changed-files': 'true', ...inputs })[name] ?? '',
      env: { GITHUB_EVENT_NAME: 'push' },
      workspace: '/tmp',
    },
    PROVIDERS,
  ).settings.changedFiles;
}

const refusal = (inputs: Inputs): InputError => thrownBy(InputError, () => changedFiles(inputs));

/** The refusal of these inputs added to a dry run of explicit URLs, without changed-files. */
const refusalWithoutChangedFiles = (inputs: Inputs): InputError =>
  thrownBy(InputError, () =>
    readSettings(
      {
        read: (name) =>
          ({ provider: 'tencent-cdn', urls: 'https://e.com/a', 'dry-run': 'true', ...inputs })[name] ?? '',
        env: {},
        workspace: '/tmp',
      },
      PROVIDERS,
    ),
  );

describe('sites', () => {
  it('reads one ROOT-DIR => BASE-URL per line, normalising both', () => {
    expect(
      changedFiles({
        sites: [
          'apps/web/dist => https://www.example.com',
          '# docs',
          '',
          './apps/docs/dist/=>https://docs.example.com/v2/',
          '. => https://root.example.com/',
        ].join('\n'),
      })?.sites,
    ).toEqual([
      { rootDir: 'apps/web/dist', baseUrl: 'https://www.example.com/' },
      { rootDir: 'apps/docs/dist', baseUrl: 'https://docs.example.com/v2/' },
      { rootDir: '', baseUrl: 'https://root.example.com/' },
    ]);
  });

  it('is one site from root-dir and base-url without sites', () => {
    expect(changedFiles({ 'root-dir': 'public/', 'base-url': 'https://e.com' })?.sites).toEqual([
      { rootDir: 'public', baseUrl: 'https://e.com/' },
    ]);
  });

  it.each(['root-dir', 'base-url'])('refuses sites together with %s', (replaced) => {
    const error = refusal({ sites: 'a => https://a.example.com/', [replaced]: 'x' });
    expect(error.input).toBe(replaced);
    expect(error.message).toContain('sites replaces root-dir and base-url');
  });

  it.each([
    ['apps/web https://www.example.com/', 'expected one mapping per line: ROOT-DIR => BASE-URL'],
    ['../up => https://www.example.com/', '".." must not lead out of it'],
    ['apps/web => www.example.com', 'sites'],
    ['apps/web => https://www.example.com/?q=1', 'without a query'],
    ['# only a comment', 'expected one mapping per line'],
  ])('refuses the line %j, naming sites', (line, message) => {
    const error = refusal({ sites: line });
    expect(error.input).toBe('sites');
    expect(error.message).toContain(message);
  });

  it('refuses a folder mapped twice', () => {
    const error = refusal({ sites: 'web => https://a.example.com/\n./web/ => https://b.example.com/' });
    expect(error.message).toContain('the folder web is mapped twice');
  });

  it('needs base-url or sites', () => {
    const error = refusal({});
    expect(error.input).toBe('base-url');
    expect(error.message).toContain('or several folders and URLs in sites');
  });

  it('refuses sites without changed-files', () => {
    const error = refusalWithoutChangedFiles({ sites: 'a => https://e.com/' });
    expect(error.input).toBe('sites');
  });
});

describe('changed-files-source and github-token', () => {
  it('defaults to auto, and keeps the token', () => {
    const settings = changedFiles({ 'base-url': 'https://e.com/', 'github-token': 'ghs_x' });
    expect(settings?.source).toBe('auto');
    expect(settings?.githubToken).toBe('ghs_x');
    expect(changedFiles({ 'base-url': 'https://e.com/', 'changed-files-source': 'api' })?.source).toBe('api');
  });

  it('refuses another source, with changed-files or without', () => {
    expect(refusal({ 'base-url': 'https://e.com/', 'changed-files-source': 'svn' }).message).toContain(
      'accepted: auto, git, api',
    );
    const error = refusalWithoutChangedFiles({ 'changed-files-source': 'gti' });
    expect(error.input).toBe('changed-files-source');
  });
});
