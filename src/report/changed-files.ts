import * as core from '@actions/core';
import type { PlannedOperation } from '../plan/operations.js';
import type { SiteMapping } from '../settings.js';
import type { ChangedFiles } from '../targets/changed-files.js';
import type { MappedFile } from '../targets/url-map.js';
import { count, hasControlCharacter, quote } from '../text.js';
import { capTargetLines } from './limits.js';
import { logLines } from './log.js';
import { escapeHtml } from './summary.js';

/** One log group with the changed files (capped), their status and URLs; a notice when nothing is left to send. */
export function logChangedFiles(changed: ChangedFiles, operations: readonly PlannedOperation[]): void {
  const { files } = changed.mapping;
  const urls = changed.mapping.urls.length + changed.mapping.purgeOnlyUrls.length;
  core.startGroup(
    `Changed files (${changed.comparison?.description ?? 'nothing to compare'}): ${count(files.length, 'file')}, ${count(urls, 'URL')}`,
  );
  // With several sites the files stand indented under a heading per site; the headings are always shown.
  const lines = changed.mapping.sites.length > 1 ? linesBySite(changed) : files.map(describeFile);
  core.info(
    logLines(changed.mapping.sites.length > 1 ? capTargetLines(lines) : capTargetLines(lines, () => true)),
  );
  core.endGroup();
  if (operations.length === 0) {
    core.notice('changed-files: no changed file maps to a URL; nothing to purge or prefetch.');
  }
}

/** With several sites: a heading per site with its files under it, then the files outside every site. */
function linesBySite(changed: ChangedFiles): string[] {
  return groupBySite(changed).flatMap(({ title, files }) => [
    `${title}: ${count(files.length, 'file')}`,
    ...files.map((file) => `  ${describeFile(file)}`),
  ]);
}

/** The files of each site that has any, in the order the sites were given, then those outside every site. */
function groupBySite(changed: ChangedFiles): Array<{ title: string; files: MappedFile[] }> {
  const groups = new Map<SiteMapping | undefined, MappedFile[]>();
  for (const site of changed.mapping.sites) groups.set(site, []);
  groups.set(undefined, []);
  for (const file of changed.mapping.files) groups.get(file.site)?.push(file);
  return [...groups]
    .filter(([, files]) => files.length > 0)
    .map(([site, files]) => ({
      title: site ? `${site.rootDir || '(root)'} => ${site.baseUrl}` : 'outside every site',
      files,
    }));
}

/** `M  blog/a b.html -> https://…/blog/a%20b.html`, or `M  README.md: outside root-dir`. */
export function describeFile(file: MappedFile): string {
  const name = hasControlCharacter(file.path) ? quote(file.path) : file.path;
  if (file.skipped) return `${file.status}  ${name}: ${file.skipped}, skipped`;
  return `${file.status}  ${name} -> ${file.urls.join(' ')}${file.deleted ? ' (deleted: purge only)' : ''}`;
}

/** Counts for the job summary, as one HTML paragraph. */
export function changedFilesSummary(changed: ChangedFiles): string {
  const { files, urls, purgeOnlyUrls } = changed.mapping;
  const skipped = new Map<string, number>();
  for (const file of files) if (file.skipped) skipped.set(file.skipped, (skipped.get(file.skipped) ?? 0) + 1);
  const parts = [
    `${count(files.length, 'changed file')}`,
    `${count(urls.length, 'URL')} of added or modified files`,
    `${count(purgeOnlyUrls.length, 'URL')} of deleted files (purged only)`,
    ...[...skipped].map(([reason, n]) => `${n} skipped: ${reason}`),
  ];
  const compared = changed.comparison ? escapeHtml(changed.comparison.description) : 'nothing to compare';
  const paragraph = `<p>Changed files (<code>${compared}</code>): ${parts.join(', ')}.</p>`;
  if (changed.mapping.sites.length <= 1) return paragraph;
  const items = groupBySite(changed).map(({ title, files }) => {
    const urls = files.reduce((sum, file) => sum + file.urls.length, 0);
    return `<li><code>${escapeHtml(title)}</code>: ${count(files.length, 'changed file')}, ${count(urls, 'URL')}</li>`;
  });
  return `${paragraph}<ul>${items.join('')}</ul>`;
}
