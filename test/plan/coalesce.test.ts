import { describe, expect, it } from 'vitest';
import { type Coalescing, describeShortfalls, fitPlan, quotaKinds } from '../../src/plan/coalesce.js';
import { planOperations } from '../../src/plan/operations.js';
import type { Quota } from '../../src/providers/provider.js';
import { TENCENT_CDN_APIS } from '../../src/providers/tencent/cdn.js';
import type { OperationKind } from '../../src/settings.js';

const H = 'https://www.example.com/';
/** `n` URLs in each of the folders. */
const urlsIn = (n: number, ...folders: string[]): string[] =>
  folders.flatMap((folder) => Array.from({ length: n }, (_, i) => `${H}${folder}${i}.js`));

const quota = (available: number, total = available): Quota => ({
  batchSize: 0,
  available,
  total,
  scope: 'mainland',
});
const quotas = (urls: number, directories: number): Partial<Record<OperationKind, Quota>> => ({
  'purge-urls': quota(urls, 10_000),
  'purge-paths': quota(directories, 100),
  prefetch: quota(1000),
});
const AUTO: Coalescing = { mode: 'auto', siteFiles: undefined, floors: [] };

function planFitted(
  urls: string[],
  available: Partial<Record<OperationKind, Quota>>,
  options: { coalescing?: Coalescing; paths?: string[]; mode?: 'purge' | 'purge-prefetch' } = {},
) {
  const planned = planOperations(
    { mode: options.mode ?? 'purge', urls, paths: options.paths ?? [] },
    TENCENT_CDN_APIS,
  );
  return fitPlan(planned, available, options.coalescing ?? AUTO, TENCENT_CDN_APIS);
}

describe('fitPlan', () => {
  const urls = urlsIn(10, 'a/', 'b/', 'c/');

  it('leaves a purge that exactly meets the URL quota as it is', () => {
    const { operations, shortfalls, warnings } = planFitted(urls, quotas(30, 100));
    expect(operations.map((op) => [op.kind, op.targets.length])).toEqual([['purge-urls', 30]]);
    expect([shortfalls, warnings]).toEqual([[], []]);
  });

  it('purges directories when the URL quota is one short, and says what it coalesced', () => {
    const { operations, shortfalls } = planFitted(urls, quotas(29, 1));
    expect(shortfalls).toEqual([]);
    expect(operations.map((op) => [op.kind, op.api.action, op.targets])).toEqual([
      ['purge-urls', 'PurgeUrlsCache', urlsIn(10, 'b/', 'c/')],
      ['purge-paths', 'PurgePathCache', [`${H}a/`]],
    ]);
    expect(operations[1]?.notes).toEqual([
      "10 URLs under 1 directory purged as directories to fit today's quota (29 URL and 1 directory purges available); 20 URLs purged one by one. Directories chosen as deep as possible: without changed-files, the files under them that did not change are not known.",
    ]);
  });

  it('spends the least of the day: more directories of the same level rather than empty the URL quota', () => {
    // 20 URL purges left: one directory and 20 URLs would empty the URL quota; two directories and 10 URLs do not.
    const { operations } = planFitted(urls, quotas(20, 100));
    expect(operations.map((op) => [op.kind, op.targets.length])).toEqual([
      ['purge-urls', 10],
      ['purge-paths', 2],
    ]);
    // 21 left: one directory and 20 URLs leave one, and spend less of the day (20 URLs weigh less than a directory).
    const oneMore = planFitted(urls, quotas(21, 100));
    expect(oneMore.operations.map((op) => [op.kind, op.targets.length])).toEqual([
      ['purge-urls', 20],
      ['purge-paths', 1],
    ]);
    // When every cover empties a quota (10 URL purges left, 3 directory purges), the least of the day is spent.
    const scarce = planFitted(urls, quotas(10, 3));
    expect(scarce.operations.map((op) => [op.kind, op.targets.length])).toEqual([
      ['purge-urls', 10],
      ['purge-paths', 2],
    ]);
  });

  it('keeps quota-reserve of each daily quota unused, a number or a percentage, on both sides of the boundary', () => {
    // 30 URLs, 40 URL purges left: a reserve of 10 exactly meets it, 11 is one short and coalesces.
    const exactly = planFitted(urls, quotas(40, 100), { coalescing: { ...AUTO, reserve: { targets: 10 } } });
    expect(exactly.operations.map((op) => [op.kind, op.targets.length])).toEqual([['purge-urls', 30]]);
    const short = planFitted(urls, quotas(40, 100), { coalescing: { ...AUTO, reserve: { targets: 11 } } });
    expect(short.operations.map((op) => op.kind)).toContain('purge-paths');
    // 0.1% of 10,000 is 10 kept: met exactly; 0.11% keeps 11: one short, and with coalesce off nothing is sent.
    const off = { ...AUTO, mode: 'off' as const };
    expect(
      planFitted(urls, quotas(40, 100), { coalescing: { ...off, reserve: { percent: 0.1 } } }).shortfalls,
    ).toEqual([]);
    const refused = planFitted(urls, quotas(40, 100), { coalescing: { ...off, reserve: { percent: 0.11 } } });
    expect(describeShortfalls(refused.shortfalls)).toBe(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 30 but 29 of 10000 a day are available (mainland; 11 more kept for later by quota-reserve)",
    );
  });

  it('names the area a shortfall was planned against, why, and what to do', () => {
    const charged: Quota = {
      ...quota(29, 10_000),
      basis: 'the scarcer area: DescribeDomains was refused (UnauthorizedOperation)',
      hint: 'Set `area` to where the domains are served.',
    };
    const off = planFitted(urls, { 'purge-urls': charged }, { coalescing: { ...AUTO, mode: 'off' } });
    expect(describeShortfalls(off.shortfalls)).toBe(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 30 but 29 of 10000 a day are available (mainland: the scarcer area: DescribeDomains was refused (UnauthorizedOperation)). Set `area` to where the domains are served.",
    );
  });

  it('counts the unchanged files purged with changed-files, and counts the given directories against the quota', () => {
    // a/ and b/ hold unchanged files, c/ none: the deepest-directory choice would take a/.
    const siteFiles = [...urls, ...urlsIn(5, 'a/old/', 'b/x/')];
    const coalescing = { mode: 'auto' as const, siteFiles, floors: [H] };
    const { operations } = planFitted(urls, quotas(20, 2), { coalescing, paths: [`${H}img/`] });
    expect(operations.map((op) => [op.kind, op.targets])).toEqual([
      ['purge-urls', urlsIn(10, 'a/', 'b/')],
      ['purge-paths', [`${H}img/`, `${H}c/`]],
    ]);
    expect(operations[1]?.notes?.[0]).toBe(
      "10 URLs under 1 directory purged as directories to fit today's quota (20 URL and 1 directory purges available); 20 URLs purged one by one. The directories also hold 0 files this deploy did not change, purged too (the fewest of the choices tried).",
    );
  });

  it('keeps the prefetch whole: warming cannot be coalesced', () => {
    const { operations } = planFitted(urls, quotas(29, 1), { mode: 'purge-prefetch' });
    expect(operations.map((op) => [op.kind, op.targets.length, op.after])).toEqual([
      ['purge-urls', 20, undefined],
      ['purge-paths', 1, undefined],
      ['prefetch', 30, 'purge-urls'],
    ]);
  });

  it('purges the host root only when nothing deeper fits, with a warning', () => {
    const { operations, warnings } = planFitted(urls, quotas(0, 1));
    expect(operations.map((op) => [op.kind, op.targets])).toEqual([['purge-paths', [H]]]);
    expect(warnings).toEqual([`Nothing below the hosts' roots fits today's quota: purging ${H}.`]);
    // In the summary too.
    expect(operations[0]?.notes?.at(-1)).toBe(warnings[0]);
  });

  it('fails with the numbers when no choice of directories fits, or with coalesce off', () => {
    const twoHosts = [...urls, 'https://img.example.com/a.png'];
    const failing = planFitted(twoHosts, quotas(0, 1));
    expect(failing.warnings).toEqual([
      'Coalescing cannot fit the URL purge: 1 directory purges are left today and no choice of that many directories leaves at most 0 URLs.',
    ]);
    expect(describeShortfalls(failing.shortfalls)).toBe(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 31 but 0 of 10000 a day are available (mainland)",
    );
    const off = planFitted(urls, quotas(29, 100), { coalescing: { ...AUTO, mode: 'off' } });
    expect(off.operations.map((op) => op.kind)).toEqual(['purge-urls']);
    expect(describeShortfalls(off.shortfalls)).toBe(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 30 but 29 of 10000 a day are available (mainland)",
    );
  });

  it('reads the directory quota too whenever it may coalesce a URL purge', () => {
    const planned = planOperations({ mode: 'purge', urls, paths: [] }, TENCENT_CDN_APIS);
    expect(quotaKinds(planned, AUTO, TENCENT_CDN_APIS)).toEqual(['purge-urls', 'purge-paths']);
    expect(quotaKinds(planned, { ...AUTO, mode: 'off' }, TENCENT_CDN_APIS)).toEqual(['purge-urls']);
  });
});
