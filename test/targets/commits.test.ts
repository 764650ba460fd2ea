import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveComparison } from '../../src/targets/commits.js';
import { compareRequest, readEvent } from '../../src/targets/event.js';
import { Git, GitCommandError, type GitExec, safeDirectoryOf } from '../../src/targets/git.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const ZERO = '0'.repeat(40);

const folder = mkdtempSync(join(tmpdir(), 'event-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function eventFile(payload: unknown): string {
  const path = join(folder, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return path;
}

describe('compareRequest', () => {
  const event = (name: string, payload: unknown) => ({ name, payload });

  it('push: before..after', () => {
    expect(compareRequest(event('push', { before: A, after: B }), undefined)).toEqual({
      kind: 'range',
      event: 'push',
      before: A,
      after: B,
    });
  });

  it('push of a new ref (all-zero before): the parent of after, with a warning', () => {
    const request = compareRequest(
      event('push', { ref: 'refs/heads/new', before: ZERO, after: B }),
      undefined,
    );
    expect(request).toMatchObject({ kind: 'parent', after: B });
    expect(request.kind === 'parent' && request.warning).toContain('The push created "refs/heads/new"');
  });

  it('push that deleted its ref (all-zero after): nothing to compare', () => {
    expect(
      compareRequest(event('push', { ref: 'refs/heads/x', before: A, after: ZERO }), undefined),
    ).toMatchObject({
      kind: 'nothing',
      reason: 'the push deleted refs/heads/x: there is no deploy commit',
    });
  });

  it.each(['pull_request', 'pull_request_target'])('%s: the merge base of base and head', (name) => {
    const payload = { number: 7, pull_request: { number: 7, base: { sha: A }, head: { sha: B } } };
    expect(compareRequest(event(name, payload), undefined)).toEqual({
      kind: 'merge-base',
      event: name,
      base: A,
      head: B,
      number: 7,
    });
  });

  it('since overrides every event', () => {
    for (const name of ['push', 'pull_request', 'workflow_dispatch']) {
      expect(compareRequest(event(name, undefined), 'v1')).toEqual({
        kind: 'since',
        event: name,
        since: 'v1',
      });
    }
  });

  it.each([
    ['push', { before: A, after: '--output=/tmp/x' }, 'at after'],
    ['push', { before: 'HEAD~1', after: B }, 'at before'],
    ['push', { before: A.slice(0, 12), after: B }, 'at before'],
    ['push', { after: B }, 'at before (found undefined)'],
    ['push', null, 'at after'],
    ['pull_request', { pull_request: { base: { sha: A } } }, 'at pull_request.head.sha'],
    ['pull_request', { pull_request: { base: { sha: ZERO }, head: { sha: B } } }, 'at pull_request.base.sha'],
  ])('%s: refuses a payload without full SHAs (%j)', (name, payload, message) => {
    expect(() => compareRequest(event(name, payload), undefined)).toThrow(message);
  });

  it('accepts SHA-256 commit IDs', () => {
    const long = 'd'.repeat(64);
    expect(compareRequest(event('push', { before: '0'.repeat(64), after: long }), undefined)).toMatchObject({
      kind: 'parent',
      after: long,
    });
  });
});

describe('readEvent', () => {
  it('reads the name and the payload file', () => {
    const path = eventFile({ before: A, after: B });
    expect(readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path }, true)).toEqual({
      name: 'push',
      payload: { before: A, after: B },
    });
  });

  it('does not read the payload when since makes it unnecessary', () => {
    expect(readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/nonexistent' }, false)).toEqual({
      name: 'push',
      payload: undefined,
    });
  });

  it('explains a missing or broken payload, and points to since', () => {
    expect(() => readEvent({ GITHUB_EVENT_NAME: 'push' }, true)).toThrow(
      /GITHUB_EVENT_PATH is not set.*since/,
    );
    expect(() => readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventFile('{') }, true)).toThrow(
      /cannot read the event payload at .*since/,
    );
  });
});

const DUBIOUS_STDERR = `fatal: detected dubious ownership in repository at '/__w/site/site'
To add an exception for this directory, call:

\tgit config --global --add safe.directory /__w/site/site
`;

/** A fake git: answers each command from `answer`, records every argument list. */
function fakeGit(answer: (args: readonly string[]) => string | GitCommandError): {
  exec: GitExec;
  calls: string[][];
} {
  const calls: string[][] = [];
  const exec: GitExec = async (args) => {
    calls.push([...args]);
    const result = answer(args);
    if (result instanceof GitCommandError) throw result;
    return Buffer.from(result);
  };
  return { exec, calls };
}

const failure = (args: readonly string[], stderr: string, exitCode = 128): GitCommandError =>
  new GitCommandError(args, exitCode, stderr, `exit ${exitCode}`);

describe('Git', () => {
  it('runs every command again, and every later one, with -c safe.directory after a dubious-ownership refusal', async () => {
    const { exec, calls } = fakeGit((args) => (args[0] === '-c' ? 'ok' : failure(args, DUBIOUS_STDERR)));
    const log: string[] = [];
    const git = new Git(exec, '/__w/site/site', (message) => log.push(message));
    expect(await git.text(['rev-parse', '--git-dir'])).toBe('ok');
    expect(await git.text(['status'])).toBe('ok');
    expect(calls).toEqual([
      ['rev-parse', '--git-dir'],
      ['-c', 'safe.directory=/__w/site/site', 'rev-parse', '--git-dir'],
      ['-c', 'safe.directory=/__w/site/site', 'status'],
    ]);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('running git with -c safe.directory=/__w/site/site for this step');
  });

  it('retries once only, and passes any other error through', async () => {
    const dubious = fakeGit((args) => failure(args, DUBIOUS_STDERR));
    await expect(new Git(dubious.exec, '/w', () => {}).text(['status'])).rejects.toThrow(GitCommandError);
    expect(dubious.calls).toHaveLength(2);

    const other = fakeGit((args) => failure(args, 'fatal: not a git repository'));
    await expect(new Git(other.exec, '/w', () => {}).text(['status'])).rejects.toThrow(GitCommandError);
    expect(other.calls).toHaveLength(1);
  });

  it('declares the workspace safe, never the folder that git names in its message', async () => {
    const elsewhere = `fatal: detected dubious ownership in repository at '/home/attacker/repo'
\tgit config --global --add safe.directory /home/attacker/repo
`;
    const { exec, calls } = fakeGit((args) => (args[0] === '-c' ? 'ok' : failure(args, elsewhere)));
    const log: string[] = [];
    expect(await new Git(exec, folder, (message) => log.push(message)).text(['status'])).toBe('ok');
    const real = realpathSync(folder);
    expect(calls[1]).toEqual(['-c', `safe.directory=${real}`, 'status']);
    expect(log.join('\n')).not.toContain('attacker');
  });

  it('names the workspace by its real path, as git compares it', () => {
    const link = join(folder, 'link');
    symlinkSync(folder, link);
    expect(safeDirectoryOf(link)).toBe(realpathSync(folder));
    expect(safeDirectoryOf('/no/such/folder/..')).toBe('/no/such');
  });

  it('attempt: undefined when git exits with an error, a thrown error when git cannot start', async () => {
    const exits = fakeGit((args) => failure(args, 'fatal: Needed a single revision', 1));
    expect(await new Git(exits.exec, '/w', () => {}).resolveCommit('main')).toBeUndefined();
    expect(exits.calls[0]).toEqual(['rev-parse', '--verify', '--quiet', '--end-of-options', 'main^{commit}']);
    const missing = fakeGit((args) => new GitCommandError(args, undefined, '', 'git is not installed'));
    await expect(new Git(missing.exec, '/w', () => {}).resolveCommit('main')).rejects.toThrow(
      'git is not installed',
    );
  });

  it('puts refs after --end-of-options in a fetch', async () => {
    const { exec, calls } = fakeGit(() => '');
    await new Git(exec, '/w', () => {}).fetch(['--depth=1'], ['main']);
    expect(calls[0]).toEqual([
      'fetch',
      '--upload-pack=git-upload-pack',
      '--no-tags',
      '--no-recurse-submodules',
      '--quiet',
      '--depth=1',
      'origin',
      '--end-of-options',
      'main',
    ]);
  });
});

describe('resolveComparison', () => {
  const log = { info: () => {}, warning: () => {} };

  it('deepens a shallow clone step by step until it finds the merge base', async () => {
    let depth = 1;
    const { exec, calls } = fakeGit((args) => {
      if (args[0] === 'rev-parse' && args[1] === '--is-shallow-repository') return 'true';
      if (args[0] === 'rev-parse') return args.at(-1)?.slice(0, 40) ?? '';
      if (args[0] === 'fetch') {
        depth = Number(/--depth=(\d+)/.exec(args.join(' '))?.[1] ?? depth);
        return '';
      }
      if (args[0] === 'merge-base') return depth >= 256 ? C : failure(args, '', 1);
      return failure(args, 'unexpected');
    });
    const logged: string[] = [];
    const comparison = await resolveComparison(
      new Git(exec, '/w', (line) => logged.push(line)),
      { kind: 'merge-base', event: 'pull_request', base: A, head: B, number: 1 },
      log,
    );
    expect(comparison).toMatchObject({ from: C, to: B });
    expect(logged).toEqual([
      `changed-files: fetching from origin what the clone lacks: git fetch --depth=16 origin ${A} ${B}`,
      `changed-files: fetching from origin what the clone lacks: git fetch --depth=256 origin ${A} ${B}`,
    ]);
    expect(calls.filter((args) => args[0] === 'fetch').map((args) => args[5])).toEqual([
      '--depth=16',
      '--depth=256',
    ]);
  });

  it('fails with the fetch-depth hint when the history cannot be fetched', async () => {
    const { exec } = fakeGit((args) => {
      if (args[1] === '--is-shallow-repository') return 'true';
      if (args[0] === 'rev-parse') return args.at(-1)?.slice(0, 40) ?? '';
      if (args[0] === 'merge-base') return failure(args, '', 1);
      return failure(args, 'fatal: unable to access origin');
    });
    await expect(
      resolveComparison(
        new Git(exec, '/w', () => {}),
        { kind: 'merge-base', event: 'pull_request', base: A, head: B, number: 1 },
        log,
      ),
    ).rejects.toThrow(/cannot fetch the history of .*fetch-depth: 0/);
  });

  it('compares with the parent, and warns, when a force push left before unfetchable', async () => {
    // A depth-1 clone of B (the deploy commit) whose parent is C; A, the push's before, is gone from origin.
    const here = new Set([B]);
    const { exec, calls } = fakeGit((args) => {
      const rev = args.at(-1) ?? '';
      if (args[1] === '--is-shallow-repository') return 'true';
      if (args[0] === 'rev-parse' && rev === `${B}^1^{commit}`) return here.has(C) ? C : failure(args, '', 1);
      if (args[0] === 'rev-parse')
        return here.has(rev.slice(0, 40)) ? rev.slice(0, 40) : failure(args, '', 1);
      if (args[0] === 'fetch' && args.includes(A))
        return failure(args, `fatal: remote error: not our ref ${A}`);
      if (args[0] === 'fetch' && args.includes('--depth=2')) here.add(C);
      return '';
    });
    const warnings: string[] = [];
    const comparison = await resolveComparison(
      new Git(exec, '/w', () => {}),
      { kind: 'range', event: 'push', before: A, after: B },
      { info: () => {}, warning: (line) => warnings.push(line) },
    );
    expect(comparison).toMatchObject({ from: C, to: B });
    expect(warnings).toEqual([
      `The push's previous commit ${A.slice(0, 12)} cannot be fetched from origin (a force push rewrote the history?): comparing ${B.slice(0, 12)} with its parent only. Give the since input to compare with another commit.`,
    ]);
    expect(calls.filter((args) => args[0] === 'fetch').map((args) => args.slice(-1)[0])).toEqual([A, B]);
  });

  it('reports unrelated histories in a complete clone', async () => {
    const { exec } = fakeGit((args) => {
      if (args[1] === '--is-shallow-repository') return 'false';
      if (args[0] === 'rev-parse') return args.at(-1)?.slice(0, 40) ?? '';
      return failure(args, '', 1);
    });
    await expect(
      resolveComparison(
        new Git(exec, '/w', () => {}),
        { kind: 'merge-base', event: 'pull_request', base: A, head: B, number: 1 },
        log,
      ),
    ).rejects.toThrow('have no common ancestor');
  });
});

describe('a fetch that fails', () => {
  const log = { info: () => {}, warning: () => {} };
  /** A clone that has `after` only; every fetch fails with `stderr`. */
  const cloneWith = (stderr: string) =>
    new Git(
      fakeGit((args) => {
        if (args[0] === 'rev-parse' && args.at(-1) === `${B}^{commit}`) return B;
        if (args[0] === 'rev-parse' && args[1] === '--is-shallow-repository') return 'true';
        return failure(args, args[0] === 'fetch' ? stderr : '', args[0] === 'fetch' ? 128 : 1);
      }).exec,
      '/w',
      () => {},
    );

  it('is a network failure, never blamed on the history, when origin cannot be reached', async () => {
    const warnings: string[] = [];
    await expect(
      resolveComparison(
        cloneWith("fatal: unable to access 'https://github.com/o/r/': Could not resolve host: github.com"),
        { kind: 'range', event: 'push', before: A, after: B },
        { ...log, warning: (line) => warnings.push(line) },
      ),
    ).rejects.toThrow(
      "changed-files: cannot reach origin to fetch aaaaaaaaaaaa: fatal: unable to access 'https://github.com/o/r/': Could not resolve host: github.com. This is a network failure",
    );
    expect(warnings).toEqual([]);
  });

  it('is a missing commit, perhaps a force push, when origin answers that it has none', async () => {
    const warnings: string[] = [];
    await resolveComparison(
      cloneWith('fatal: remote error: upload-pack: not our ref aaaaaaaa'),
      { kind: 'range', event: 'push', before: A, after: B },
      { ...log, warning: (line) => warnings.push(line) },
    ).catch(() => undefined);
    expect(warnings[0]).toContain('a force push rewrote the history?');
  });
});
