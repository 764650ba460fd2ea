/**
 * changed-files on push, run() in process: real repositories (a bare origin, a depth-1 checkout as a runner has),
 * event payloads as GitHub writes them, and the exact URLs on the wire to the emulator.
 */
import { lchownSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, changedFilesCase, json, push, sorted, U, ZERO } from '../support/changed-files-step.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { inProcess } from '../support/step-runner.js';

const fixture = emulatorAndRepoPerTest();
const { act, sent, initialSite } = changedFilesCase(fixture, inProcess);

describe('changed-files on push', () => {
  it('applies include and exclude globs to the path under root-dir, dotfiles included', async () => {
    const before = initialSite();
    const after = fixture.repo.commit({
      'site/index.html': 'home 2',
      'site/app.js': 'js',
      'site/app.js.map': 'map',
      'site/blog/post.html': 'post 2',
      'site/.well-known/security.txt': 'c2',
      'site/private/secret.html': 'secret',
    });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(before, after), {
      'root-dir': './site',
      include: '**/*.html\n**/*.js\n.well-known/**',
      exclude: '# not served\nprivate/**\n*.map',
    });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(
      sorted([U('index.html'), BASE, U('app.js'), U('blog/post.html'), U('.well-known/security.txt')]),
    );
    expect(run.stdout).toContain('A  site/app.js.map: excluded, skipped');
    expect(run.stdout).toContain('A  site/private/secret.html: excluded, skipped');
  });

  it('merges explicit urls and paths, removing duplicates; globs and index-file apply to changed files only', async () => {
    const before = initialSite();
    const after = fixture.repo.commit({ 'site/keep.html': 'kept 2', 'site/docs/README.md': 'docs' });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(before, after), {
      'root-dir': 'site',
      'base-url': 'https://www.example.com/sub',
      'index-file': 'README.md',
      exclude: 'skip/**',
      urls: 'https://www.example.com/sub/keep.html\nhttps://cdn.example.com/skip/x.js',
      paths: 'https://www.example.com/static/',
    });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(
      sorted([
        'https://www.example.com/sub/keep.html',
        'https://cdn.example.com/skip/x.js',
        'https://www.example.com/sub/docs/README.md',
        'https://www.example.com/sub/docs/',
      ]),
    );
    expect(
      fixture.emulator.requests
        .filter((r) => r.action === 'PurgePathCache')
        .map((r) => (r.body as { Paths: string[] }).Paths),
    ).toEqual([['https://www.example.com/static/']]);
  });

  it('compares a new branch (all-zero before) with the parent of after, with a warning', async () => {
    initialSite();
    const parent = fixture.repo.commit({ 'site/keep.html': 'kept 2' });
    const after = fixture.repo.commit({ 'site/index.html': 'home 2' });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(ZERO, after), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('index.html'), BASE]));
    expect(run.stdout).toMatch(
      /::warning::The push created "refs\/heads\/main", so the event has no previous commit/,
    );
    expect(run.stdout).toContain(`push: parent of ${after.slice(0, 12)} (new ref): ${parent.slice(0, 12)}..`);
  });

  it('treats every file of a root commit as added', async () => {
    const after = fixture.repo.commit({ 'index.html': 'home', 'css/site.css': 'css' });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(ZERO, after));
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('index.html'), BASE, U('css/site.css')]));
    expect(run.stdout).toContain('has no parent (the first commit): every file in it counts as added');
  });

  it('after a force push, compares with the parent when before is gone from origin, with a warning', async () => {
    initialSite();
    const before = fixture.repo.commit({ 'site/keep.html': 'rewritten away' });
    fixture.repo.push();
    fixture.repo.git(fixture.repo.author, 'reset', '--quiet', '--hard', 'HEAD~1');
    fixture.repo.commit({ 'site/old.css': 'old 2' });
    const after = fixture.repo.commit({ 'site/a b.html': 'space 2' });
    fixture.repo.push('HEAD:refs/heads/main', true);
    fixture.repo.collectGarbage();
    const run = await act(fixture.repo.checkout(), push(before, after), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual([U('a%20b.html')]);
    expect(run.stdout).toContain(
      `::warning::The push's previous commit ${before.slice(0, 12)} cannot be fetched`,
    );
  });

  it('after a force push, still compares before..after when origin still has before', async () => {
    initialSite();
    const before = fixture.repo.commit({ 'site/keep.html': 'rewritten away' });
    fixture.repo.push();
    fixture.repo.git(fixture.repo.author, 'reset', '--quiet', '--hard', 'HEAD~1');
    const after = fixture.repo.commit({ 'site/old.css': 'old 2' });
    fixture.repo.push('HEAD:refs/heads/main', true);
    const run = await act(fixture.repo.checkout(), push(before, after), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    // keep.html differs between the two trees: what the CDN holds (before) is not what is served now (after).
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('keep.html'), U('old.css')]));
    expect(run.stdout).not.toContain('::warning::');
  });

  it('does nothing, successfully, when the push deleted the branch', async () => {
    const before = initialSite();
    const run = await act(fixture.repo.checkout(), push(before, ZERO), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(fixture.emulator.requests).toEqual([]);
    expect(run.stdout).toContain('the push deleted refs/heads/main');
    expect(run.stdout).toContain(
      '::notice::changed-files: no changed file maps to a URL; nothing to purge or prefetch.',
    );
    expect(run.outputs['url-count']).toBe('0');
    expect(run.outputs.status).toBe('submitted');
  });

  it('succeeds with a notice and sends nothing when no changed file maps to a URL', async () => {
    const before = initialSite();
    const after = fixture.repo.commit({ 'README.md': 'readme 2' });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(before, after), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(fixture.emulator.requests).toEqual([]);
    expect(run.stdout).toContain(
      '::notice::changed-files: no changed file maps to a URL; nothing to purge or prefetch.',
    );
    expect(json(run.outputs.urls)).toEqual([]);
    expect(run.outputs['url-count']).toBe('0');
    expect(run.outputs.status).toBe('submitted');
  });

  it('shows the mapping in a dry run and sends nothing', async () => {
    const before = initialSite();
    const after = fixture.repo.commit({ 'site/keep.html': 'kept 2', 'site/old.css': null });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(before, after), {
      'root-dir': 'site',
      'dry-run': 'true',
      'secret-id': '',
      'secret-key': '',
    });
    expect(run.exitCode).toBe(0);
    expect(fixture.emulator.requests).toEqual([]);
    expect(run.outputs.status).toBe('dry-run');
    expect(run.stdout).toContain(`M  site/keep.html -> ${U('keep.html')}`);
    expect(run.stdout).toContain(`D  site/old.css -> ${U('old.css')} (deleted: purge only)`);
    expect(sorted(json(run.outputs.urls) as string[])).toEqual(sorted([U('keep.html'), U('old.css')]));
    expect(run.summary).toContain('Changed files (<code>push: ');
  });

  it('reports and skips submodule and symlink changes', async () => {
    const before = initialSite();
    fixture.repo.commit({ 'site/link.html': { symlink: 'keep.html' }, 'site/keep.html': 'kept 2' });
    fixture.repo.git(
      fixture.repo.author,
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${before},site/vendor`,
    );
    fixture.repo.git(fixture.repo.author, 'commit', '--quiet', '-m', 'submodule');
    const after = fixture.repo.head();
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(before, after), { 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual([U('keep.html')]);
    expect(run.stdout).toContain('A  site/link.html: symlink, skipped');
    expect(run.stdout).toContain('A  site/vendor: submodule, skipped');
  });

  it('fails clearly when the workspace is not a git repository and changed-files-source is git', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'not-a-repo-'));
    try {
      const run = await act(
        folder,
        push(ZERO, 'a'.repeat(40)),
        { 'changed-files-source': 'git' },
        { GIT_CEILING_DIRECTORIES: tmpdir() },
      );
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain('is not a git repository; check the repository out first');
      expect(run.errors[0]).toContain('changed-files-source: api');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)(
    'reads a repository that belongs to another user (container jobs), writing no configuration',
    async () => {
      const before = initialSite();
      const after = fixture.repo.commit({ 'site/keep.html': 'kept 2' });
      fixture.repo.push();
      const workspace = fixture.repo.checkout();
      chownRecursive(workspace, 12345);
      expect(() => fixture.repo.git(workspace, 'status')).toThrow(/dubious ownership/);
      const run = await act(workspace, push(before, after), { 'root-dir': 'site' });
      expect(run.errors).toEqual([]);
      expect(sent('PurgeUrlsCache')).toEqual([U('keep.html')]);
      // git is given the repository outright (GIT_DIR), which its ownership check does not cover; where a git does
      // refuse it, the step runs git again with -c safe.directory=<workspace> (test/targets/commits.test.ts).
      // Nothing was written to any configuration.
      expect(() => fixture.repo.git(workspace, 'status')).toThrow(/dubious ownership/);
    },
  );
});

function chownRecursive(path: string, uid: number): void {
  lchownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownRecursive(join(path, name), uid);
}
