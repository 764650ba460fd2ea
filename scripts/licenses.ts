/**
 * Writes dist/licenses.txt: the licence of every package bundled into dist/, the lazily loaded chunks included.
 * ncc's own `--license` keeps only the last chunk's packages when a build has several, so the list is made here
 * from the module paths ncc leaves in each bundle file.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const LICENCE_FILES = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The packages a bundle file holds: `node_modules/<name>` and `node_modules/@<scope>/<name>` in its module paths. */
export function bundledPackages(bundle: string): string[] {
  const names = new Set<string>();
  for (const match of bundle.matchAll(/node_modules\/((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+)/g))
    if (match[1]) names.add(match[1]);
  return [...names];
}

function licenceEntry(name: string): string {
  const folder = join(ROOT, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { license?: unknown };
  const file = readdirSync(folder).find((entry) => LICENCE_FILES.test(entry));
  const text = file ? readFileSync(join(folder, file), 'utf8').trim() : '';
  return [name, typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN', text].join('\n');
}

const bundles = readdirSync(DIST).filter((entry) => entry.endsWith('.js'));
const packages = new Set(
  bundles.flatMap((entry) => bundledPackages(readFileSync(join(DIST, entry), 'utf8'))),
);
const names = [...packages]
  .filter((name) => existsSync(join(ROOT, 'node_modules', name, 'package.json')))
  .sort();
writeFileSync(join(DIST, 'licenses.txt'), `${names.map(licenceEntry).join('\n\n')}\n`);
console.log(`dist/licenses.txt: ${names.length} packages`);
