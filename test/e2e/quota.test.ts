/**
 * The least quota through the bundle, against the Tencent CDN emulator charging each domain's own area.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { GitFixture } from '../support/git-fixture.js';
import { runAction } from '../support/run-action.js';

const HOST = 'www.example.com';

let emulator: TencentCdnEmulator | undefined;
let repo: GitFixture | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  repo?.cleanup();
  repo = undefined;
});

const accepted = (api: TencentCdnEmulator, field: 'urls' | 'paths'): string[] =>
  api.accepted.flatMap((task) => task[field] ?? []);

// The quota planned against, and a quota another job spends during the run, run in process:
// test/plan/quota-run.test.ts.
describe('the least quota', () => {
  // The real-history shape at a tenth of its size, for a fast repository: 30 sections of 100 files rewritten whole
  // against a URL quota of 1,000 a day (test/plan/cover.test.ts and the bench run it at full size).
  it('purges a deploy that rewrote 30 sections whole as 30 directories and no URL', async () => {
    const section = (s: number, content: string) =>
      Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`site/s${s}/f${Math.floor(i / 10)}/${i}.html`, content]),
      );
    const git = new GitFixture();
    repo = git;
    // 40 sections; the deploy rewrites the first 30 (3,000 changed files, 3 times the day's URL quota).
    const before = git.commit(
      Object.assign({}, ...Array.from({ length: 40 }, (_, s) => section(s, 'v1'))) as Record<string, string>,
    );
    git.push();
    const after = git.commit(
      Object.assign({}, ...Array.from({ length: 30 }, (_, s) => section(s, 'v2'))) as Record<string, string>,
    );
    git.push();
    emulator = await startTencentCdnEmulator({
      domainAreas: { [HOST]: 'mainland' },
      dailyQuota: { purgeUrls: 1000 },
    });
    const run = await runAction(
      {
        ...stepInputs(emulator),
        'changed-files': 'true',
        'root-dir': 'site',
        'base-url': `https://${HOST}/`,
      },
      {
        workspace: git.checkout(),
        env: {
          ...git.env,
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: git.event({
            ref: 'refs/heads/main',
            before,
            after,
            created: false,
            deleted: false,
          }),
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(accepted(emulator, 'urls')).toEqual([]);
    expect(accepted(emulator, 'paths').sort()).toEqual(
      Array.from({ length: 30 }, (_, s) => `https://${HOST}/s${s}/`).sort(),
    );
    expect(emulator.requests.filter((request) => request.action === 'PurgeUrlsCache')).toEqual([]);
    expect(run.stdout).toContain('The directories also hold 0 files this deploy did not change');
  }, 60_000);
});
