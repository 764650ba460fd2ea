/** Which source lists the changed files: git in a checkout of the run's repository, else the GitHub API. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangedFilesSource } from '../../src/settings.js';
import { execGit, Git, GitCommandError } from '../../src/targets/git.js';
import { chooseSource } from '../../src/targets/source.js';
import { GitFixture } from '../support/git-fixture.js';
import { rejectionOf } from '../support/thrown.js';

let repo: GitFixture;
let empty: string;
beforeEach(() => {
  repo = new GitFixture();
  repo.commit({ 'site/a.html': 'a' });
  repo.push();
  empty = mkdtempSync(join(tmpdir(), 'no-checkout-'));
});
afterEach(() => {
  repo.cleanup();
  rmSync(empty, { recursive: true, force: true });
});

async function choose(
  source: Exclude<ChangedFilesSource, 'content'>,
  workspace: string,
  repository?: string,
): Promise<{ chosen: 'git' | 'api'; log: string[] }> {
  const log: string[] = [];
  const env = { ...process.env, ...repo.env, GIT_CEILING_DIRECTORIES: tmpdir() };
  const git = new Git(execGit(workspace, env), workspace, (m) => log.push(m));
  const sink = { info: (m: string) => log.push(m), warning: (m: string) => log.push(m) };
  return { chosen: await chooseSource(source, git, workspace, repository, sink), log };
}

describe('changed-files-source', () => {
  it('auto: git in the top folder of a checkout', async () => {
    expect((await choose('auto', repo.checkout())).chosen).toBe('git');
  });

  it('auto: the API in a folder that is no checkout, or only inside one, saying why', async () => {
    const outside = await choose('auto', empty);
    expect(outside.chosen).toBe('api');
    expect(outside.log).toEqual([
      `changed-files: ${empty} is not a git checkout, so the changed files come from the GitHub API (changed-files-source: auto).`,
    ]);
    const workspace = repo.checkout();
    mkdirSync(join(workspace, 'site', 'dist'), { recursive: true });
    // git looks for a repository in the workspace itself only (GIT_CEILING_DIRECTORIES): a folder inside a
    // checkout is no checkout of its own.
    const inside = await choose('auto', join(workspace, 'site'));
    expect(inside.chosen).toBe('api');
    expect(inside.log[0]).toContain(`${join(workspace, 'site')} is not a git checkout, so`);
  });

  it('auto: git when origin names GITHUB_REPOSITORY, the API when it names another one (credentials hidden)', async () => {
    const workspace = repo.checkout();
    const other = await choose('auto', workspace, 'octo-org/site');
    expect(other.chosen).toBe('api');
    expect(other.log[0]).toContain(`is of another repository (origin ${repo.originUrl}), not octo-org/site`);

    repo.git(
      workspace,
      'remote',
      'set-url',
      'origin',
      'https://x-access-token:ghs_secret@github.com/Octo-Org/Site',
    );
    expect((await choose('auto', workspace, 'octo-org/site')).chosen).toBe('git');
    repo.git(workspace, 'remote', 'set-url', 'origin', 'git@github.com:octo-org/site.git');
    expect((await choose('auto', workspace, 'octo-org/site')).chosen).toBe('git');
    repo.git(
      workspace,
      'remote',
      'set-url',
      'origin',
      'https://x-access-token:ghs_secret@github.com/octo-org/infra.git',
    );
    const infra = await choose('auto', workspace, 'octo-org/site');
    expect(infra.chosen).toBe('api');
    expect(infra.log[0]).toContain('origin https://***@github.com/octo-org/infra.git');
    expect(infra.log[0]).not.toContain('ghs_secret');
  });

  it('git: git in a checkout, whatever its origin; an error without a repository', async () => {
    expect((await choose('git', repo.checkout(), 'octo-org/site')).chosen).toBe('git');
    const error = await rejectionOf(Error, choose('git', empty));
    expect(error.message).toContain(`changed-files: ${empty} is not a git repository`);
    expect(error.message).toContain('changed-files-source: api');
  });

  it('api: the API, without asking git', async () => {
    const calls: string[][] = [];
    const git = new Git(
      async (args) => {
        calls.push([...args]);
        throw new GitCommandError(args, undefined, '', 'not expected');
      },
      empty,
      () => {},
    );
    expect(await chooseSource('api', git, repo.checkout(), undefined, { info() {}, warning() {} })).toBe(
      'api',
    );
    expect(calls).toEqual([]);
  });

  it('auto: the API when git is not installed', async () => {
    const git = new Git(
      async (args) => {
        throw new GitCommandError(args, undefined, '', 'git is not installed or not on PATH');
      },
      empty,
      () => {},
    );
    const log: string[] = [];
    const sink = { info: (m: string) => log.push(m), warning: (m: string) => log.push(m) };
    expect(await chooseSource('auto', git, empty, undefined, sink)).toBe('api');
    expect(log[0]).toContain(
      'cannot be read as a git checkout (git rev-parse --show-toplevel failed: git is not installed',
    );
  });
});
