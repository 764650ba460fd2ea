/**
 * A hostile GitHub API's rate limit, run in process on a fake clock: waited out (1 s, then 2 s) without real
 * sleeping, and its message never starts a workflow command. test/e2e/hostile.test.ts keeps the rest of the
 * hostile cases on the bundle.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_REPOSITORY, FAKE_TOKEN, startGitHubApiFake } from '../fakes/github-api/server.js';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { runInProcess } from '../support/run-in-process.js';

const fixture = emulatorAndRepoPerTest();
const CHANGED_FILES = { 'changed-files': 'true', 'base-url': 'https://www.example.com/', 'root-dir': 'site' };

describe('a hostile GitHub API', () => {
  it('is waited out at least 1 s after a rate limit, longer each time, and its message never starts a command', async () => {
    const github = await startGitHubApiFake({
      failFirst: {
        requests: 2,
        answer: '429-retry-after',
        seconds: 0,
        message: 'slow down\n::error::INJECTED',
      },
    });
    try {
      const before = fixture.repo.commit({ 'site/a.html': 'a' });
      fixture.repo.push();
      const after = fixture.repo.commit({ 'site/a.html': 'a 2' });
      fixture.repo.push();
      const run = await runInProcess(
        {
          ...stepInputs(fixture.emulator),
          ...CHANGED_FILES,
          'changed-files-source': 'api',
          'github-token': FAKE_TOKEN,
        },
        undefined,
        {
          ...fixture.repo.env,
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: fixture.repo.event({ before, after }),
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: FAKE_REPOSITORY,
        },
        { workspace: fixture.repo.checkout() },
      );
      expect(run.stdout).toContain(
        'The GitHub API is rate limiting this token (HTTP 429): waiting 1 s before asking again.',
      );
      expect(run.stdout).toContain(
        'The GitHub API is rate limiting this token (HTTP 429): waiting 2 s before asking again.',
      );
      expect(github.requests.map((request) => request.answered).slice(0, 3)).toEqual([429, 429, 404]);
      // No line from outside starts a workflow command (`::error::INJECTED`, `::add-mask::INJECTED`).
      expect(run.stdout.split(/\r?\n|\r/).filter((line) => /^::[a-z-]+::INJECTED/.test(line))).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
