/**
 * git runs in an environment of its own: what it needs to find itself, its configuration and a proxy, never the
 * step's inputs (secret-key arrives as INPUT_SECRET-KEY), the credential variables or anything else of the job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execGit } from '../../src/targets/git.js';

const folder = mkdtempSync(join(tmpdir(), 'git-environment-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What git hands a command it runs: its own environment, plus the few GIT_ variables git adds for an alias. */
async function gitSees(env: Record<string, string | undefined>): Promise<Map<string, string>> {
  const output = await execGit(folder, env)(['-c', 'alias.environment=!env', 'environment']);
  const lines = output
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes('='));
  return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('the environment git runs in', () => {
  it('keeps PATH, HOME and a proxy, and adds English messages, no prompt and the ceiling above the workspace', async () => {
    const seen = await gitSees({
      PATH: process.env.PATH,
      HOME: '/home/runner',
      HTTPS_PROXY: 'http://proxy.example:3128',
      'INPUT_SECRET-KEY': 'input-secret-value',
      INPUT_HEADERS: 'Authorization: Bearer header-secret-value',
      TENCENTCLOUD_SECRET_KEY: 'tencent-secret-value',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'aliyun-secret-value',
      GITHUB_TOKEN: 'ghs_token-value',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-value',
      NODE_OPTIONS: '--require /tmp/x.js',
      GIT_DIR: '/elsewhere/.git',
    });
    expect(seen.get('HOME')).toBe('/home/runner');
    expect(seen.get('HTTPS_PROXY')).toBe('http://proxy.example:3128');
    expect(seen.get('LC_ALL')).toBe('C');
    expect(seen.get('GIT_TERMINAL_PROMPT')).toBe('0');
    expect(seen.get('GIT_CEILING_DIRECTORIES')).toBe(dirname(folder));
    // The repository is the workspace's own .git, whatever GIT_DIR the job has set.
    expect(seen.get('GIT_DIR')).toBe(join(folder, '.git'));
    expect(seen.get('GIT_WORK_TREE')).toBe(folder);
    const own = new Set([
      'PATH',
      'HOME',
      'HTTPS_PROXY',
      'LC_ALL',
      'GIT_TERMINAL_PROMPT',
      'GIT_CEILING_DIRECTORIES',
      'GIT_DIR',
      'GIT_WORK_TREE',
    ]);
    // Added by git for the alias, and by the shell that runs it.
    const added = new Set([
      'GIT_CONFIG_PARAMETERS',
      'GIT_EXEC_PATH',
      'GIT_PREFIX',
      'GIT_PAGER',
      'PWD',
      'OLDPWD',
      'SHLVL',
      '_',
    ]);
    expect([...seen.keys()].filter((name) => !own.has(name) && !added.has(name))).toEqual([]);
    expect([...seen.values()].join('\n')).not.toMatch(/secret-value|token-value|request-value/);
  });
});
