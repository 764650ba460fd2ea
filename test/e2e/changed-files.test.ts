/**
 * changed-files through the bundle: real repositories (a bare origin, a depth-1 checkout as a runner has), event
 * payloads as GitHub writes them, and the exact URLs on the wire to the emulator. The other cases run run() in
 * process: test/targets/changed-files-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { CompleteResult } from '../../src/report/result.js';
import { BASE, changedFilesCase, json, push, sorted, U } from '../support/changed-files-step.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { bundle } from '../support/step-runner.js';

const fixture = emulatorAndRepoPerTest();
const { act, sent, initialSite } = changedFilesCase(fixture, bundle);

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

  it('fails with the fetch-depth hint when the deploy commit cannot be fetched', async () => {
    const before = initialSite();
    const missing = 'f'.repeat(40);
    const run = await act(fixture.repo.checkout(), push(before, missing));
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`changed-files: cannot fetch commit ${missing} (after) from origin`);
    expect(run.errors[0]).toContain('fetch-depth: 0');
    expect(fixture.emulator.requests).toEqual([]);
  });
});

describe('changed-files with since', () => {
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
});
