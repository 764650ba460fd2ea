/**
 * Hostile workspaces, providers and APIs, through the bundle: git runs nothing a workspace's configuration names,
 * no text from outside starts a workflow command, no form of a secret an answer echoes is shown, urls-file reads
 * nothing outside the workspace and RUNNER_TEMP, an oversize answer is refused.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FAKE_REPOSITORY,
  FAKE_TOKEN,
  type GitHubApiFake,
  startGitHubApiFake,
} from '../fakes/github-api/server.js';
import { startOidcEmulator, TENCENT_STS_DEFAULTS } from '../fakes/oidc/emulator.js';
import { stepInputs } from '../fakes/tencent-cdn/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { type ActionRun, type RunOptions, runAction, shownLog } from '../support/run-action.js';

const fixture = emulatorAndRepoPerTest();
const CHANGED_FILES = { 'changed-files': 'true', 'base-url': 'https://www.example.com/', 'root-dir': 'site' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * The workflow commands from outside in the log: lines that start with the `::error::INJECTED` or
 * `::add-mask::INJECTED` a hostile text holds. The action's own commands (`::warning::…INJECTED…`, one line,
 * escaped) are no such line.
 */
function injected(run: ActionRun): string[] {
  return run.stdout.split(/\r?\n|\r/).filter((line) => /^::[a-z-]+::INJECTED/.test(line));
}

/** A push of site/a.html, checked out as actions/checkout does; returns the workspace and the step's variables. */
function pushed(): { workspace: string; env: Record<string, string> } {
  const before = fixture.repo.commit({ 'site/a.html': 'a' });
  fixture.repo.push();
  const after = fixture.repo.commit({ 'site/a.html': 'a 2' });
  fixture.repo.push();
  return {
    workspace: fixture.repo.checkout(),
    env: {
      ...fixture.repo.env,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: fixture.repo.event({ before, after }),
    },
  };
}

describe('a hostile workspace', () => {
  it('is never taken for a bare repository: its config runs nothing, and auto lists the changes through the API', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'bare-layout-'));
    cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
    const marker = join(fixture.repo.root, 'marker');
    fixture.repo.git(workspace, 'init', '--quiet', '--bare', '.');
    fixture.repo.git(workspace, 'config', 'core.fsmonitor', `touch '${marker}'; false`);
    const { env } = pushed();
    const auto = await runAction(
      {
        ...stepInputs(fixture.emulator),
        ...CHANGED_FILES,
        'changed-files-source': 'auto',
        'dry-run': 'true',
      },
      { workspace, env: { ...env, GITHUB_API_URL: 'http://127.0.0.1:9' } },
    );
    expect(auto.stdout).toContain(
      `changed-files: ${workspace} is not a git checkout, so the changed files come from the GitHub API`,
    );
    const git = await runAction(
      { ...stepInputs(fixture.emulator), ...CHANGED_FILES, 'changed-files-source': 'git' },
      { workspace, env },
    );
    expect(git.errors[0]).toContain(`changed-files: ${workspace} is not a git repository`);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs no fsmonitor, upload-pack or hook of .git/config, and shows its origin URL on one line', async () => {
    const { workspace, env } = pushed();
    const marker = join(fixture.repo.root, 'marker');
    fixture.repo.git(workspace, 'config', 'core.fsmonitor', `touch '${marker}'; false`);
    fixture.repo.git(workspace, 'config', 'remote.origin.uploadpack', `touch '${marker}'; git-upload-pack`);
    mkdirSync(join(workspace, '.git', 'hooks'), { recursive: true });
    writeFileSync(
      join(workspace, '.git', 'hooks', 'reference-transaction'),
      `#!/bin/sh\ntouch '${marker}'\n`,
    );
    chmodSync(join(workspace, '.git', 'hooks', 'reference-transaction'), 0o755);
    const run = await runAction({ ...stepInputs(fixture.emulator), ...CHANGED_FILES }, { workspace, env });
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain('git fetch --depth=1 origin');
    expect(fixture.emulator.requests.map((request) => request.action)).toContain('PurgeUrlsCache');
    expect(existsSync(marker)).toBe(false);

    fixture.repo.git(
      workspace,
      'config',
      'remote.origin.url',
      'https://github.com/octo/other\n::error::INJECTED',
    );
    const other = await runAction(
      { ...stepInputs(fixture.emulator), ...CHANGED_FILES, 'dry-run': 'true', 'max-attempts': '1' },
      { workspace, env: { ...env, GITHUB_REPOSITORY: 'octo/site', GITHUB_API_URL: 'http://127.0.0.1:9' } },
    );
    expect(other.stdout).toContain('(origin https://github.com/octo/other ::error::INJECTED), not octo/site');
    expect(injected(other)).toEqual([]);
  });
});

/** A Tencent-shaped API on 127.0.0.1 that answers every request with `answer(action, body)`. */
async function hostileApi(
  answer: (action: string, body: string) => { status: number; body: string },
): Promise<string> {
  const server: Server = createServer((req, res) => {
    let received = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    req.on('end', () => {
      const { status, body } = answer(String(req.headers['x-tc-action'] ?? ''), received);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The forms in which a hostile answer echoes a secret: as it is, folded, JSON-escaped, percent-encoded. */
function echoedForms(value: string): string[] {
  return [value, value.replace(/\s+/g, ' '), JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

/** No form of any of `values`, nor its first or last 12 characters, in the log, the outputs, the summary or the report. */
function expectShownNowhere(run: ActionRun, values: readonly string[]): void {
  const shown = [
    shownLog(run.stdout),
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    JSON.stringify(run.report),
  ];
  for (const value of values)
    for (const form of [...echoedForms(value), value.slice(0, 12), value.slice(-12)])
      for (const text of shown) expect(text).not.toContain(form);
}

const tencentError = (message: string): { status: number; body: string } => ({
  status: 200,
  body: JSON.stringify({
    Response: { Error: { Code: 'InvalidParameter', Message: message }, RequestId: 'r-1' },
  }),
});

function hostileInputs(endpoint: string): Record<string, string> {
  return {
    provider: 'tencent-cdn',
    endpoint,
    'secret-id': 'AKIDhostile0000000001',
    'secret-key': 'hostile-secret-key-0001',
  };
}

describe('a hostile provider', () => {
  it('cannot start a workflow command with a task ID', async () => {
    const endpoint = await hostileApi((action) =>
      action === 'PurgeUrlsCache'
        ? {
            status: 200,
            body: JSON.stringify({ Response: { TaskId: 't-1\n::error::INJECTED', RequestId: 'r-1' } }),
          }
        : tencentError('no quota here\n::add-mask::INJECTED'),
    );
    const run = await runAction({ ...hostileInputs(endpoint), urls: 'https://www.example.com/a.js' });
    expect(run.exitCode).toBe(1);
    expect(injected(run)).toEqual([]);
    expect(JSON.parse(run.outputs.failed ?? '[]')).toEqual([
      {
        url: 'https://www.example.com/a.js',
        code: 'InvalidTaskId',
        message: `PurgeUrlsCache: the answer's TaskId "t-1 ::error::INJECTED" is not a task ID (letters, digits and - _ . : only, at most 128 characters) (RequestId r-1)`,
      },
    ]);
  });

  it("never gets the job's OIDC token or an STS's credentials shown, in whatever form it echoes them", async () => {
    const sts = await startOidcEmulator();
    cleanups.push(() => sts.close());
    const temporary = {
      TmpSecretId: 'AKIDtemporary00000001',
      TmpSecretKey: 'temporary key/"x" 0001',
      Token: 'temporary  token+0001',
    };
    let idToken = '';
    const endpoint = await hostileApi((action, body) => {
      if (action === 'AssumeRoleWithWebIdentity') {
        idToken = String(JSON.parse(body).WebIdentityToken);
        const expires = Math.floor(Date.now() / 1000) + 3600;
        return {
          status: 200,
          body: JSON.stringify({
            Response: { Credentials: temporary, ExpiredTime: expires, RequestId: 'r-1' },
          }),
        };
      }
      return tencentError(`echo: ${[idToken, ...Object.values(temporary)].flatMap(echoedForms).join(' | ')}`);
    });
    const run = await runAction(
      {
        provider: 'tencent-cdn',
        endpoint,
        'sts-endpoint': endpoint,
        'role-arn': TENCENT_STS_DEFAULTS.roleArn,
        'oidc-provider': TENCENT_STS_DEFAULTS.providerId,
        urls: 'https://www.example.com/a.js',
      },
      {
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: sts.tokenUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: sts.requestToken },
      },
    );
    expect(run.exitCode).toBe(1);
    expect(idToken.length).toBeGreaterThan(100);
    expect(JSON.parse(run.outputs.failed ?? '[]')[0].message).toContain('echo: *** | ***');
    expectShownNowhere(run, [idToken, ...Object.values(temporary)]);
  });

  it('never gets a secret shown, in whatever form it echoes it', async () => {
    const secrets = {
      'secret-id': 'AKIDhostile0000000001',
      'secret-key': 'hostile-secret-key-0001',
      'session-token': 'session/token+with spaces  and "quotes" 0001',
      headers: 'Authorization: Bearer  header/value "quoted" 0001',
      'user-agent': 'Agent/1.0 (token  user/agent "x" 0001)',
    };
    const values = [
      secrets['secret-id'],
      secrets['secret-key'],
      secrets['session-token'],
      'Bearer  header/value "quoted" 0001',
      secrets['user-agent'],
    ];
    const echo = values.flatMap(echoedForms).join(' | ');
    // Cut at 200 characters, the excerpt of a body that is no JSON would end inside a secret.
    const endpoint = await hostileApi((action) =>
      action === 'PushUrlsCache'
        ? { status: 502, body: `${'x'.repeat(190)} ${echo}` }
        : tencentError(`echo: ${echo}`),
    );
    const run = await runAction({
      ...hostileInputs(endpoint),
      ...secrets,
      mode: 'prefetch',
      urls: 'https://www.example.com/a.js',
      'max-attempts': '1',
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.failed ?? '[]')[0].message).toContain('x ***');
    expectShownNowhere(run, values);
  });

  it('cannot make the action read an answer of 700 MB', async () => {
    const body = 'x'.repeat(9 * 1024 * 1024);
    const endpoint = await hostileApi(() => ({ status: 200, body }));
    const run = await runAction({
      ...hostileInputs(endpoint),
      urls: 'https://www.example.com/a.js',
      'max-attempts': '1',
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.failed ?? '[]')).toEqual([
      {
        url: 'https://www.example.com/a.js',
        code: 'ConnectionError',
        message:
          'PurgeUrlsCache: the answer is larger than 8 MiB, more than any answer of this API; it was refused unread',
      },
    ]);
  });
});

// Its rate limit is waited out on a fake clock, in process: test/targets/api-rate-limit-run.test.ts.
describe('a hostile GitHub API', () => {
  async function api(options: Parameters<typeof startGitHubApiFake>[0]): Promise<GitHubApiFake> {
    const github = await startGitHubApiFake(options);
    cleanups.push(() => github.close());
    return github;
  }

  async function listThrough(github: GitHubApiFake, options: RunOptions = {}): Promise<ActionRun> {
    const { env } = pushed();
    return runAction(
      {
        ...stepInputs(fixture.emulator),
        ...CHANGED_FILES,
        'changed-files-source': 'api',
        'github-token': FAKE_TOKEN,
      },
      { ...options, env: { ...env, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: FAKE_REPOSITORY } },
    );
  }

  it('cannot send the action to another host', async () => {
    const other = await api({});
    const github = await api({ redirectTo: other.url });
    const run = await listThrough(github);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(`redirected GET /repos/${FAKE_REPOSITORY}/compare/`);
    expect(run.errors[0]).toContain(`to another host (${new URL(other.url).origin}); refused`);
    expect(other.requests).toEqual([]);
  });
});

describe('urls-file', () => {
  it.each([
    ['../outside.txt', 'the file is'],
    ['/etc/passwd', 'the file is "/etc/passwd" outside'],
    ['environ', 'where it leads with its symbolic links followed, outside'],
  ])('refuses %s, outside the workspace and RUNNER_TEMP, sending nothing', async (name, reason) => {
    const parent = mkdtempSync(join(tmpdir(), 'urls-file-'));
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const workspace = join(parent, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(parent, 'outside.txt'), 'https://www.example.com/a.js\n');
    symlinkSync('/proc/self/environ', join(workspace, 'environ'));
    const run = await runAction(
      { ...stepInputs(fixture.emulator), 'urls-file': name },
      { workspace, env: { 'INPUT_SECRET-KEY': 'environ-secret-0001' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`Input 'urls-file' has the value ${JSON.stringify(name)}: `);
    expect(run.errors[0]).toContain(reason);
    expect(run.errors[0]).toContain('urls-file reads a file of the workspace or of RUNNER_TEMP only');
    expect(run.stdout).not.toContain('PATH=');
    expect(fixture.emulator.requests).toEqual([]);
  });
});
