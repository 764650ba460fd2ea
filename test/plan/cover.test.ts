import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cover, type CoverRequest, chooseCover, deepestCover } from '../../src/plan/cover.js';
import { directoriesOf, liesUnder } from '../../src/plan/directories.js';
import { evaluate, leastCollateralByBruteForce } from '../support/cover-yardstick.js';

const H = 'https://www.example.com/';

/** The site's files: `a/x/0.js` … for every folder and count given. */
function files(folders: Record<string, number>): string[] {
  return Object.entries(folders).flatMap(([folder, n]) =>
    Array.from({ length: n }, (_, i) => `${H}${folder}${i}.js`),
  );
}

/** Every URL of the request is purged by a directory of the cover or one by one, and nothing else is. */
function expectCovers(request: CoverRequest, cover: Cover): void {
  const directories = new Set(cover.directories.map((directory) => directory.url));
  const left = request.urls.filter((url) => !liesUnder(url, directories));
  expect(cover.urls).toEqual(left);
  expect(cover.urls.length).toBeLessThanOrEqual(request.budget.urls);
  expect(cover.directories.length).toBeLessThanOrEqual(request.budget.directories);
}

describe('directoriesOf', () => {
  it('lists the directories from the host root down, the query and fragment left out', () => {
    expect(directoriesOf(`${H}a/b/c.js?v=/x/#/y/`)).toEqual([H, `${H}a/`, `${H}a/b/`]);
    expect(directoriesOf(`${H}a/`)).toEqual([H, `${H}a/`]);
    expect(directoriesOf('https://www.example.com')).toEqual([]);
  });

  it('puts a URL under a directory only at a slash: /static2/ is not under /static/', () => {
    const purged = new Set([`${H}static/`]);
    expect(liesUnder(`${H}static/app.js`, purged)).toBe(true);
    expect(liesUnder(`${H}static2/app.js`, purged)).toBe(false);
    expect(liesUnder(`${H}static`, purged)).toBe(false);
  });
});

describe('chooseCover', () => {
  const site = files({ 'a/x/': 6, 'a/y/': 6, 'b/x/': 6, 'b/y/': 6, 'c/': 50 });
  // a/ rewritten whole, b/x/ half, one file of c/.
  const urls = [...files({ 'a/x/': 6, 'a/y/': 6, 'b/x/': 3 }), `${H}c/0.js`];

  it('purges the directories holding the fewest unchanged files, leaving what fits one by one', () => {
    const request = { urls, budget: { urls: 4, directories: 2 }, siteFiles: site };
    const cover = chooseCover(request);
    expect(cover?.directories).toEqual([{ url: `${H}a/`, urls: 12 }]);
    expect(cover?.urls).toEqual([...files({ 'b/x/': 3 }), `${H}c/0.js`]);
    expect(cover?.collateral).toBe(0);
    expect(cover?.aboveFloor).toBe(false);
  });

  it('spends collateral only when the URL quota is one short', () => {
    const fits = chooseCover({ urls, budget: { urls: 4, directories: 2 }, siteFiles: site });
    const short = chooseCover({ urls, budget: { urls: 3, directories: 2 }, siteFiles: site });
    expect(fits?.collateral).toBe(0);
    expect(short?.directories.map((directory) => directory.url).sort()).toEqual([`${H}a/`, `${H}b/x/`]);
    expect(short?.collateral).toBe(3);
  });

  it('without the site files, purges the deepest directories that fit', () => {
    const cover = chooseCover({ urls, budget: { urls: 4, directories: 2 } });
    expect(cover?.directories.map((directory) => directory.url).sort()).toEqual([`${H}a/x/`, `${H}a/y/`]);
    expect(cover?.collateral).toBeUndefined();
  });

  it('purges a floor (base-url) or a host root only when nothing deeper fits, and says so', () => {
    const flat = Array.from({ length: 10 }, (_, i) => `${H}site/${i}.html`);
    const floors = [`${H}site/`];
    expect(chooseCover({ urls: flat, budget: { urls: 9, directories: 1 }, floors })?.directories).toEqual([
      { url: `${H}site/`, urls: 10 },
    ]);
    expect(chooseCover({ urls: flat, budget: { urls: 9, directories: 1 }, floors })?.aboveFloor).toBe(true);
    const atRoot = Array.from({ length: 10 }, (_, i) => `${H}${i}.html`);
    const cover = chooseCover({ urls: atRoot, budget: { urls: 9, directories: 1 } });
    expect(cover).toMatchObject({ directories: [{ url: H, urls: 10 }], aboveFloor: true });
  });

  it('gives up when not even the hosts roots fit: one directory per host, two hosts', () => {
    const two = [`${H}a.js`, `${H}b.js`, 'https://img.example.com/c.png'];
    expect(chooseCover({ urls: two, budget: { urls: 0, directories: 1 } })).toBeUndefined();
    expect(chooseCover({ urls: two, budget: { urls: 1, directories: 1 } })?.urls).toEqual([
      'https://img.example.com/c.png',
    ]);
    expect(chooseCover({ urls: two, budget: { urls: 0, directories: 0 } })).toBeUndefined();
  });

  it('covers 100,000 URLs in 68,000 directories against the default quotas', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `${H}${i % 10}/${i % 97}/${i % 89}/${i}.js`);
    const siteFiles = [...many, ...Array.from({ length: 50_000 }, (_, i) => `${H}${i % 10}/old/${i}.js`)];
    const request = { urls: many, budget: { urls: 10_000, directories: 100 }, siteFiles };
    const cover = chooseCover(request);
    expect(cover).toBeDefined();
    if (cover) expectCovers(request, cover);
  });
});

/** A small site: up to three levels of folders a–c, files 0–3, some changed, some deleted. */
const smallSite = fc
  .array(
    fc.record({
      path: fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 0, maxLength: 3 }),
      name: fc.integer({ min: 0, max: 3 }),
      state: fc.constantFrom('unchanged', 'unchanged', 'changed', 'deleted'),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((entries) => {
    const site = new Map<string, string>();
    for (const entry of entries)
      site.set(`${H}${entry.path.map((p) => `${p}/`).join('')}${entry.name}.js`, entry.state);
    const of = (...states: string[]) =>
      [...site].filter(([, state]) => states.includes(state)).map(([url]) => url);
    return { urls: of('changed', 'deleted'), siteFiles: of('unchanged', 'changed') };
  })
  .filter(({ urls }) => urls.length > 0);

const request = fc
  .tuple(smallSite, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 4 }), fc.boolean())
  .map(
    ([site, urls, directories, withFloor]): CoverRequest => ({
      ...site,
      budget: { urls, directories },
      floors: withFloor ? [`${H}a/`] : [],
    }),
  );

describe('chooseCover spends the least of the day', () => {
  /** 100 sections of 10 folders of 100 files; the first 30 sections rewritten whole. */
  const sections = Array.from({ length: 100 }, (_, s) =>
    Array.from({ length: 1000 }, (_, i) => `${H}s${s}/f${Math.floor(i / 100)}/${i}.html`),
  );
  const changed = sections.slice(0, 30).flat();
  const daily = { urls: 10_000, directories: 100 };

  it('fits 30 fully changed sections in 30 directory purges and no URL purge, knowing the site files', () => {
    const cover = chooseCover({
      urls: changed,
      budget: { ...daily, daily },
      siteFiles: sections.flat(),
      floors: [H],
    });
    expect(cover?.directories.map((directory) => directory.url).sort()).toEqual(
      Array.from({ length: 30 }, (_, s) => `${H}s${s}/`).sort(),
    );
    expect(cover).toMatchObject({ urls: [], collateral: 0 });
  });

  it('without the site files, adds directories of the same level only so as not to empty a quota', () => {
    // 20 sections and the day's 10,000 URL purges would leave none: 21 sections and 9,000 URLs.
    const cover = chooseCover({ urls: changed, budget: { ...daily, daily }, floors: [H] });
    expect(cover?.directories).toHaveLength(21);
    expect(cover?.urls).toHaveLength(9000);
    // With 10,001 URL purges left, 20 sections leave one: no more directories than needed.
    const fits = chooseCover({
      urls: changed,
      budget: { urls: 10_001, directories: 100, daily },
      floors: [H],
    });
    expect(fits?.directories).toHaveLength(20);
    expect(fits?.urls).toHaveLength(10_000);
  });

  it('at equal collateral, never empties a quota another cover leaves some of: 31 directory purges left, then 30', () => {
    const cover = (directories: number) =>
      chooseCover({
        urls: changed,
        budget: { urls: 10_000, directories, daily },
        siteFiles: sections.flat(),
        floors: [H],
      });
    expect(cover(31)).toMatchObject({ urls: [], collateral: 0 });
    expect(cover(31)?.directories).toHaveLength(30);
    // 30 directories would leave none: one section goes one by one instead (1,000 of 10,000 URL purges).
    expect(cover(30)?.directories).toHaveLength(29);
    expect(cover(30)?.urls).toHaveLength(1000);
    expect(cover(30)?.collateral).toBe(0);
  });

  it('uses a directory purge left unused where it purges fewer unchanged files than the knapsack found', () => {
    const request: CoverRequest = {
      urls: [`${H}a/c/2.js`, `${H}b/a/0.js`, `${H}b/2.js`, `${H}a/2.js`],
      siteFiles: [
        `${H}c/a/0.js`,
        `${H}c/a/a/1.js`,
        `${H}b/a/0.js`,
        `${H}a/c/c/1.js`,
        `${H}a/2.js`,
        `${H}b/c/3.js`,
        `${H}a/a/0.js`,
      ],
      budget: { urls: 1, directories: 2 },
      floors: [H],
    };
    expect(leastCollateralByBruteForce(request)).toBe(2);
    const cover = chooseCover(request);
    expect(cover?.collateral).toBe(2);
    if (cover) expectCovers(request, cover);
  });
});

describe('chooseCover, for any small site', () => {
  it('covers every URL within both quotas, never purging more unchanged files than the deepest directories', () => {
    fc.assert(
      fc.property(request, (req) => {
        const cover = chooseCover(req);
        const deepest = deepestCover(req);
        // Both find a cover exactly when one exists.
        expect(cover === undefined).toBe(deepest === undefined);
        if (!cover || !deepest) return;
        expectCovers(req, cover);
        const measured = evaluate(
          req,
          cover.directories.map((directory) => directory.url),
        );
        expect(cover.collateral).toBe(measured.collateral);
        expect(measured.collateral).toBeLessThanOrEqual(
          evaluate(
            req,
            deepest.directories.map((directory) => directory.url),
          ).collateral,
        );
        // Below the floors whenever brute force finds anything there, and then never better than brute force.
        const least = leastCollateralByBruteForce(req);
        expect(cover.aboveFloor).toBe(least === undefined);
        if (least !== undefined) expect(measured.collateral).toBeGreaterThanOrEqual(least);
      }),
      { numRuns: 300 },
    );
  });
});
