/**
 * What the changed-files-from-the-API tests share (test/e2e/changed-files-api.test.ts,
 * test/targets/changed-files-api-step.test.ts): a fake of the GitHub REST API for each test, the step run against it
 * and the emulator, and what GitHub lists for commits of the fixture repository.
 */
import { afterEach } from 'vitest';
import {
  FAKE_REPOSITORY,
  FAKE_TOKEN,
  type GitHubApiFake,
  type GitHubApiFakeOptions,
  type GitHubFile,
  startGitHubApiFake,
} from '../fakes/github-api/server.js';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { BASE } from './changed-files-step.js';
import type { EmulatorAndRepo } from './emulator-and-repo.js';
import type { ActionRun } from './run-action.js';

export interface ApiRun {
  event: { name: string; payload: unknown };
  inputs?: Record<string, string>;
  /** A checkout to run in; by default a new empty folder, as a job that downloaded its build has. */
  workspace?: string;
}

/** Runs the step (the bundle or run() in process) with these inputs and environment, in `workspace` if given. */
export type ApiRunner = (
  inputs: Record<string, string>,
  env: Record<string, string>,
  workspace: string | undefined,
) => Promise<ActionRun>;

/** Registers, for the calling test file, a GitHub API fake closed after each test; returns the step and the fake. */
export function githubApiCase(fixture: EmulatorAndRepo, runner: ApiRunner) {
  const api: {
    github: GitHubApiFake | undefined;
    act(fake: GitHubApiFakeOptions, run: ApiRun): Promise<ActionRun>;
    githubFiles(from: string, to: string): GitHubFile[];
  } = {
    github: undefined,
    async act(fake, run) {
      const github = await startGitHubApiFake(fake);
      api.github = github;
      return runner(
        {
          ...stepInputs(fixture.emulator),
          'changed-files': 'true',
          'base-url': BASE,
          'root-dir': 'site',
          'github-token': FAKE_TOKEN,
          ...run.inputs,
        },
        {
          ...fixture.repo.env,
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: FAKE_REPOSITORY,
          GITHUB_EVENT_NAME: run.event.name,
          GITHUB_EVENT_PATH: fixture.repo.event(run.event.payload),
        },
        run.workspace,
      );
    },
    /** What GitHub lists for `from...to` of the fixture: git's diff with rename detection, in the API's words. */
    githubFiles(from, to) {
      const fields = fixture.repo
        .git(fixture.repo.author, 'diff', '--name-status', '-z', '-M', from, to)
        .split('\0');
      const files: GitHubFile[] = [];
      const names: Record<string, GitHubFile['status']> = {
        A: 'added',
        M: 'modified',
        D: 'removed',
        T: 'changed',
      };
      for (let i = 0; i < fields.length - 1; ) {
        const status = fields[i++] ?? '';
        const path = fields[i++] ?? '';
        if (status.startsWith('R'))
          files.push({ filename: fields[i++] ?? '', status: 'renamed', previous_filename: path });
        else files.push({ filename: path, status: names[status] ?? 'changed' });
      }
      return files;
    },
  };
  afterEach(async () => {
    await api.github?.close();
    api.github = undefined;
  });
  return api;
}

/** A push event as GitHub sends it, without created and deleted. */
export const apiPush = (before: string, after: string) => ({
  name: 'push',
  payload: { ref: 'refs/heads/main', before, after },
});
