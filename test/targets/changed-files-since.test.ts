/** changed-files with the since input, run() in process: real repositories and the exact URLs on the wire. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, changedFilesCase, push, sorted, U } from '../support/changed-files-step.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { inProcess } from '../support/step-runner.js';

const fixture = emulatorAndRepoPerTest();
const { act, sent, initialSite } = changedFilesCase(fixture, inProcess);

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
