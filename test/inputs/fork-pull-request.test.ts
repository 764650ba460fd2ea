/** changed-files on a pull request from a fork: refused before anything is sent, unless allow-fork-pull-requests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusalOf, settingsFrom } from '../support/settings.js';

const folder = mkdtempSync(join(tmpdir(), 'fork-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
function eventFile(payload: unknown): string {
  const path = join(folder, `event-${files++}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

const CHANGED_FILES = {
  provider: 'tencent-cdn',
  'secret-id': 'id',
  'secret-key': 'key',
  'changed-files': 'true',
  'base-url': 'https://www.example.com/',
};
const repo = (fullName: string | null) => (fullName === null ? null : { full_name: fullName });
const pullRequest = (head: string | null, base = 'octo/site') => ({
  pull_request: {
    head: { sha: 'b'.repeat(40), repo: repo(head) },
    base: { sha: 'a'.repeat(40), repo: repo(base) },
  },
  repository: { full_name: base },
});
const env = (event: string, payload: unknown) => ({
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: eventFile(payload),
});

describe('changed-files on a pull request from a fork', () => {
  it.each(['pull_request', 'pull_request_target'])('%s within the repository runs', (event) => {
    expect(settingsFrom(CHANGED_FILES, env(event, pullRequest('octo/site'))).changedFiles).toBeDefined();
  });

  it.each(['pull_request', 'pull_request_target', 'pull_request_review'])(
    '%s from a fork is refused, naming changed-files, both repositories and the opt-in',
    (event) => {
      const error = refusalOf(
        { ...CHANGED_FILES, since: event === 'pull_request_review' ? 'main' : '' },
        env(event, pullRequest('mallory/site')),
      );
      expect(error.input).toBe('changed-files');
      expect(error.message).toContain(
        `Input 'changed-files' has the value "true": the ${event} event comes from "mallory/site", not from "octo/site": its author would choose which of your URLs are purged and prefetched with this workflow's credentials. Set allow-fork-pull-requests: true to accept that`,
      );
    },
  );

  it('is refused with since as well: since does not change who chose the commits', () => {
    expect(
      refusalOf({ ...CHANGED_FILES, since: 'v1' }, env('pull_request_target', pullRequest('m/site'))).input,
    ).toBe('changed-files');
  });

  it('runs with allow-fork-pull-requests: true, and is refused with false', () => {
    const fork = env('pull_request_target', pullRequest('mallory/site'));
    expect(
      settingsFrom({ ...CHANGED_FILES, 'allow-fork-pull-requests': 'true' }, fork).changedFiles,
    ).toBeDefined();
    expect(refusalOf({ ...CHANGED_FILES, 'allow-fork-pull-requests': 'false' }, fork).input).toBe(
      'changed-files',
    );
    expect(refusalOf({ ...CHANGED_FILES, 'allow-fork-pull-requests': 'yes' }, fork).input).toBe(
      'allow-fork-pull-requests',
    );
  });

  it('treats a deleted head repository, a payload without a base repository or an unreadable payload as a fork', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [env('pull_request_target', pullRequest(null)), 'comes from a repository that no longer exists'],
      [
        env('pull_request', { pull_request: { head: { repo: repo('o/s') } } }),
        'has no pull_request.base.repo.full_name',
      ],
      [{ GITHUB_EVENT_NAME: 'pull_request_target' }, 'GITHUB_EVENT_PATH is not set'],
      [env('pull_request_target', '{'), 'cannot be read'],
    ];
    for (const [environment, reason] of cases) {
      const error = refusalOf(CHANGED_FILES, environment);
      expect(error.input).toBe('changed-files');
      expect(error.message).toContain(reason);
      expect(error.message).toContain('allow-fork-pull-requests: true');
    }
  });

  it('refuses a workflow_run whose head is in a fork, and runs one from the repository', () => {
    const run = (head: string) => ({
      workflow_run: { head_repository: { full_name: head } },
      repository: { full_name: 'octo/site' },
    });
    const inputs = { ...CHANGED_FILES, since: 'main' };
    expect(refusalOf(inputs, env('workflow_run', run('mallory/site'))).message).toContain(
      'the workflow_run event comes from "mallory/site", not from "octo/site"',
    );
    expect(settingsFrom(inputs, env('workflow_run', run('octo/site'))).changedFiles).toBeDefined();
  });

  it('reads no payload for other events', () => {
    expect(settingsFrom(CHANGED_FILES, { GITHUB_EVENT_NAME: 'push' }).changedFiles).toBeDefined();
  });

  it('refuses allow-fork-pull-requests without changed-files, and lets a fork pull request purge explicit URLs', () => {
    const fork = env('pull_request_target', pullRequest('mallory/site'));
    const explicit = {
      provider: 'tencent-cdn',
      'secret-id': 'i',
      'secret-key': 'k',
      urls: 'https://www.example.com/a',
    };
    expect(settingsFrom(explicit, fork).urls).toEqual(['https://www.example.com/a']);
    const error = refusalOf({ ...explicit, 'allow-fork-pull-requests': 'true' }, fork);
    expect(error.input).toBe('allow-fork-pull-requests');
    expect(error.message).toContain('applies only with changed-files: true');
  });
});
