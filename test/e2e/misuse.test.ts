/**
 * The mistakes new users made (issue "Impossible to misuse"), replayed through the bundle: each either does what
 * the user meant, or fails before anything is sent with a message that names the input and the fix, and still
 * sets `status: failed`. Input errors exit before any network, so these runs are quick.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { GitFixture } from '../support/git-fixture.js';
import { runAction } from '../support/run-action.js';

let emulator: TencentCdnEmulator;
beforeAll(async () => {
  emulator = await startTencentCdnEmulator();
});
afterAll(() => emulator.close());

const A = 'https://www.example.com/a.js';

describe('a mistake is refused before anything is sent, naming the input and the fix', () => {
  // The other mistakes, and the lists written as people write them, run in process: test/inputs/misuse-run.test.ts.
  it.each<[string, Record<string, string>, string]>([
    ['dry_run spelled as peer actions do', { urls: A, dry_run: 'true' }, "Input 'dry_run'"],
  ])('%s', async (_, inputs, message) => {
    const before = emulator.requests.length;
    const run = await runAction({ ...stepInputs(emulator), ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(run.outputs.status).toBe('failed');
    expect(run.summary).toContain('Nothing was sent: an input is wrong.');
    expect(emulator.requests.length).toBe(before);
  });
});

describe('changed-files hints', () => {
  /** A pushed deploy commit that changed site/a.js and site/a.js.map, run with `inputs`; `build` creates files first. */
  async function deploy(inputs: Record<string, string>, build: (workspace: string) => void = () => {}) {
    const git = new GitFixture();
    try {
      const before = git.commit({ 'site/a.js': '1', 'site/a.js.map': '1' });
      git.push();
      const after = git.commit({ 'site/a.js': '2', 'site/a.js.map': '2' });
      git.push();
      const workspace = git.checkout();
      build(workspace);
      return await runAction(
        {
          ...stepInputs(emulator),
          'changed-files': 'true',
          'base-url': 'https://www.example.com/',
          'dry-run': 'true',
          ...inputs,
        },
        {
          workspace,
          env: git.pushEnv(before, after),
        },
      );
    } finally {
      git.cleanup();
    }
  }

  it('warns of an exclude pattern written from the top of the repository', async () => {
    const run = await deploy({ 'root-dir': 'site', exclude: 'site/**/*.map' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      '::warning::changed-files: the exclude pattern site/**/*.map matched none of the 2 changed files under root-dir. Patterns are matched against the path relative to root-dir: write **/*.map instead.',
    );
  });

  it('says that only committed files are mapped when root-dir is a gitignored build output', async () => {
    const run = await deploy({ 'root-dir': 'public' }, (workspace) => {
      mkdirSync(join(workspace, 'public'));
      writeFileSync(join(workspace, 'public', 'a.js'), 'built');
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(
      'public exists in the workspace but in no commit (a build output, gitignored?)',
    );
    expect(run.outputs.status).toBe('failed');
  });
});
