import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join, resolve as resolvePath, sep } from 'node:path';
import { FULL_SHA } from '../inputs/changed-files.js';

/** Runs git with these arguments in the repository; resolves with stdout, rejects with a `GitCommandError`. */
export type GitExec = (args: readonly string[]) => Promise<Buffer>;

/** git ran and exited with an error (or could not be started: `exitCode` undefined). */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    reason: string,
  ) {
    super(`git ${args.join(' ')} failed: ${reason}`);
  }
}

/** Generous: 100,000 changed files with long names are a few tens of MiB of `diff-tree -z` output. */
const MAX_BUFFER = 1024 * 1024 * 1024;
/** No git command of this action should take long; a fetch that hangs must not hold the job. */
const TIMEOUT_MS = 5 * 60_000;

/**
 * The only variables of the step git sees: what it needs to run and to reach origin (the search path, the home
 * folder with the user's configuration, temporary folders, the Windows basics, proxies of self-hosted runners).
 * Never the step's inputs (INPUT_SECRET-KEY) nor the cloud credential variables.
 */
const GIT_VARIABLES = new Set([
  'PATH',
  'HOME',
  'XDG_CONFIG_HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
]);

/** The environment git runs with: `GIT_VARIABLES` of `env`, messages in English (LC_ALL=C), no prompts. */
export function gitEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && GIT_VARIABLES.has(name.toUpperCase())) kept[name] = value;
  }
  // English messages, so that the dubious-ownership refusal can be recognised; no credential prompt can hang the job.
  return { ...kept, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
}

/**
 * Settings given on the command line of every git call, over anything a configuration file says: a repository's
 * `.git/config` is the workspace's, and the workspace may hold anything (docs/changed-files.md#hostile-repositories).
 * No command it names is run (fsmonitor, hooks, ssh, pager, credential helper, alternate refs, automatic gc; the
 * upload-pack of `remote.origin.uploadpack` is overridden by `Git.fetch`), a bare repository is never found by discovery, and only https, http, ssh (with plain `ssh`) and
 * local paths (the `file` transport) may be fetched from.
 */
export const GIT_HARDENING: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.sshCommand=ssh',
  'core.askPass=',
  'core.alternateRefsCommand=true',
  'credential.helper=',
  'safe.bareRepository=explicit',
  'protocol.allow=never',
  'protocol.https.allow=always',
  'protocol.http.allow=always',
  'protocol.ssh.allow=always',
  'protocol.file.allow=always',
  // A repository's own protocol.<name>.allow would beat protocol.allow: the others git knows are named too.
  ...['ext', 'fd', 'git', 'ftp', 'ftps'].map((name) => `protocol.${name}.allow=never`),
  'gc.auto=0',
  'maintenance.auto=false',
].flatMap((setting) => ['-c', setting]);

/**
 * The real git: `execFile` with an argument array, never a shell, in the environment `gitEnvironment` keeps, with
 * `GIT_HARDENING` before the arguments, and the repository named outright: `<cwd>/.git` and its work tree `cwd`.
 * Without a `<cwd>/.git`, every command fails as outside a repository; git never looks for one anywhere else.
 */
export function execGit(cwd: string, env: Record<string, string | undefined> = process.env): GitExec {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        ['--no-pager', ...GIT_HARDENING, ...args],
        {
          cwd,
          encoding: 'buffer',
          maxBuffer: MAX_BUFFER,
          timeout: TIMEOUT_MS,
          // The repository is the workspace's .git: git never looks for one in the folders above it, nor takes
          // the workspace's own files (HEAD, config, objects/) for a bare repository.
          env: {
            ...gitEnvironment(env),
            GIT_DIR: join(resolvePath(cwd), '.git'),
            GIT_WORK_TREE: resolvePath(cwd),
            GIT_CEILING_DIRECTORIES: dirname(resolvePath(cwd)),
          },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const text = stderr.toString('utf8');
          const exitCode = typeof error.code === 'number' ? error.code : undefined;
          const reason =
            error.code === 'ENOENT'
              ? 'git is not installed or not on PATH; changed-files needs git on the runner'
              : exitCode !== undefined
                ? `exit ${exitCode}: ${firstLines(text) || error.message}`
                : error.message;
          reject(new GitCommandError(args, exitCode, text, reason));
        },
      );
    });
}

const DUBIOUS = 'detected dubious ownership';

/**
 * git in one repository. When git refuses the repository because another user owns it (container jobs run as
 * root on a workspace checked out by the runner's user), every command is run again with
 * `-c safe.directory=<the workspace>`: for this step only, without touching any configuration file. Only the
 * workspace is ever declared safe, never a folder named by git's message.
 */
export class Git {
  private safeDirectory: string | undefined;

  constructor(
    private readonly exec: GitExec,
    private readonly workspace: string,
    private readonly log: (message: string) => void,
  ) {}

  /** stdout as bytes. */
  async output(args: readonly string[]): Promise<Buffer> {
    const prefix = this.safeDirectory === undefined ? [] : ['-c', `safe.directory=${this.safeDirectory}`];
    try {
      return await this.exec([...prefix, ...args]);
    } catch (error) {
      if (this.safeDirectory !== undefined || !(error instanceof GitCommandError)) throw error;
      if (!error.stderr.includes(DUBIOUS)) throw error;
      this.safeDirectory = safeDirectoryOf(this.workspace);
      this.log(
        `git refuses the repository because another user owns it ("${DUBIOUS}", as in container jobs); running git with -c safe.directory=${this.safeDirectory} for this step, the workspace and nothing else (no configuration is changed).`,
      );
      return this.output(args);
    }
  }

  /** stdout as text, trimmed. */
  async text(args: readonly string[]): Promise<string> {
    return (await this.output(args)).toString('utf8').trim();
  }

  /** stdout as text, or undefined when git exits with an error (a missing commit, no merge base). */
  async attempt(args: readonly string[]): Promise<string | undefined> {
    try {
      return await this.text(args);
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode !== undefined) return undefined;
      throw error;
    }
  }

  /** The full SHA of a commit, or undefined when there is no such commit here. */
  resolveCommit(rev: string): Promise<string | undefined> {
    return this.attempt(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(['rev-parse', '--is-shallow-repository'])) === 'true';
  }

  /**
   * `git fetch` from origin without tags or submodules, said in the log; `refs` go after `--end-of-options`. The
   * upload-pack is named on the command line: a `-c remote.origin.uploadpack` would come after the one in
   * `.git/config`, and git takes the first.
   */
  fetch(options: readonly string[], refs: readonly string[]): Promise<string> {
    this.log(
      `changed-files: fetching from origin what the clone lacks: git fetch ${options.join(' ')} origin ${refs.join(' ')}`,
    );
    return this.text([
      'fetch',
      '--upload-pack=git-upload-pack',
      '--no-tags',
      '--no-recurse-submodules',
      '--quiet',
      ...options,
      'origin',
      '--end-of-options',
      ...refs,
    ]);
  }

  /**
   * The files (blobs, symlinks left out) in the tree of `commit` under `folder` ('' = everywhere): paths from the
   * top of the repository. For coalescing, which counts the files a directory purge would also purge.
   */
  async files(commit: string, folder: string): Promise<string[]> {
    const entries = await this.tree(commit, ['-r'], folder);
    return entries
      .filter((entry) => entry.type === 'blob' && entry.mode !== '120000')
      .map((entry) => entry.path);
  }

  /** The folders in the tree of `commit`: at its top, or with `folder` only that one, if it is a folder there. */
  async folders(commit: string, folder = ''): Promise<string[]> {
    const entries = await this.tree(commit, ['-d'], folder);
    return entries.map((entry) => entry.path);
  }

  /** `git ls-tree -z` of a commit (or tree) by full SHA; `folder` is a literal path, never a pathspec pattern. */
  private async tree(commit: string, options: readonly string[], folder: string): Promise<TreeEntry[]> {
    if (!FULL_SHA.test(commit)) throw new Error(`not a full commit SHA: ${commit}`);
    const output = await this.output([
      '--literal-pathspecs',
      'ls-tree',
      '-z',
      '--full-tree',
      ...options,
      commit,
      '--',
      ...(folder === '' ? [] : [folder]),
    ]);
    return parseTree(output);
  }

  /** The raw, NUL-separated diff between two trees: modes, status and path of every changed file. */
  diff(from: string, to: string): Promise<Buffer> {
    if (!FULL_SHA.test(from) || !FULL_SHA.test(to))
      throw new Error(`not two full commit SHAs: ${from} ${to}`);
    return this.output(['diff-tree', '-r', '-z', '--no-renames', '--no-abbrev', from, to]);
  }
}

/**
 * The workspace as git compares it with safe.directory: its real path (git resolves symbolic links), with forward
 * slashes on Windows.
 */
export function safeDirectoryOf(workspace: string): string {
  let real: string;
  try {
    real = realpathSync(workspace);
  } catch {
    real = resolvePath(workspace);
  }
  return sep === '\\' ? real.replaceAll('\\', '/') : real;
}

/** One entry of `git ls-tree`. */
export interface TreeEntry {
  mode: string;
  /** blob, tree or commit (a submodule). */
  type: string;
  path: string;
}

/** `<mode> SP <type> SP <object> TAB <path>`, NUL-separated (`-z`): any path comes through unchanged. */
export function parseTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = ''] = record.slice(0, tab).split(' ');
    entries.push({ mode, type, path: record.slice(tab + 1) });
  }
  return entries;
}

function firstLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 3)
    .join(' ');
}
