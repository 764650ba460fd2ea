/**
 * (g) coalescing: four deploy shapes against Tencent's default daily quotas (10,000 URL purges and 100 directory
 * purges), each with the quota units the plan uses, the share of each daily quota that spends, and the unchanged
 * files its directories purge, by the count-aware choice (changed-files: the tree of the deploy commit) and by the
 * deepest directories (without it). The real-history shape: 30 sections of 1,000 files rewritten whole, of 100.
 * The yardstick: the same shapes on small trees with small quotas, beside the least possible found by brute force.
 */
import { performance } from 'node:perf_hooks';
import { type Cover, type CoverRequest, chooseCover, deepestCover } from '../src/plan/cover.js';
import { leastCollateralByBruteForce } from '../test/support/cover-yardstick.js';

const HOST = 'https://www.example.com/';

/** The files of a tree: `branching[i]` folders at level i, `files` files in each folder of the last level. */
function tree(prefix: string, branching: readonly number[], files: number): string[] {
  const [here, ...below] = branching;
  if (here === undefined) return Array.from({ length: files }, (_, i) => `${prefix}${i}.html`);
  return Array.from({ length: here }, (_, i) => tree(`${prefix}d${i}/`, below, files)).flat();
}

interface Shape {
  name: string;
  site: string[];
  changed: string[];
}

/** One deep folder rewritten whole, beside a few scattered files. */
function deepFolder(scale: { branching: number[]; files: number; deep: number[]; deepFiles: number }): Shape {
  const rest = tree(HOST, scale.branching, scale.files);
  const deep = tree(`${HOST}app/build/assets/`, scale.deep, scale.deepFiles);
  const scattered = rest.filter((_, i) => i % 997 === 0);
  return { name: 'one deep folder rewritten', site: [...rest, ...deep], changed: [...deep, ...scattered] };
}

/** Changes spread evenly: every `every`-th file of the tree. */
function spread(scale: { branching: number[]; files: number; every: number }): Shape {
  const site = tree(HOST, scale.branching, scale.files);
  const changed = site.filter((_, i) => i % scale.every === 0);
  return { name: 'changes spread evenly over a large tree', site, changed };
}

/** A few big folders nearly rewritten (9 files in 10), and scattered files elsewhere. */
function bigFolders(scale: { branching: number[]; files: number; big: number; every: number }): Shape {
  const site = tree(HOST, scale.branching, scale.files);
  const big = Array.from({ length: scale.big }, (_, i) => `${HOST}d${i}/`);
  const changed = site.filter((url, i) =>
    big.some((folder) => url.startsWith(folder)) ? i % 10 !== 0 : i % scale.every === 0,
  );
  return { name: 'a few big folders plus scattered files', site, changed };
}

/** Whole sections rewritten: `changedSections` of `sections`, each of `folders` folders of `files` files. */
function sections(scale: {
  sections: number;
  changedSections: number;
  folders: number;
  files: number;
}): Shape {
  const site = tree(HOST, [scale.sections, scale.folders], scale.files);
  const changed = Array.from({ length: scale.changedSections }, (_, i) => `${HOST}d${i}/`);
  return {
    name: 'whole sections rewritten (the real-history shape)',
    site,
    changed: site.filter((url) => changed.some((section) => url.startsWith(section))),
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const percent = (part: number, whole: number): string =>
  `${whole > 0 ? Math.floor((100 * part) / whole) : 0}%`;

function describe(cover: Cover | undefined, request: CoverRequest): string {
  if (!cover) return 'does not fit';
  const collateral = cover.collateral ?? collateralOf(cover, request);
  const { urls, directories } = request.budget;
  const shares = `${percent(cover.urls.length, urls)} of the URL quota, ${percent(cover.directories.length, directories)} of the directory quota`;
  return `${fmt(cover.urls.length)} URLs + ${cover.directories.length} directories (${shares}), ${fmt(collateral)} unchanged files purged`;
}

/** The unchanged files under a cover's directories (for the deepest choice, which does not count them). */
function collateralOf(cover: Cover, request: CoverRequest): number {
  const requested = new Set(request.urls);
  const directories = cover.directories.map((directory) => directory.url);
  return (request.siteFiles ?? []).filter(
    (file) => !requested.has(file) && directories.some((directory) => file.startsWith(directory)),
  ).length;
}

function fullScale(shape: Shape): void {
  const request = { urls: shape.changed, budget: { urls: 10_000, directories: 100 }, siteFiles: shape.site };
  const start = performance.now();
  const counted = chooseCover({ ...request, floors: [HOST] });
  const elapsed = performance.now() - start;
  const deepest = deepestCover({ ...request, floors: [HOST] });
  console.log(`    ${shape.name}: ${fmt(shape.changed.length)} changed of ${fmt(shape.site.length)} files`);
  console.log(`      with changed-files (counts):  ${describe(counted, request)} (${elapsed.toFixed(0)} ms)`);
  console.log(`      deepest directories:          ${describe(deepest, request)}`);
}

function yardstick(shape: Shape, budget: { urls: number; directories: number }): void {
  const request = { urls: shape.changed, budget, siteFiles: shape.site, floors: [HOST] };
  const counted = chooseCover(request);
  const deepest = deepestCover(request);
  const least = leastCollateralByBruteForce(request);
  const counts = (cover: Cover | undefined): string =>
    cover
      ? `${fmt(cover.collateral ?? collateralOf(cover, request))} (${cover.urls.length}/${budget.urls} URLs, ${cover.directories.length}/${budget.directories} directories)`
      : '—';
  console.log(
    `    ${shape.name} (${shape.changed.length} of ${shape.site.length} files; ${budget.urls} URLs, ${budget.directories} directories): counts ${counts(counted)}, deepest ${counts(deepest)}, least possible ${least ?? '—'}`,
  );
}

export function coalesceBench(): void {
  console.log("(g) coalescing against Tencent's default quotas (10,000 URL and 100 directory purges a day):");
  fullScale(deepFolder({ branching: [10, 10, 10], files: 40, deep: [20], deepFiles: 1000 }));
  fullScale(spread({ branching: [10, 10, 10], files: 200, every: 7 }));
  fullScale(bigFolders({ branching: [10, 10, 10], files: 100, big: 3, every: 50 }));
  fullScale(sections({ sections: 100, changedSections: 30, folders: 10, files: 100 }));
  console.log('    small trees, unchanged files purged beside the least possible (brute force):');
  yardstick(deepFolder({ branching: [3, 3], files: 4, deep: [4], deepFiles: 6 }), {
    urls: 10,
    directories: 3,
  });
  yardstick(spread({ branching: [3, 3, 2], files: 6, every: 3 }), { urls: 12, directories: 3 });
  yardstick(bigFolders({ branching: [3, 3, 2], files: 6, big: 1, every: 7 }), { urls: 8, directories: 3 });
  yardstick(sections({ sections: 6, changedSections: 2, folders: 3, files: 4 }), {
    urls: 12,
    directories: 3,
  });
}
