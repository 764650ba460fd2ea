/**
 * Real git repositories for the changed-files tests, as a runner has them: a bare `origin`, an `author` clone where
 * the commits are made and pushed, and workspaces checked out the way actions/checkout does (one commit, depth 1,
 * over file:// so that depth applies). Every git call is isolated from the machine's configuration.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class GitFixture {
  readonly root: string;
  readonly origin: string;
  readonly author: string;
  /** For git here and for the action: no global or system configuration, a fixed identity. */
  readonly env: Record<string, string>;
  private workspaces = 0;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'changed-files-'));
    this.origin = join(this.root, 'origin.git');
    this.author = join(this.root, 'author');
    const globalConfig = join(this.root, 'gitconfig');
    writeFileSync(globalConfig, '');
    this.env = {
      GIT_CONFIG_GLOBAL: globalConfig,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
    this.git(this.root, 'init', '--quiet', '--bare', '--initial-branch=main', this.origin);
    this.git(this.root, 'init', '--quiet', '--initial-branch=main', this.author);
    this.git(this.author, 'remote', 'add', 'origin', this.originUrl);
  }

  get originUrl(): string {
    return `file://${this.origin}`;
  }

  git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd,
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Writes (string), deletes (null) or links (`{ symlink: target }`) files in the author's clone, commits them all. */
  commit(changes: Record<string, string | null | { symlink: string }>, message = 'change'): string {
    for (const [path, content] of Object.entries(changes)) {
      const file = join(this.author, path);
      if (content === null) {
        unlinkSync(file);
        continue;
      }
      mkdirSync(dirname(file), { recursive: true });
      if (typeof content === 'string') writeFileSync(file, content);
      else symlinkSync(content.symlink, file);
    }
    this.git(this.author, 'add', '--all');
    this.git(this.author, 'commit', '--quiet', '--allow-empty', '-m', message);
    return this.committed();
  }

  /**
   * Makes commits in the author's clone with one `git fast-import` (a stream of its commands: see
   * git-fast-import(1)) instead of two git processes a commit: for histories of many commits. Branches only; the
   * work tree is left as it was.
   */
  fastImport(stream: string): void {
    execFileSync('git', ['fast-import', '--quiet'], {
      cwd: this.author,
      env: { ...process.env, ...this.env },
      input: stream,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** `git mv`, committed. */
  move(moves: Record<string, string>, message = 'move'): string {
    for (const [from, to] of Object.entries(moves)) {
      mkdirSync(dirname(join(this.author, to)), { recursive: true });
      this.git(this.author, 'mv', from, to);
    }
    this.git(this.author, 'commit', '--quiet', '-m', message);
    return this.committed();
  }

  /** The author's HEAD read from .git, as `head()` would give it, without starting git: tests make many commits. */
  private committed(): string {
    const head = readFileSync(join(this.author, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = join(this.author, '.git', head.slice('ref: '.length));
    return existsSync(ref) ? readFileSync(ref, 'utf8').trim() : this.head();
  }

  head(ref = 'HEAD'): string {
    return this.git(this.author, 'rev-parse', ref);
  }

  push(refspec = 'HEAD:refs/heads/main', force = false): void {
    this.git(this.author, 'push', '--quiet', ...(force ? ['--force'] : []), 'origin', refspec);
  }

  /** Removes from origin every object no ref reaches (what a force push leaves behind, once collected). */
  collectGarbage(): void {
    this.git(this.origin, 'reflog', 'expire', '--expire=now', '--all');
    this.git(this.origin, 'gc', '--quiet', '--prune=now');
  }

  /**
   * A new workspace as actions/checkout leaves it with the default fetch-depth 1: init, fetch one commit of `ref`
   * from origin, check it out detached.
   */
  checkout(ref = 'refs/heads/main'): string {
    const workspace = join(this.root, `workspace-${++this.workspaces}`);
    this.git(this.root, 'init', '--quiet', workspace);
    this.git(workspace, 'remote', 'add', 'origin', this.originUrl);
    this.git(
      workspace,
      'fetch',
      '--quiet',
      '--no-tags',
      '--depth=1',
      'origin',
      `+${ref}:refs/remotes/origin/checkout`,
    );
    this.git(workspace, 'checkout', '--quiet', '--detach', 'refs/remotes/origin/checkout');
    return workspace;
  }

  /** Writes an event payload; returns its path, for GITHUB_EVENT_PATH. */
  event(payload: unknown): string {
    const path = join(this.root, `event-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(payload));
    return path;
  }

  /** The step's environment for a push of main from `before` to `after`: the repository's and the event's. */
  pushEnv(before: string, after: string): Record<string, string> {
    return {
      ...this.env,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: this.event({
        ref: 'refs/heads/main',
        before,
        after,
        created: false,
        deleted: false,
      }),
    };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
