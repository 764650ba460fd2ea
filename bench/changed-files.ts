/**
 * (e) changed-files on a diff of 100,000 files: a real repository built with `git fast-import` (no working tree),
 * two commits apart by 90,000 modified, 5,000 deleted and 5,000 added files, names with spaces and unicode.
 * Times `git diff-tree` through the action's git runner, then reading and mapping its output to URLs, and the
 * listing of the deploy commit's tree that coalescing counts unchanged files in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseRawDiff } from '../src/targets/diff.js';
import { execGit, Git } from '../src/targets/git.js';
import { mapChangedFiles, servedUrls } from '../src/targets/url-map.js';

const FILES = 100_000;
const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const name = (i: number): string => `site/section ${i % 100}/p\u00e4ge ${i}.html`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Two commits: every file of the first changes (modified, deleted or added) in the second. */
function importHistory(repo: string): void {
  const lines = ['blob', 'mark :1', 'data 2', 'v1', 'blob', 'mark :2', 'data 2', 'v2'];
  const commit = (ref: string, mark: number, body: string[]): void => {
    lines.push(
      `commit ${ref}`,
      `mark :${mark}`,
      'committer b <b@example.com> 1700000000 +0000',
      'data 1',
      'c',
    );
    if (mark === 11) lines.push('from :10');
    lines.push(...body);
  };
  commit(
    'refs/heads/main',
    10,
    Array.from({ length: FILES }, (_, i) => `M 100644 :1 ${name(i)}`),
  );
  // 90,000 modified, 5,000 deleted, 5,000 unchanged, 5,000 added.
  const changes: string[] = [];
  for (let i = 0; i < 90_000; i++) changes.push(`M 100644 :2 ${name(i)}`);
  for (let i = 90_000; i < 95_000; i++) changes.push(`D ${name(i)}`);
  for (let i = 0; i < 5_000; i++) changes.push(`M 100644 :2 ${name(FILES + i)}`);
  commit('refs/heads/main', 11, changes);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, env: ENV, input: `${lines.join('\n')}\n` });
}

export async function changedFilesBench(): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'bench-changed-files-'));
  try {
    execFileSync('git', ['init', '--quiet', '--bare', repo], { env: ENV });
    importHistory(repo);
    const git = new Git(execGit(repo, ENV), repo, () => {});
    const from = await git.text(['rev-parse', 'main~1']);
    const to = await git.text(['rev-parse', 'main']);

    let start = performance.now();
    const output = await git.diff(from, to);
    const diffMs = performance.now() - start;

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    start = performance.now();
    const entries = parseRawDiff(output);
    const readMs = performance.now() - start;
    const mapping = mapChangedFiles(entries, {
      sites: [{ rootDir: 'site', baseUrl: 'https://www.example.com/' }],
      sitesInput: 'root-dir',
      source: 'git',
      githubToken: '',
      since: undefined,
      include: ['**/*.html'],
      exclude: ['section 7/**'],
      indexFile: 'index.html',
    });
    const totalMs = performance.now() - start;
    const heap = process.memoryUsage().heapUsed - heapBefore;
    const n = (value: number): string => value.toLocaleString('en');
    console.log(
      `(e) changed-files, ${n(mapping.files.length)} changed files (${mib(output.length)} of diff-tree -z output):`,
    );
    start = performance.now();
    const siteFiles = servedUrls(await git.files(to, 'site'), [
      { baseUrl: 'https://www.example.com/', rootDir: 'site' },
    ]);
    const treeMs = performance.now() - start;
    console.log(
      `    git diff-tree ${diffMs.toFixed(0)} ms; read and mapped ${totalMs.toFixed(0)} ms (read ${readMs.toFixed(0)}, mapped ${(totalMs - readMs).toFixed(0)}): ${n(mapping.urls.length)} URLs + ${n(mapping.purgeOnlyUrls.length)} purge-only, heap +${mib(heap)}`,
    );
    console.log(
      `    the deploy commit's tree for coalescing (git ls-tree, mapped to URLs): ${n(siteFiles.length)} files, ${treeMs.toFixed(0)} ms`,
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
