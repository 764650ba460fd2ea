/**
 * git in a hostile workspace: the commands a repository's configuration names never run, and the workspace's own
 * files are never taken for a bare repository.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execGit, Git } from '../../src/targets/git.js';
import { chooseSource } from '../../src/targets/source.js';
import { GitFixture } from '../support/git-fixture.js';

let repo: GitFixture;
let marker: string;
beforeEach(() => {
  repo = new GitFixture();
  marker = join(repo.root, 'marker');
});
afterEach(() => repo.cleanup());

function gitIn(workspace: string): Git {
  return new Git(execGit(workspace, { ...process.env, ...repo.env }), workspace, () => {});
}

const touch = (): string => `touch '${marker}'; false`;

describe('git in a hostile workspace', () => {
  it('never takes the plain files of a bare repository at the workspace root for a repository', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'bare-layout-'));
    try {
      repo.git(workspace, 'init', '--quiet', '--bare', '.');
      repo.git(workspace, 'config', 'core.fsmonitor', touch());
      const git = gitIn(workspace);
      expect(await git.attempt(['rev-parse', '--git-dir'])).toBeUndefined();
      expect(await git.attempt(['diff-tree', '-r', 'HEAD', 'HEAD'])).toBeUndefined();
      const log = { info: () => {}, warning: () => {} };
      expect(await chooseSource('auto', git, workspace, undefined, log)).toBe('api');
      await expect(chooseSource('git', git, workspace, undefined, log)).rejects.toThrow(
        'is not a git repository',
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('runs no fsmonitor, upload-pack, hook, credential helper or ssh command of .git/config', async () => {
    const first = repo.commit({ 'a.txt': '1' });
    repo.commit({ 'a.txt': '2' });
    const last = repo.commit({ 'a.txt': '3' });
    repo.push();
    const workspace = repo.checkout();
    for (const [name, value] of [
      ['core.fsmonitor', touch()],
      ['remote.origin.uploadpack', `touch '${marker}'; git-upload-pack`],
      ['credential.helper', `!touch '${marker}'`],
      ['core.sshCommand', `touch '${marker}'`],
      ['core.pager', `touch '${marker}'; cat`],
      ['core.alternateRefsCommand', `touch '${marker}'`],
    ])
      repo.git(workspace, 'config', name ?? '', value ?? '');
    const hooks = join(workspace, '.git', 'hooks');
    mkdirSync(hooks, { recursive: true });
    for (const hook of ['reference-transaction', 'post-checkout', 'pre-auto-gc']) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\ntouch '${marker}'\n`);
      chmodSync(join(hooks, hook), 0o755);
    }
    // git itself would run them: the fixture shows the configuration is live.
    repo.git(workspace, 'status');
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    const git = gitIn(workspace);
    await git.fetch(['--depth=3'], ['main']);
    expect(await git.resolveCommit(first)).toBe(first);
    expect((await git.diff(first, last)).toString()).toContain('a.txt');
    expect(await git.files(last, '')).toEqual(['a.txt']);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses to fetch over a protocol other than https, http, ssh and file', async () => {
    repo.commit({ 'a.txt': '1' });
    repo.push();
    const workspace = repo.checkout();
    repo.git(workspace, 'config', 'remote.origin.url', `ext::sh -c touch% ${marker}`);
    repo.git(workspace, 'config', 'protocol.ext.allow', 'always');
    await expect(gitIn(workspace).fetch(['--depth=1'], ['main'])).rejects.toThrow(
      "transport 'ext' not allowed",
    );
    expect(existsSync(marker)).toBe(false);
  });
});
