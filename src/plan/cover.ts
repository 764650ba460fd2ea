/**
 * The cover selection of coalescing: which directories to purge instead of URLs so that a purge fits today's URL
 * and directory quotas, purging as few unchanged files as possible. Pure: URLs, quotas and the site's files in,
 * directories out.
 */
import { directoriesOf } from './directories.js';

/** What today's quotas leave for this job. */
export interface CoverBudget {
  /** URL purges. */
  urls: number;
  /** Directory purges. */
  directories: number;
  /**
   * The daily totals of the two quotas (`budget.urls` and `budget.directories` when not given): among covers with
   * equal collateral, the one that spends the least of the day.
   */
  daily?: { urls: number; directories: number } | undefined;
}

export interface CoverRequest {
  /** The URLs to purge, distinct. */
  urls: readonly string[];
  budget: CoverBudget;
  /**
   * The URLs of every file the site serves at the deploy commit: those under a directory that are not in `urls`
   * are what purging it costs (its collateral). Undefined when unknown: the deepest directories are chosen.
   */
  siteFiles?: readonly string[] | undefined;
  /**
   * Directories (ending in `/`) that are purged, like everything above them, only when nothing deeper fits:
   * base-url. The root of every host is one too.
   */
  floors?: readonly string[] | undefined;
}

export interface CoveringDirectory {
  url: string;
  /** The URLs of the request under it, now purged by it. */
  urls: number;
}

export interface Cover {
  directories: CoveringDirectory[];
  /** The URLs still purged one by one, in the order given. */
  urls: string[];
  /** Files under the directories that are not in the request; undefined without `siteFiles`. */
  collateral: number | undefined;
  /** A floor (base-url, a host's root) or a directory above it is purged: nothing deeper fits. */
  aboveFloor: boolean;
}

/**
 * The directories to purge instead of URLs: fewer than `budget.directories`, leaving at most `budget.urls` URLs,
 * none at or above a floor unless nothing else fits. With `siteFiles`, the choice with the fewest unchanged files
 * under its directories (never more than the deepest directories would purge); without, the deepest directories.
 * Undefined when nothing fits, the hosts' roots included.
 */
export function chooseCover(request: CoverRequest): Cover | undefined {
  const tree = buildTree(request);
  for (const aboveFloor of [false, true]) {
    const allowed = (node: DirectoryNode): boolean => aboveFloor || !node.high;
    const chosen = cheapest(tree, request, allowed);
    if (chosen) return coverOf(request, chosen, aboveFloor);
  }
  return undefined;
}

/**
 * The yardstick of the cover selection: the deepest level (counted from the floors) at which purging the
 * directories with the most URLs fits, as chooseCover does without `siteFiles`. Exported for tests and benchmarks.
 */
export function deepestCover(request: CoverRequest): Cover | undefined {
  const tree = buildTree(request);
  for (const aboveFloor of [false, true]) {
    const chosen = deepest(tree, request.budget, (node) => aboveFloor || !node.high);
    if (chosen) return coverOf(request, chosen, aboveFloor);
  }
  return undefined;
}

interface DirectoryNode {
  url: string;
  children: DirectoryNode[];
  /** URLs whose deepest directory this is. */
  direct: number;
  /** URLs under it. */
  total: number;
  /** Site files under it that are not in the request. */
  collateral: number;
  /** A floor or above one. */
  high: boolean;
  /** In a pruned copy of the tree, the node it copies. */
  original?: DirectoryNode;
}

interface DirectoryTree {
  roots: DirectoryNode[];
  /** URLs under no directory (`https://h`): always purged one by one. */
  unplaced: number;
}

/** The directories the URLs lie under, each with its URL count and collateral. */
function buildTree({ urls, siteFiles, floors }: CoverRequest): DirectoryTree {
  const high = new Set((floors ?? []).flatMap(directoriesOf));
  const nodes = new Map<string, DirectoryNode>();
  const roots: DirectoryNode[] = [];
  let unplaced = 0;
  for (const url of urls) {
    let parent: DirectoryNode | undefined;
    for (const directory of directoriesOf(url)) {
      let node = nodes.get(directory);
      if (!node) {
        node = { url: directory, children: [], direct: 0, total: 0, collateral: 0, high: !parent };
        if (high.has(directory)) node.high = true;
        nodes.set(directory, node);
        (parent ? parent.children : roots).push(node);
      }
      node.total += 1;
      parent = node;
    }
    if (parent) parent.direct += 1;
    else unplaced += 1;
  }
  if (siteFiles) {
    const requested = new Set(urls);
    for (const file of siteFiles) {
      if (requested.has(file)) continue;
      for (const directory of directoriesOf(file)) {
        const node = nodes.get(directory);
        // The tree holds every ancestor of its nodes: below a directory that is not in it, none is.
        if (!node) break;
        node.collateral += 1;
      }
    }
  }
  return { roots, unplaced };
}

/** URLs that must be covered by directories for the rest to fit the URL quota. */
function toCover(tree: DirectoryTree, budget: CoverBudget): number {
  const placed = tree.roots.reduce((sum, root) => sum + root.total, 0);
  return placed - (budget.urls - tree.unplaced);
}

/**
 * With collateral known: the fewest unchanged files purged, then the least of the day's quotas spent (quotaSpend),
 * then the fewest directories; a directory purge left unused then replaces a chosen directory by deeper ones where
 * that purges fewer unchanged files. Without collateral: the deepest directories.
 */
function cheapest(
  tree: DirectoryTree,
  request: CoverRequest,
  allowed: (node: DirectoryNode) => boolean,
): DirectoryNode[] | undefined {
  const { budget } = request;
  const fallback = deepest(tree, budget, allowed);
  if (!request.siteFiles || !fallback) return fallback;
  const candidates = [
    fallback,
    ...leastCollateral(tree, budget, allowed).map((found) => withoutSpareDirectories(tree, budget, found)),
  ];
  const key = (nodes: readonly DirectoryNode[]): number[] => [
    collateralOf(nodes),
    ...quotaSpend(tree, budget, nodes),
    nodes.length,
  ];
  const best = candidates.reduce((a, b) => (precedes(key(b), key(a)) ? b : a));
  return withSpareDirectories(tree, budget, best, allowed);
}

/** True when `a` comes before `b`, compared element by element. */
function precedes(a: readonly number[], b: readonly number[]): boolean {
  for (let index = 0; index < a.length; index++) {
    const [x, y] = [a[index] ?? 0, b[index] ?? 0];
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * What a cover spends of the day, to compare covers (smaller first): 1 when it empties a quota (the URL or the
 * directory quota left with nothing for a later purge that day), then the shares it spends of the two daily
 * quotas added up (a directory purge of 100 a day weighs as much as 100 URL purges of 10,000), then the larger of
 * the two shares once it is sent, what was spent earlier today included.
 */
function quotaSpend(tree: DirectoryTree, budget: CoverBudget, nodes: readonly DirectoryNode[]): number[] {
  const quotas = [
    { spent: uncoveredBy(tree, nodes), left: budget.urls, total: budget.daily?.urls ?? budget.urls },
    {
      spent: nodes.length,
      left: budget.directories,
      total: budget.daily?.directories ?? budget.directories,
    },
  ];
  const share = (spent: number, total: number): number =>
    total > 0 ? spent / total : spent > 0 ? Number.POSITIVE_INFINITY : 0;
  const empties = quotas.some(({ spent, left }) => spent > 0 && spent >= left) ? 1 : 0;
  const added = quotas.reduce((sum, { spent, total }) => sum + share(spent, total), 0);
  const largest = Math.max(...quotas.map(({ spent, left, total }) => share(total - left + spent, total)));
  return [empties, added, largest];
}

/** The URLs a choice of (disjoint) directories leaves to purge one by one. */
function uncoveredBy(tree: DirectoryTree, nodes: readonly DirectoryNode[]): number {
  const placed = tree.roots.reduce((sum, root) => sum + root.total, 0);
  return tree.unplaced + placed - nodes.reduce((sum, node) => sum + node.total, 0);
}

/**
 * The knapsack weighs each directory count against one price of a URL, so it can miss a choice that needs more
 * directories than the price's choice: with directory purges left unused, each chosen directory (the costliest
 * first) is replaced by the cheapest choice under it that the spare directories and URLs allow, where that
 * purges fewer unchanged files.
 */
function withSpareDirectories(
  tree: DirectoryTree,
  budget: CoverBudget,
  chosen: readonly DirectoryNode[],
  allowed: (node: DirectoryNode) => boolean,
): DirectoryNode[] {
  let result = [...chosen];
  const byCost = [...chosen]
    .filter((node) => node.collateral > 0)
    .sort((a, b) => b.collateral - a.collateral);
  for (const node of byCost) {
    const spareDirectories = Math.floor(budget.directories) - result.length;
    const spareUrls = budget.urls - uncoveredBy(tree, result);
    if (spareUrls < node.direct) continue;
    const below: DirectoryTree = { roots: node.children, unplaced: node.direct };
    const options = leastCollateral(below, { urls: spareUrls, directories: spareDirectories + 1 }, allowed);
    const cheaper = options
      .map((option) => ({ option, collateral: collateralOf(option) }))
      .filter(({ collateral }) => collateral < node.collateral)
      .sort((a, b) => a.collateral - b.collateral || a.option.length - b.option.length)[0];
    if (cheaper) result = [...result.filter((other) => other !== node), ...cheaper.option];
  }
  return result;
}

/**
 * The knapsack's price can land where two choices cost the same and pick the one that covers more than needed:
 * directories whose URLs still fit the URL quota go back to being purged one by one, the costliest first.
 */
function withoutSpareDirectories(
  tree: DirectoryTree,
  budget: CoverBudget,
  chosen: readonly DirectoryNode[],
): DirectoryNode[] {
  let spare = -toCover(tree, budget) + chosen.reduce((sum, node) => sum + node.total, 0);
  const costliest = [...chosen].sort((a, b) => b.collateral - a.collateral || a.total - b.total);
  const dropped = new Set<DirectoryNode>();
  for (const node of costliest) {
    if (node.collateral === 0 || node.total > spare) continue;
    dropped.add(node);
    spare -= node.total;
  }
  return chosen.filter((node) => !dropped.has(node));
}

function collateralOf(nodes: readonly DirectoryNode[]): number {
  return nodes.reduce((sum, node) => sum + node.collateral, 0);
}

/**
 * Level by level from the deepest (a level counts from the nearest directory that may not be purged): at the first
 * level where the directories with the most URLs cover enough within the directory quota, those directories.
 */
function deepest(
  tree: DirectoryTree,
  budget: CoverBudget,
  allowed: (node: DirectoryNode) => boolean,
): DirectoryNode[] | undefined {
  const needed = toCover(tree, budget);
  if (needed <= 0) return [];
  if (budget.directories < 1) return undefined;
  const levels: DirectoryNode[][] = [];
  const visit = (node: DirectoryNode, above: number): void => {
    const level = allowed(node) ? above + 1 : 0;
    if (level > 0) {
      const atLevel = levels[level] ?? [];
      atLevel.push(node);
      levels[level] = atLevel;
    }
    for (const child of node.children) visit(child, level);
  };
  for (const root of tree.roots) visit(root, 0);
  for (let level = levels.length - 1; level >= 1; level--) {
    const candidates = [...(levels[level] ?? [])].sort((a, b) => b.total - a.total);
    const chosen: DirectoryNode[] = [];
    let covered = 0;
    for (const node of candidates) {
      if (covered >= needed || chosen.length >= budget.directories) break;
      chosen.push(node);
      covered += node.total;
    }
    if (covered >= needed) return withMoreOfLevel(tree, budget, chosen, candidates);
  }
  return undefined;
}

/**
 * Without the site files, what else a directory holds is not known, so no more directories than needed, unless
 * that would empty a quota: then more of the same level, the next with the most URLs first, until it does not
 * (20 directories and the day's whole 10,000 URL purges become 21 directories and 9,000 URLs).
 */
function withMoreOfLevel(
  tree: DirectoryTree,
  budget: CoverBudget,
  chosen: DirectoryNode[],
  candidates: readonly DirectoryNode[],
): DirectoryNode[] {
  const more = [...chosen];
  for (const node of candidates.slice(chosen.length)) {
    if (quotaSpend(tree, budget, more)[0] === 0) return more;
    if (more.length >= budget.directories) break;
    more.push(node);
  }
  return quotaSpend(tree, budget, more)[0] === 0 ? more : chosen;
}

/** For each directory count up to the quota: the best cost, and the URLs that choice leaves. */
interface Table {
  cost: Float64Array;
  uncovered: Float64Array;
}

/** How a node's table was made, to read the choice back. */
interface Decisions {
  /** Below this directory count, purging the node itself is best. */
  chooseBelow: number;
  /** For each child in turn, the directory count it got, by the count of the merge so far. */
  splits: Int32Array[];
}

/** Rounds of bisection of the price of a URL, from MIN_PRICE to the total collateral: 1 part in 100,000 apart. */
const PRICE_ROUNDS = 22;
const MIN_PRICE = 1e-6;
/**
 * The knapsack weighs the directories with the most URLs, at most this many: its work grows with their number
 * times the directory quota. The rest count as URLs of their parent (the deepest-directory choice still sees them).
 */
const MAX_WEIGHED_DIRECTORIES = 2000;

/**
 * The tree under one top node, keeping the MAX_WEIGHED_DIRECTORIES directories with the most URLs: a parent has at
 * least as many as its children, so what is kept hangs together. The top node's collateral is the total of all.
 */
function prunedTree(tree: DirectoryTree): DirectoryNode {
  const all: DirectoryNode[] = [];
  const collect = (node: DirectoryNode): void => {
    all.push(node);
    for (const child of node.children) collect(child);
  };
  for (const root of tree.roots) collect(root);
  const totals = all.map((node) => node.total).sort((a, b) => b - a);
  const threshold = all.length > MAX_WEIGHED_DIRECTORIES ? (totals[MAX_WEIGHED_DIRECTORIES - 1] ?? 0) + 1 : 0;
  const copy = (node: DirectoryNode): DirectoryNode => {
    const kept = node.children.filter((child) => child.total >= threshold);
    const folded = node.children.reduce(
      (sum, child) => sum + (child.total >= threshold ? 0 : child.total),
      0,
    );
    return { ...node, children: kept.map(copy), direct: node.direct + folded, original: node };
  };
  const roots = tree.roots.filter((root) => root.total >= threshold).map(copy);
  const folded = tree.roots.reduce((sum, root) => sum + (root.total >= threshold ? 0 : root.total), 0);
  const collateral = all.reduce((sum, node) => sum + node.collateral, 0);
  return { url: '', children: roots, direct: folded, total: 0, collateral, high: true };
}

/**
 * The fewest unchanged files purged, under both quotas: a knapsack over the directory tree for each price of a URL
 * left to purge one by one (the cost of a choice is its collateral plus that price per URL left), the price found
 * by bisection as the lowest whose choice fits the URL quota. At that price, the choice for every directory count
 * that fits the URL quota: fewer directories may purge as few unchanged files and leave more of the day's
 * directory quota. None when nothing fits.
 */
function leastCollateral(
  tree: DirectoryTree,
  budget: CoverBudget,
  allowed: (node: DirectoryNode) => boolean,
): DirectoryNode[][] {
  const limit = budget.urls - tree.unplaced;
  const maxDirectories = Math.max(0, Math.floor(budget.directories));
  const top = prunedTree(tree);

  const solve = (price: number, decisions: Map<DirectoryNode, Decisions> | undefined): Table => {
    const table = (node: DirectoryNode): Table => {
      let cost = Float64Array.of(price * node.direct);
      let uncovered = Float64Array.of(node.direct);
      const splits: Int32Array[] = [];
      for (const child of node.children) {
        const other = table(child);
        const mine = cost.length - 1;
        const theirs = other.cost.length - 1;
        const size = Math.min(maxDirectories, mine + theirs) + 1;
        const nextCost = new Float64Array(size);
        const nextUncovered = new Float64Array(size);
        const split = new Int32Array(size);
        for (let k = 0; k < size; k++) {
          let best = -1;
          let bestCost = Number.POSITIVE_INFINITY;
          let bestUncovered = Number.POSITIVE_INFINITY;
          const to = Math.min(k, theirs);
          for (let j = Math.max(0, k - mine); j <= to; j++) {
            const c = (cost[k - j] as number) + (other.cost[j] as number);
            const u = (uncovered[k - j] as number) + (other.uncovered[j] as number);
            // Lower cost first; on a tie, fewer URLs left.
            if (c < bestCost || (c === bestCost && u < bestUncovered)) {
              best = j;
              bestCost = c;
              bestUncovered = u;
            }
          }
          split[k] = best;
          nextCost[k] = bestCost;
          nextUncovered[k] = bestUncovered;
        }
        if (decisions) splits.push(split);
        cost = nextCost;
        uncovered = nextUncovered;
      }
      let chooseBelow = 0;
      if (node !== top && allowed(node.original ?? node) && maxDirectories >= 1) {
        if (cost.length < 2) {
          cost = Float64Array.of(cost[0] as number, cost[0] as number);
          uncovered = Float64Array.of(uncovered[0] as number, uncovered[0] as number);
        }
        // The merged costs fall as the count grows, the node's own stays: it is best for the counts below some k.
        // On a tie the node wins: one directory purge instead of several.
        chooseBelow = 1;
        for (let k = 1; k < cost.length; k++) {
          const c = cost[k] as number;
          if (c < node.collateral || (c === node.collateral && (uncovered[k] as number) < 0)) break;
          cost[k] = node.collateral;
          uncovered[k] = 0;
          chooseBelow = k + 1;
        }
      }
      decisions?.set(node, { chooseBelow, splits });
      return { cost, uncovered };
    };
    return table(top);
  };

  const left = (table: Table): number => table.uncovered[table.uncovered.length - 1] ?? 0;
  // At this price one URL more costs more than all the collateral there is: the choice leaves the fewest URLs.
  let high = top.collateral + 1;
  if (left(solve(high, undefined)) > limit) return [];
  // Prices that matter are ratios of files to URLs: bisected on a log scale, down to one file per million URLs.
  let low = MIN_PRICE;
  if (left(solve(low, undefined)) <= limit) high = low;
  for (let round = 0; round < PRICE_ROUNDS && high > low; round++) {
    const middle = Math.sqrt(low * high);
    if (left(solve(middle, undefined)) <= limit) high = middle;
    else low = middle;
  }
  const decisions = new Map<DirectoryNode, Decisions>();
  const final = solve(high, decisions);
  const pick = (node: DirectoryNode, count: number, chosen: DirectoryNode[]): void => {
    const decision = decisions.get(node);
    if (count <= 0 || !decision) return;
    if (count < decision.chooseBelow) {
      chosen.push(node.original ?? node);
      return;
    }
    let budgetHere = count;
    for (let index = node.children.length - 1; index >= 0; index--) {
      const split = decision.splits[index];
      const child = node.children[index];
      if (!split || !child) continue;
      budgetHere = Math.min(budgetHere, split.length - 1);
      const given = split[budgetHere] ?? 0;
      pick(child, given, chosen);
      budgetHere -= given;
    }
  };
  const choices: DirectoryNode[][] = [];
  for (let count = 0; count < final.cost.length; count++) {
    if ((final.uncovered[count] ?? Number.POSITIVE_INFINITY) > limit) continue;
    const chosen: DirectoryNode[] = [];
    pick(top, count, chosen);
    choices.push(chosen);
  }
  return choices;
}

function coverOf(request: CoverRequest, chosen: readonly DirectoryNode[], aboveFloor: boolean): Cover {
  const purged = new Set(chosen.map((node) => node.url));
  const urls = request.urls.filter((url) => !directoriesOf(url).some((directory) => purged.has(directory)));
  return {
    directories: chosen
      .map((node) => ({ url: node.url, urls: node.total }))
      .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)),
    urls,
    collateral: request.siteFiles ? collateralOf(chosen) : undefined,
    aboveFloor,
  };
}
