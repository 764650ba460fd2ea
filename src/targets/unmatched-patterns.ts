import picomatch from 'picomatch';
import type { ChangedFilesSettings } from '../settings.js';
import type { MappedFile } from './url-map.js';

/**
 * A warning for each `include` or `exclude` pattern that matched none of the changed files under a root-dir: a
 * pattern written from the top of the repository (`site/**\/*.map` with `root-dir: site`) never matches, since
 * patterns are matched against the path relative to root-dir.
 */
export function unmatchedPatternWarnings(
  settings: Pick<ChangedFilesSettings, 'include' | 'exclude'>,
  files: readonly MappedFile[],
): string[] {
  const relative = files.flatMap(({ path, site }) =>
    site === undefined ? [] : [site.rootDir === '' ? path : path.slice(site.rootDir.length + 1)],
  );
  if (relative.length === 0) return [];
  const rootDirs = [
    ...new Set(files.flatMap(({ site }) => (site && site.rootDir !== '' ? [site.rootDir] : []))),
  ];
  const warnings: string[] = [];
  for (const input of ['include', 'exclude'] as const) {
    for (const pattern of settings[input]) {
      const matches = picomatch(pattern, { dot: true, windows: false });
      if (relative.some((path) => matches(path))) continue;
      const rootDir = rootDirs.find((dir) => pattern.startsWith(`${dir}/`));
      const hint = rootDir
        ? ` Patterns are matched against the path relative to root-dir: write ${pattern.slice(rootDir.length + 1)} instead.`
        : '';
      warnings.push(
        `changed-files: the ${input} pattern ${pattern} matched none of the ${relative.length} changed files under root-dir.${hint}`,
      );
    }
  }
  return warnings;
}
