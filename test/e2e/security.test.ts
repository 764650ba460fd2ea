/**
 * Safe in strangers' repositories, through the bundle: a fork's pull request is refused with nothing sent, a
 * foreign endpoint is refused, a header value is never printed, git never sees the step's inputs or credentials,
 * and an oversized urls-file is refused from its size.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS, stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { type ActionRun, type RunOptions, runAction } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();

function act(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  return runAction(
    {
      ...stepInputs(fixture.emulator),
      ...inputs,
    },
    options,
  );
}

/** A repository whose pull request changes site/a.html; the workspace checks out the base, as pull_request_target does. */
function pullRequest(headRepository: string): { workspace: string; env: Record<string, string> } {
  const base = fixture.repo.commit({ 'site/a.html': 'a' });
  fixture.repo.push();
  const head = fixture.repo.commit({ 'site/a.html': 'a 2' });
  fixture.repo.push('HEAD:refs/pull/1/head');
  const payload = {
    pull_request: {
      base: { sha: base, repo: { full_name: 'octo/site' } },
      head: { sha: head, repo: { full_name: headRepository } },
    },
    repository: { full_name: 'octo/site' },
  };
  return {
    workspace: fixture.repo.checkout(),
    env: {
      ...fixture.repo.env,
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: fixture.repo.event(payload),
    },
  };
}

const CHANGED_FILES = { 'changed-files': 'true', 'base-url': 'https://www.example.com/', 'root-dir': 'site' };

describe('a pull request from a fork', () => {
  it('is refused before anything is sent, naming the opt-in input', async () => {
    const { workspace, env } = pullRequest('mallory/site');
    const run = await act(CHANGED_FILES, { workspace, env });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input 'changed-files' has the value "true": the pull_request_target event comes from "mallory/site", not from "octo/site": its author would choose which of your URLs are purged and prefetched with this workflow's credentials. Set allow-fork-pull-requests: true to accept that (see Security in the README), or run changed-files on push once the pull request is merged`,
    ]);
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('runs with allow-fork-pull-requests: true, and within the repository without it', async () => {
    const fork = pullRequest('mallory/site');
    const allowed = await act({ ...CHANGED_FILES, 'allow-fork-pull-requests': 'true' }, fork);
    expect(allowed.errors).toEqual([]);
    expect(fixture.emulator.requests.map((request) => request.action)).toContain('PurgeUrlsCache');

    const own = pullRequest('octo/site');
    expect((await act(CHANGED_FILES, own)).errors).toEqual([]);
  });
});

describe('endpoint overrides', () => {
  it('refuses a host outside the API domains, sending nothing', async () => {
    const run = await act({
      urls: 'https://www.example.com/a.js',
      endpoint: 'https://collector.example.com',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `Input 'endpoint' has the value "https://collector.example.com": accepted: *.tencentcloudapi.com, the provider's API hosts`,
    );
    expect(fixture.emulator.requests).toEqual([]);
  });

  it('says in the log where an accepted override sends the requests', async () => {
    const run = await act({ urls: 'https://www.example.com/a.js' });
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain(
      `endpoint: sending the signed Tencent Cloud CDN requests to ${new URL(fixture.emulator.url).host} (the endpoint input`,
    );
  });
});

describe('secrets in odd places', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtbG9uZw';

  it('never prints a Bearer header value refused with mode purge', async () => {
    const run = await act({
      urls: 'https://www.example.com/a.js',
      headers: `Authorization: Bearer ${token}`,
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input 'headers' (its value is not shown: it may hold a secret): this prefetch option applies to mode prefetch or purge-prefetch, not purge`,
    ]);
    expect(run.stdout + run.stderr).not.toContain(token.slice(0, 12));
  });

  it('refuses a secret-key with a line break before any request, without printing it', async () => {
    const run = await act(
      { urls: 'https://www.example.com/a.js' },
      {
        env: { 'INPUT_SECRET-KEY': `${DEFAULT_CREDENTIALS.secretKey}\nsecond-line-of-key` },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input 'secret-key' (its value is not shown: it may hold a secret): the value of the secret-key input contains a line break or another control character; store the secret again without it`,
    ]);
    expect(fixture.emulator.requests).toEqual([]);
  });
});

describe('git', () => {
  it('runs without the inputs or the credential variables in its environment', async () => {
    const base = fixture.repo.commit({ 'site/a.html': 'a' });
    fixture.repo.push();
    const after = fixture.repo.commit({ 'site/a.html': 'a 2' });
    fixture.repo.push();
    const workspace = fixture.repo.checkout();
    // A git on PATH that records its environment, then runs the real one.
    const bin = mkdtempSync(join(tmpdir(), 'git-wrapper-'));
    const record = join(bin, 'environments');
    const realGit = execFileSync('which', ['git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nenv -0 >> '${record}'\nprintf '\\0\\0' >> '${record}'\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    try {
      const run = await act(CHANGED_FILES, {
        workspace,
        env: {
          ...fixture.repo.env,
          PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: fixture.repo.event({ before: base, after }),
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aliyun-secret-in-the-environment',
        },
      });
      expect(run.errors).toEqual([]);
      const environments = readFileSync(record, 'utf8')
        .split('\0\0\0')
        .filter((block) => block !== '')
        .map((block) => block.split('\0').filter((line) => line !== ''));
      expect(environments.length).toBeGreaterThan(1);
      for (const variables of environments) {
        const names = variables.map((line) => line.slice(0, line.indexOf('=')));
        expect(
          names.filter((name) => /^(INPUT_|TENCENTCLOUD_|ALIBABA_CLOUD_|GITHUB_|ACTIONS_)/.test(name)),
        ).toEqual([]);
        expect(variables.join('\n')).not.toContain(DEFAULT_CREDENTIALS.secretKey);
        expect(variables.join('\n')).not.toContain('aliyun-secret-in-the-environment');
        expect(variables).toContain('LC_ALL=C');
        expect(variables).toContain('GIT_TERMINAL_PROMPT=0');
        expect(variables).toContain(`GIT_CEILING_DIRECTORIES=${dirname(workspace)}`);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('urls-file', () => {
  it('refuses a 300 MB file from its size, naming urls-file and the size', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'big-urls-'));
    const file = join(folder, 'urls.txt');
    writeFileSync(file, '');
    truncateSync(file, 300_000_000);
    try {
      const run = await act({ 'urls-file': file }, { env: { RUNNER_TEMP: folder } });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        `Input 'urls-file' has the value ${JSON.stringify(file)}: ${JSON.stringify(file)} has 300,000,000 bytes, more than the 33,554,432 bytes (32 MiB) accepted; give a file with one URL per line`,
      ]);
      expect(fixture.emulator.requests).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
