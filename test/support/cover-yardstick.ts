/**
 * The yardstick of the cover selection, written apart from it: every set of directories within the quotas, tried
 * one by one, on a small tree. For tests and benchmarks.
 */
import type { CoverRequest } from '../../src/plan/cover.js';

export interface Evaluation {
  /** URLs left to purge one by one. */
  urls: number;
  /** Site files under a directory that are not in the request. */
  collateral: number;
}

/** What purging `directories` instead of the URLs under them does to the request. */
export function evaluate(request: CoverRequest, directories: readonly string[]): Evaluation {
  const under = (url: string): boolean => directories.some((directory) => url.startsWith(directory));
  const requested = new Set(request.urls);
  return {
    urls: request.urls.filter((url) => !under(url)).length,
    collateral: (request.siteFiles ?? []).filter((file) => !requested.has(file) && under(file)).length,
  };
}

/** Every directory a URL lies under, the hosts' roots and the floors (and what is above them) left out. */
export function candidateDirectories(request: CoverRequest): string[] {
  const candidates = new Set<string>();
  for (const url of request.urls) {
    const path = url.replace(/[?#].*$/s, '');
    const root = path.indexOf('/', path.indexOf('://') + 3);
    for (let slash = path.indexOf('/', root + 1); slash >= 0; slash = path.indexOf('/', slash + 1))
      candidates.add(path.slice(0, slash + 1));
  }
  const floors = request.floors ?? [];
  return [...candidates].filter((directory) => !floors.some((floor) => floor.startsWith(directory)));
}

/** The least collateral of any choice below the floors within both quotas; undefined when none fits. */
export function leastCollateralByBruteForce(request: CoverRequest): number | undefined {
  const candidates = candidateDirectories(request);
  let best: number | undefined;
  const visit = (start: number, chosen: string[]): void => {
    const result = evaluate(request, chosen);
    if (result.urls <= request.budget.urls && (best === undefined || result.collateral < best))
      best = result.collateral;
    if (chosen.length >= request.budget.directories) return;
    for (let index = start; index < candidates.length; index++) {
      const candidate = candidates[index];
      if (candidate !== undefined) visit(index + 1, [...chosen, candidate]);
    }
  };
  visit(0, []);
  return best;
}
