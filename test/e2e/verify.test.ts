/**
 * verify through the bundle: a fake edge in front of the deployed folder keeps its cached copies until the
 * emulator reports their purge done, and ignores the purges of some URLs, so that a stale copy is seen.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEdge, startFakeEdge } from '../fakes/edge/server.js';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { GitFixture } from '../support/git-fixture.js';
import { type ActionRun, runAction } from '../support/run-action.js';

let emulator: TencentCdnEmulator;
let repo: GitFixture;
let deployed: string;
let edge: FakeEdge;

beforeEach(async () => {
  // Every purge task is done at its first status read.
  emulator = await startTencentCdnEmulator({ taskProgress: { doneAfterPolls: 0 } });
  repo = new GitFixture();
  deployed = mkdtempSync(join(tmpdir(), 'deployed-'));
  edge = await startFakeEdge({ folder: deployed, completedPurges: (url) => emulator.completedPurges(url) });
});
afterEach(async () => {
  await edge.close();
  await emulator.close();
  repo.cleanup();
  rmSync(deployed, { recursive: true, force: true });
});

/** Commits `files` under site/, pushes them and deploys them to the folder behind the edge. */
function deploy(files: Record<string, string | null>): string {
  const sha = repo.commit(
    Object.fromEntries(Object.entries(files).map(([path, body]) => [`site/${path}`, body])),
  );
  repo.push();
  for (const [path, body] of Object.entries(files)) {
    const file = join(deployed, path);
    if (body === null) rmSync(file);
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
    }
  }
  return sha;
}

/** v1 deployed and cached at the edge, then v2 deployed: the edge still serves v1 until it is purged. */
async function deployTwice(): Promise<{ before: string; after: string }> {
  const before = deploy({
    'index.html': 'home v1',
    'app.js': 'app v1',
    'style.css': 'css v1',
    'old.html': 'old',
  });
  await edge.warm('/', '/index.html', '/app.js', '/style.css', '/old.html');
  const after = deploy({
    'index.html': 'home v2',
    'app.js': 'app v2',
    'style.css': 'css v2',
    'old.html': null,
  });
  return { before, after };
}

function act(commits: { before: string; after: string }, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(
    {
      ...stepInputs(emulator),
      'changed-files': 'true',
      'root-dir': 'site',
      'base-url': edge.url,
      ...inputs,
    },
    {
      workspace: repo.checkout(),
      env: {
        ...repo.env,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: repo.event({ ref: 'refs/heads/main', ...commits }),
      },
    },
  );
}

const U = (path: string): string => `${edge.url}${path}`;

/** The Urls of every PurgeUrlsCache request, one list per request. */
const purges = (): string[][] =>
  emulator.requests
    .filter((request) => request.action === 'PurgeUrlsCache')
    .map((request) => [...(request.body as { Urls: string[] }).Urls].sort());

describe('verify', () => {
  it('fail: purges the stale URLs once more, lists those still stale in stale and fails; fresh URLs pass', async () => {
    const commits = await deployTwice();
    edge.ignorePurges(U('app.js'));
    edge.ignorePurges(U('style.css'), 1);

    const run = await act(commits, { verify: 'fail' });

    expect(purges()).toEqual([
      [U(''), U('app.js'), U('index.html'), U('old.html'), U('style.css')],
      [U('app.js'), U('style.css')],
    ]);
    expect(JSON.parse(run.outputs.stale ?? '')).toEqual([
      { url: U('app.js'), reason: 'serves the version before the deploy' },
    ]);
    expect(run.outputs.status).toBe('stale');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `1 URL still stale at the edge after a second purge (see the stale output); first: ${U('app.js')}: serves the version before the deploy`,
    ]);
    // Both purge requests' tasks, the second purge's included.
    expect(JSON.parse(run.outputs['task-ids'] ?? '')).toHaveLength(2);
    // Checked as a browser would, uncompressed.
    const checks = edge.requests.filter((request) => request.headers['user-agent']?.includes('verify'));
    expect(checks.every((request) => request.headers['accept-encoding'] === 'identity')).toBe(true);
    expect(run.summary).toContain('Verification at the edge');
    expect(run.summary).toMatch(/<td>5<\/td><td>4<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/);
    const report = run.report as {
      verification: { checked: Array<{ url: string; verdict: string; first?: string }> };
    };
    expect(
      report.verification.checked.map(({ url, verdict, first }) => [url, verdict, first]).sort(),
    ).toEqual(
      [
        [U(''), 'fresh', undefined],
        [U('app.js'), 'stale', 'stale'],
        [U('index.html'), 'fresh', undefined],
        [U('old.html'), 'fresh', undefined],
        [U('style.css'), 'fresh', 'stale'],
      ].sort(),
    );
  });

  it('warn: a URL still stale is a warning, and the step succeeds', async () => {
    const commits = await deployTwice();
    edge.ignorePurges(U('old.html'));

    const run = await act(commits, { verify: 'warn' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    expect(JSON.parse(run.outputs.stale ?? '')).toEqual([
      { url: U('old.html'), reason: 'serves the deleted file' },
    ]);
    expect(run.stdout).toContain(
      `::warning::1 URL still stale at the edge after a second purge (see the stale output); first: ${U('old.html')}: serves the deleted file (verify: warn)`,
    );
  });
});
