/**
 * `node scripts/release-notes.ts vX.Y.Z` (Node 24 runs TypeScript as it is): prints the CHANGELOG.md section of
 * that version, for the GitHub release. Fails, saying why, when the tag is not a plain vX.Y.Z, when package.json
 * has another version, or when the changelog has no section for it. The release workflow runs it.
 */
import { readFileSync } from 'node:fs';

const TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

/** The version of a release tag (`v1.2.3` → `1.2.3`); throws for anything else. */
export function versionOfTag(tag: string): string {
  const match = TAG.exec(tag);
  if (!match)
    throw new Error(`the tag ${JSON.stringify(tag)} is not a release tag: expected vMAJOR.MINOR.PATCH`);
  return tag.slice(1);
}

/** The body of the `## [version]` section of a Keep a Changelog file, without its heading. */
export function changelogSection(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) throw new Error(`CHANGELOG.md has no section "## [${version}]": add it before tagging`);
  const end = lines.findIndex((line, index) => index > start && /^## |^\[[^\]]+\]: /.test(line));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
  if (body === '') throw new Error(`the CHANGELOG.md section of ${version} is empty`);
  return body;
}

/** The release notes of `tag`, checked against package.json and the changelog. */
export function releaseNotes(tag: string, packageJson: string, changelog: string): string {
  const version = versionOfTag(tag);
  const declared = (JSON.parse(packageJson) as { version?: unknown }).version;
  if (declared !== version) {
    throw new Error(`package.json says version ${String(declared)}, the tag ${tag}: bump package.json first`);
  }
  return changelogSection(changelog, version);
}

if (process.argv[1] === import.meta.filename) {
  try {
    const notes = releaseNotes(
      process.argv[2] ?? '',
      readFileSync('package.json', 'utf8'),
      readFileSync('CHANGELOG.md', 'utf8'),
    );
    process.stdout.write(`${notes}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
