/**
 * changed-files on pull requests, run() in process: branches that diverge deeper than the first deepening step,
 * built once for the file (each test checks out a workspace of its own and only reads origin).
 */
import { describe, expect, it } from 'vitest';
import { changedFilesCase, type Event, sorted, U } from '../support/changed-files-step.js';
import { emulatorPerTestRepoPerFile } from '../support/emulator-and-repo.js';
import { inProcess } from '../support/step-runner.js';

const fixture = emulatorPerTestRepoPerFile(divergedBranches);
const { act, sent, initialSite } = changedFilesCase(fixture, inProcess);

/**
 * main and feature diverge by 20 commits each (deeper than the first deepening step); refs/pull/1/merge merges them.
 * The 41 commits are made by one git fast-import.
 */
function divergedBranches(): { base: string; head: string } {
  const initial = initialSite();
  let time = 1_700_000_000;
  const commit = (ref: string, mark: number, from: string, changes: string[], merge?: string): string => {
    time += 1;
    return [
      `commit ${ref}`,
      `mark :${mark}`,
      `committer t <t@example.com> ${time} +0000`,
      'data 6',
      'change',
      `from ${from}`,
      ...(merge ? [`merge ${merge}`] : []),
      ...changes,
      '',
    ].join('\n');
  };
  const add = (path: string, content: string): string =>
    `M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}`;
  const featureChanges = [
    ...Array.from({ length: 19 }, (_, i) => add(`site/feature-${i}.html`, 'feature')),
    add('site/keep.html', 'kept 2'),
    'D site/old.css',
  ];
  let stream = '';
  for (let i = 0; i < 20; i++)
    stream += commit('refs/heads/main', i + 1, i === 0 ? initial : `:${i}`, [
      add(`site/main-${i}.html`, 'main'),
    ]);
  for (let i = 0; i < 19; i++)
    stream += commit('refs/heads/feature', 21 + i, i === 0 ? initial : `:${20 + i}`, [
      featureChanges[i] ?? '',
    ]);
  stream += commit('refs/heads/feature', 40, ':39', featureChanges.slice(19));
  stream += commit('refs/heads/merge', 41, ':20', featureChanges, ':40');
  fixture.repo.fastImport(stream);
  const [base = '', head = ''] = fixture.repo
    .git(fixture.repo.author, 'rev-parse', 'main', 'feature')
    .split('\n');
  fixture.repo.push('main:refs/heads/main');
  fixture.repo.push('feature:refs/heads/feature');
  fixture.repo.push('merge:refs/pull/1/merge');
  return { base, head };
}

describe('changed-files on pull requests', () => {
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
    const { base, head } = fixture.built;
    const workspace = fixture.repo.checkout('refs/pull/1/merge');
    const run = await act(workspace, pullRequest('pull_request', base, head), { 'root-dir': 'site' });
    expect(run.errors).toEqual([]);
    expect(sent('PurgeUrlsCache')).toEqual(sorted(featureUrls));
    expect(run.stdout).toContain(`(merge base of ${base.slice(0, 12)} and ${head.slice(0, 12)})`);
    // Deepened step by step, not unshallowed.
    expect(fixture.repo.git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('pull_request_target: the same commits, from a checkout of the base branch', async () => {
    const { base, head } = fixture.built;
    const run = await act(fixture.repo.checkout(), pullRequest('pull_request_target', base, head), {
      'root-dir': 'site',
    });
    expect(run.exitCode).toBe(0);
    expect(sent('PurgeUrlsCache')).toEqual(sorted(featureUrls));
  });
});
