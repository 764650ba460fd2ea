/**
 * changed-files through the bundle: real repositories (a bare origin, a depth-1 checkout as a runner has), event
 * payloads as GitHub writes them, and the exact URLs on the wire to the emulator.
 */
import { existsSync, lchownSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();

const BASE = 'https://www.example.com/';
const U = (path: string): string => `${BASE}${path}`;

interface Event {
  name: string;
  payload?: unknown;
}

/** Runs the bundle in `workspace` for this event, with changed-files on and `inputs` added or overriding. */
function act(
  workspace: string,
  event: Event,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction(
    {
      ...stepInputs(fixture.emulator),
      'changed-files': 'true',
      'base-url': BASE,
      ...inputs,
    },
    {
      workspace,
      env: {
        ...fixture.repo.env,
        GITHUB_EVENT_NAME: event.name,
        ...(event.payload === undefined ? {} : { GITHUB_EVENT_PATH: fixture.repo.event(event.payload) }),
        ...env,
      },
    },
  );
}

const push = (before: string, after: string): Event => ({
  name: 'push',
  payload: {
    ref: 'refs/heads/main',
    before,
    after,
    created: /^0+$/.test(before),
    deleted: /^0+$/.test(after),
  },
});
const ZERO = '0'.repeat(40);

/** Every URL sent to this API, over all its requests, sorted. */
function sent(action: string): string[] {
  return fixture.emulator.requests
    .filter((request) => request.action === action)
    .flatMap((request) => (request.body as { Urls: string[] }).Urls)
    .sort();
}
const sorted = (urls: string[]): string[] => [...urls].sort();
const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** The site every test starts from, pushed to origin: `site/` is served at BASE. */
function initialSite(): string {
  const sha = fixture.repo.commit(
    {
      'README.md': 'readme',
      'site/index.html': 'home',
      'site/keep.html': 'kept',
      'site/blog/index.html': 'blog',
      'site/blog/post.html': 'post',
      'site/old.css': 'old',
      'site/a b.html': 'space',
      'site/\u00fcn\u00efc\u00f8d\u00e9.txt': 'unicode',
      'site/move-me.js': 'move',
      'site/leave.txt': 'leave',
      'site/.well-known/security.txt': 'contact',
      'drafts/draft.html': 'draft',
    },
    'initial',
  );
  fixture.repo.push();
  return sha;
}

describe('changed-files on push', () => {
  it('maps modified, added, deleted, renamed and moved files with any name to exact URLs, from a depth-1 clone', async () => {
    const before = initialSite();
    fixture.repo.commit(
      {
        'site/index.html': 'home 2',
        'site/a b.html': 'space 2',
        'site/\u00fcn\u00efc\u00f8d\u00e9.txt': 'unicode 2',
        'site/old.css': null,
        'site/say "hi" & it\'s.html': 'quotes',
        'site/line\nbreak.html': 'line break',
        'site/100%.html': 'percent',
        'site/(a)!*.txt': 'reserved',
        'README.md': 'readme 2',
      },
      'first of the push',
    );
    fixture.repo.move({
      'site/move-me.js': 'site/js/moved.js',
      'site/leave.txt': 'archive/leave.txt',
      'drafts/draft.html': 'site/draft.html',
    });
    const after = fixture.repo.commit({
      'site/blog/index.html': 'blog 2',
      'site/.well-known/security.txt': 'c2',
    });
    fixture.repo.push();
    const workspace = fixture.repo.checkout();
    expect(fixture.repo.git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true');

    const run = await act(workspace, push(before, after), { 'root-dir': 'site' });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const changed = [
      U('index.html'),
      BASE,
      U('a%20b.html'),
      U('%C3%BCn%C3%AFc%C3%B8d%C3%A9.txt'),
      U('say%20%22hi%22%20%26%20it%27s.html'),
      U('line%0Abreak.html'),
      U('100%25.html'),
      U('%28a%29%21%2A.txt'),
      U('js/moved.js'),
      U('draft.html'),
      U('blog/index.html'),
      U('blog/'),
      U('.well-known/security.txt'),
    ];
    const deleted = [U('old.css'), U('move-me.js'), U('leave.txt')];
    expect(sent('PurgeUrlsCache')).toEqual(sorted([...changed, ...deleted]));
    expect(sent('PushUrlsCache')).toEqual([]);
    expect(sorted(json(run.outputs.urls) as string[])).toEqual(sorted([...changed, ...deleted]));
    expect(run.outputs['url-count']).toBe(String(changed.length + deleted.length));
    expect(run.outputs.status).toBe('submitted');

    expect(run.stdout).toContain(
      `::group::Changed files (push: ${before.slice(0, 12)}..${after.slice(0, 12)})`,
    );
    expect(run.stdout).toContain(`D  site/old.css -> ${U('old.css')} (deleted: purge only)`);
    expect(run.stdout).toContain(`A  site/js/moved.js -> ${U('js/moved.js')}`);
    expect(run.stdout).toContain(`D  site/move-me.js -> ${U('move-me.js')} (deleted: purge only)`);
    expect(run.stdout).toContain(`A  archive/leave.txt: outside root-dir, skipped`);
    expect(run.stdout).toContain(`M  README.md: outside root-dir, skipped`);
    expect(run.stdout).toContain(`M  site/blog/index.html -> ${U('blog/index.html')} ${U('blog/')}`);
    expect(run.stdout).toContain(`A  "site/line\\nbreak.html" -> ${U('line%0Abreak.html')}`);
    expect(run.summary).toContain(
      '17 changed files, 13 URLs of added or modified files, 3 URLs of deleted files (purged only)',
    );
    expect(run.summary).toContain('3 skipped: outside root-dir');
    const report = run.report as CompleteResult;
    expect(report['changed-files']).toHaveLength(17);
    expect(report['changed-files']).toContainEqual({
      status: 'D',
      path: 'site/old.css',
      urls: [U('old.css')],
    });
    expect(report['changed-files']).toContainEqual({
      status: 'M',
      path: 'README.md',
      urls: [],
      skipped: 'outside root-dir',
    });
    // The previous commit was fetched by SHA, without deepening the whole clone, and the log says so.
    expect(fixture.repo.git(workspace, 'cat-file', '-t', before)).toBe('commit');
    expect(run.stdout).toContain(
      `changed-files: fetching from origin what the clone lacks: git fetch --depth=1 origin ${before}\n`,
    );
  });

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

  it('fails with the fetch-depth hint when the deploy commit cannot be fetched', async () => {
    const before = initialSite();
    const missing = 'f'.repeat(40);
    const run = await act(fixture.repo.checkout(), push(before, missing));
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`changed-files: cannot fetch commit ${missing} (after) from origin`);
    expect(run.errors[0]).toContain('fetch-depth: 0');
    expect(fixture.emulator.requests).toEqual([]);
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

describe('changed-files on pull requests', () => {
  /** main and feature diverge by 20 commits each (deeper than the first deepening step); refs/pull/1/merge merges them. */
  function divergedBranches(): { base: string; head: string } {
    initialSite();
    for (let i = 0; i < 20; i++) fixture.repo.commit({ [`site/main-${i}.html`]: 'main' });
    const base = fixture.repo.head();
    fixture.repo.git(fixture.repo.author, 'checkout', '--quiet', '-b', 'feature', 'HEAD~20');
    for (let i = 0; i < 19; i++) fixture.repo.commit({ [`site/feature-${i}.html`]: 'feature' });
    const head = fixture.repo.commit({ 'site/keep.html': 'kept 2', 'site/old.css': null });
    fixture.repo.git(fixture.repo.author, 'checkout', '--quiet', '-B', 'merge', base);
    fixture.repo.git(fixture.repo.author, 'merge', '--quiet', '--no-ff', '-m', 'merge', 'feature');
    fixture.repo.push('main:refs/heads/main');
    fixture.repo.push('feature:refs/heads/feature');
    fixture.repo.push('merge:refs/pull/1/merge');
    return { base, head };
  }
  const featureUrls = [
    ...Array.from({ length: 19 }, (_, i) => U(`feature-${i}.html`)),
    U('keep.html'),
    U('old.css'),
  ];
  const pullRequest = (name: string, base: string, head: string): Event => ({
    name,
    payload: {
      number: 1,
      pull_request: {
        number: 1,
        base: { sha: base, repo: { full_name: 'octo/site' } },
        head: { sha: head, repo: { full_name: 'octo/site' } },
      },
    },
  });

  it('pull_request: compares the merge base of base and head with head, deepening the shallow clone', async () => {
    const { base, head } = divergedBranches();
    const workspace = fixture.repo.checkout('refs/pull/1/merge');
    const run = await act(workspace, pullRequest('pull_request', base, head), { 'root-dir': 'site' });
    expect(run.errors).toEqual([]);
    expect(sent('PurgeUrlsCache')).toEqual(sorted(featureUrls));
    expect(run.stdout).toContain(`(merge base of ${base.slice(0, 12)} and ${head.slice(0, 12)})`);
    // Deepened step by step, not unshallowed.
    expect(fixture.repo.git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('pull_request_target: the same commits, from a checkout of the base branch', async () => {
    const { base, head } = divergedBranches();
    const run = await act(fixture.repo.checkout(), pullRequest('pull_request_target', base, head), {
      'root-dir': 'site',
    });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted(featureUrls));
  });
});

describe('changed-files with since', () => {
  it('workflow_dispatch without since fails before anything is sent, naming the input', async () => {
    initialSite();
    const run = await act(fixture.repo.checkout(), { name: 'workflow_dispatch', payload: {} });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(
      `Input 'since' has the value "": required with changed-files: true for the workflow_dispatch event`,
    );
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('workflow_dispatch: compares HEAD with a tag that the depth-1 clone lacks', async () => {
    initialSite();
    fixture.repo.commit({ 'site/keep.html': 'kept 2' });
    fixture.repo.git(fixture.repo.author, 'tag', 'v1');
    fixture.repo.commit({ 'site/index.html': 'home 2' });
    fixture.repo.commit({ 'site/old.css': null });
    fixture.repo.push();
    fixture.repo.push('refs/tags/v1:refs/tags/v1');
    const run = await act(
      fixture.repo.checkout(),
      { name: 'workflow_dispatch', payload: {} },
      { since: 'v1', 'root-dir': 'site' },
    );
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('index.html'), BASE, U('old.css')]));
    expect(run.stdout).toContain('since v1: ');
  });

  it('since overrides the push event: a full SHA that the clone lacks is fetched from origin', async () => {
    const first = initialSite();
    const middle = fixture.repo.commit({ 'site/keep.html': 'kept 2' });
    const after = fixture.repo.commit({ 'site/index.html': 'home 2' });
    fixture.repo.push();
    const run = await act(fixture.repo.checkout(), push(middle, after), { since: first, 'root-dir': 'site' });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('keep.html'), U('index.html'), BASE]));
    expect(run.stdout).toContain(`since ${first}: ${first.slice(0, 12)}..${after.slice(0, 12)} (HEAD)`);
  });

  it('since names a branch, for any other event (schedule)', async () => {
    const first = initialSite();
    fixture.repo.commit({ 'site/keep.html': 'kept 2' });
    fixture.repo.commit({ 'site/index.html': 'home 2' });
    fixture.repo.push();
    fixture.repo.push(`${first}:refs/heads/old`);
    const run = await act(
      fixture.repo.checkout(),
      { name: 'schedule' },
      { since: 'old', 'root-dir': 'site' },
    );
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted([U('keep.html'), U('index.html'), BASE]));
  });

  it('refuses a since that git would read as an option, before git or the CDN sees it', async () => {
    initialSite();
    const target = join(fixture.repo.root, 'written-by-git');
    const run = await act(
      fixture.repo.checkout(),
      { name: 'workflow_dispatch' },
      { since: `--output=${target}` },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`Input 'since' has the value "--output=${target}"`);
    expect(existsSync(target)).toBe(false);
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('fails clearly when since names nothing on origin', async () => {
    initialSite();
    const run = await act(
      fixture.repo.checkout(),
      { name: 'workflow_dispatch' },
      { since: 'no-such-branch' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('changed-files: since no-such-branch is no commit, tag or branch');
    expect(run.errors[0]).toContain('fetch-depth: 0');
  });
});

function chownRecursive(path: string, uid: number): void {
  lchownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownRecursive(join(path, name), uid);
}
