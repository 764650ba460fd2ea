/**
 * What the changed-files tests share, through the bundle (test/e2e/) or run() in process (test/targets/): the
 * site every test starts from, the events GitHub sends, the step run in a workspace, and the URLs on the wire.
 */
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import type { EmulatorAndRepo } from './emulator-and-repo.js';
import type { ActionRun } from './run-action.js';
import type { Runner } from './step-runner.js';

export const BASE = 'https://www.example.com/';
export const U = (path: string): string => `${BASE}${path}`;
export const ZERO = '0'.repeat(40);

export interface Event {
  name: string;
  payload?: unknown;
}

/** The step for this event in `workspace`, with changed-files on and `inputs` added or overriding. */
export function changedFilesStep(fixture: EmulatorAndRepo, runner: Runner) {
  return (
    workspace: string,
    event: Event,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {},
  ): Promise<ActionRun> =>
    runner(
      { ...stepInputs(fixture.emulator), 'changed-files': 'true', 'base-url': BASE, ...inputs },
      workspace,
      {
        ...fixture.repo.env,
        GITHUB_EVENT_NAME: event.name,
        ...(event.payload === undefined ? {} : { GITHUB_EVENT_PATH: fixture.repo.event(event.payload) }),
        ...env,
      },
    );
}

export const push = (before: string, after: string): Event => ({
  name: 'push',
  payload: {
    ref: 'refs/heads/main',
    before,
    after,
    created: /^0+$/.test(before),
    deleted: /^0+$/.test(after),
  },
});

/** Every URL sent to this API of the fixture's emulator, over all its requests, sorted. */
export function sentUrls(fixture: EmulatorAndRepo, action: string): string[] {
  return fixture.emulator.requests
    .filter((request) => request.action === action)
    .flatMap((request) => (request.body as { Urls: string[] }).Urls)
    .sort();
}
export const sorted = (urls: string[]): string[] => [...urls].sort();
export const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');

/** The site every test starts from, pushed to origin: `site/` is served at BASE. */
export function initialSite(fixture: EmulatorAndRepo): string {
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

/** The helpers a changed-files test file uses, bound to its fixture and runner. */
export function changedFilesCase(fixture: EmulatorAndRepo, runner: Runner) {
  return {
    act: changedFilesStep(fixture, runner),
    sent: (action: string): string[] => sentUrls(fixture, action),
    initialSite: (): string => initialSite(fixture),
  };
}
