import { describe, expect, it } from 'vitest';
import { chunk, plannedTargets, planOperations, planTargets } from '../../src/plan/operations.js';
import { TENCENT_CDN_APIS } from '../../src/providers/tencent/cdn.js';
import { settingsFrom } from '../support/settings.js';

const A = 'https://www.example.com/a.js';
const B = 'https://www.example.com/b.js';
const GONE = 'https://www.example.com/gone.js';
const DIR = 'https://www.example.com/static/';

describe('planOperations', () => {
  it('purges URLs and directories, then prefetches only the URLs, for purge-prefetch', () => {
    const plan = planOperations({ mode: 'purge-prefetch', urls: [A, B], paths: [DIR] }, TENCENT_CDN_APIS);
    expect(plan.map((op) => [op.kind, op.api.action, op.phase, op.after, op.targets])).toEqual([
      ['purge-urls', 'PurgeUrlsCache', 0, undefined, [A, B]],
      ['purge-paths', 'PurgePathCache', 0, undefined, [DIR]],
      ['prefetch', 'PushUrlsCache', 1, 'purge-urls', [A, B]],
    ]);
  });

  it('purges the URLs of deleted files but never prefetches them', () => {
    const plan = planOperations(
      { mode: 'purge-prefetch', urls: [A], paths: [], purgeOnlyUrls: [GONE, A] },
      TENCENT_CDN_APIS,
    );
    expect(plan.map((op) => [op.kind, op.targets])).toEqual([
      ['purge-urls', [A, GONE]],
      ['prefetch', [A]],
    ]);
    expect(
      planOperations({ mode: 'prefetch', urls: [A], paths: [], purgeOnlyUrls: [GONE] }, TENCENT_CDN_APIS),
    ).toEqual([expect.objectContaining({ kind: 'prefetch', targets: [A] })]);
  });

  it("purges and prefetches once an explicit URL that is also a changed file's URL", () => {
    const settings = settingsFrom({
      provider: 'tencent-cdn',
      mode: 'purge-prefetch',
      urls: `${A}\n${B}`,
      'dry-run': 'true',
    });
    const C = 'https://www.example.com/c.js';
    const mapping = { sites: [], files: [], urls: [B, C], purgeOnlyUrls: [] };
    const plan = planOperations(
      planTargets(settings, { comparison: undefined, mapping, siteFiles: undefined }),
      TENCENT_CDN_APIS,
    );
    expect(plan.map((op) => [op.kind, op.targets])).toEqual([
      ['purge-urls', [A, B, C]],
      ['prefetch', [A, B, C]],
    ]);
  });

  it('plans nothing for an empty list, and unblock for mode unblock', () => {
    expect(planOperations({ mode: 'purge', urls: [], paths: [] }, TENCENT_CDN_APIS)).toEqual([]);
    expect(
      planOperations({ mode: 'unblock', urls: [A], paths: [] }, TENCENT_CDN_APIS).map((op) => op.api.action),
    ).toEqual(['EnableCaches']);
  });

  it('lists every distinct target once for the urls output', () => {
    const plan = planOperations(
      { mode: 'purge-prefetch', urls: [A], paths: [DIR], purgeOnlyUrls: [GONE] },
      TENCENT_CDN_APIS,
    );
    expect(plannedTargets(plan)).toEqual([A, GONE, DIR]);
  });
});

describe('planOperations: no double work', () => {
  const inDir = (name: string): string => `${DIR}${name}`;

  it('leaves out of the URL purge every URL under a directory the run purges, and counts them by directory', () => {
    const urls = [inDir('a.js'), inDir('deep/b.js?v=2'), DIR, A, 'https://www.example.com/static2/c.js'];
    const plan = planOperations({ mode: 'purge-prefetch', urls, paths: [DIR] }, TENCENT_CDN_APIS);
    expect(plan.map((op) => [op.kind, op.targets])).toEqual([
      ['purge-urls', [A, 'https://www.example.com/static2/c.js']],
      ['purge-paths', [DIR]],
      // Still warmed: the directory purge purged them.
      ['prefetch', urls],
    ]);
    expect(plan[1]?.notes).toEqual([
      '3 URLs not purged one by one: each lies under a directory this run purges (https://www.example.com/static/: 3).',
    ]);
    expect(plan[0]?.notes).toBeUndefined();
  });

  it('drops the URL purge altogether when every URL lies under a directory, deleted files included', () => {
    const plan = planOperations(
      { mode: 'purge', urls: [inDir('a.js')], paths: [DIR], purgeOnlyUrls: [inDir('gone.js')] },
      TENCENT_CDN_APIS,
    );
    expect(plan.map((op) => [op.kind, op.targets])).toEqual([['purge-paths', [DIR]]]);
    expect(plan[0]?.notes).toEqual([
      '2 URLs not purged one by one: each lies under a directory this run purges (https://www.example.com/static/: 2).',
    ]);
  });

  it('adds no note when nothing lies under a directory', () => {
    const plan = planOperations({ mode: 'purge', urls: [A], paths: [DIR] }, TENCENT_CDN_APIS);
    expect(plan.map((op) => op.notes)).toEqual([undefined, undefined]);
  });
});

describe('chunk', () => {
  it('splits into consecutive batches of at most the size, and refuses a size below 1', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});
