import { InputError } from '../errors.js';

/**
 * Inputs of the peer actions people move from, by their normalized name (see `normalized`), and what this action
 * takes instead. The README's "Coming from another action" table lists the same names with their actions.
 */
const PEER_INPUTS: Readonly<Record<string, string>> = {
  accesskeyid: 'secret-id',
  accesskeysecret: 'secret-key',
  action: 'mode (purge, prefetch, purge-prefetch)',
  cdnactions: 'mode (purge, prefetch, purge-prefetch)',
  cdnpaths: 'urls (file URLs) or paths (directory URLs ending in /)',
  eopaths: 'urls (file URLs) or paths (directory URLs ending in /)',
  eozoneid: 'zone-id',
  eozone: 'zone-id',
  cdntype: 'provider',
  cdnprefix: 'base-url (with changed-files: true)',
  cdnbaseurl: 'base-url (with changed-files: true)',
  cdndomain: 'base-url (with changed-files: true)',
  cdnwaitflush: 'wait',
  cdnendpoint: 'endpoint',
  source: 'root-dir (with changed-files: true)',
  inputdir: 'root-dir (with changed-files: true)',
  localpath: 'root-dir (with changed-files: true)',
  roleoidcarn: 'role-arn',
  oidcproviderarn: 'oidc-provider',
  rolesessionexpiration: 'role-duration-seconds',
  region: 'area (mainland, overseas, global) or site (china, intl)',
};

/**
 * Refuses every `INPUT_*` variable that names no declared input: a misspelled input (`dry_run`) would otherwise be
 * ignored, and the step would do what the user did not mean. A runner sets `INPUT_<NAME>` for each declared input
 * and each `with:` key, upper-cased, spaces as underscores, hyphens kept.
 */
export function refuseUndeclaredInputs(
  env: Record<string, string | undefined>,
  declared: readonly string[],
): void {
  const known = new Set(declared.map(inputVariable));
  const undeclared = Object.keys(env)
    .filter((name) => name.startsWith('INPUT_') && !known.has(name) && env[name] !== undefined)
    .map((name) => name.slice('INPUT_'.length).toLowerCase());
  const [first, ...others] = undeclared;
  if (first === undefined) return;
  const also = others.length > 0 ? ` (also not declared: ${others.join(', ')})` : '';
  throw new InputError(
    first,
    '',
    `this action has no input ${first}, so it would be ignored: ${suggestion(first, declared)}${also}. Nothing was sent.`,
    true,
  );
}

/** The variable a runner sets for an input. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** What to write instead of `name`: the declared input it spells differently, a peer action's equivalent, or the closest. */
export function suggestion(name: string, declared: readonly string[]): string {
  const key = normalized(name);
  const same = declared.find((input) => normalized(input) === key);
  if (same) return `did you mean ${same}? Inputs are spelled with hyphens`;
  const peer = PEER_INPUTS[key];
  if (peer && declared.includes(peer.split(' ')[0] ?? '')) return `the equivalent input here is ${peer}`;
  let best: { input: string; distance: number } | undefined;
  for (const input of declared) {
    const distance = editDistance(key, normalized(input));
    if (!best || distance < best.distance) best = { input, distance };
  }
  if (best && best.distance <= Math.max(1, Math.floor(key.length / 3))) return `did you mean ${best.input}?`;
  return 'remove it, or see the inputs table in the README';
}

/** Lower case, without the hyphens, underscores and spaces that spellings of one name differ by. */
function normalized(name: string): string {
  return name.toLowerCase().replace(/[-_ ]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
