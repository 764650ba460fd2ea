import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogSection, releaseNotes, versionOfTag } from '../../scripts/release-notes.js';

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.1.0] - 2027-01-10

### Added
- A thing.

## [1.0.0] - 2026-12-02

### Added
- Everything.

[Unreleased]: https://example.com/compare/v1.1.0...HEAD
[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
`;

describe('release notes', () => {
  it('takes only plain vMAJOR.MINOR.PATCH tags', () => {
    expect(versionOfTag('v1.2.3')).toBe('1.2.3');
    for (const tag of ['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v1', 'refs/tags/v1.2.3']) {
      expect(() => versionOfTag(tag)).toThrow(/not a release tag/);
    }
  });

  it("prints the version's section, up to the next section or the link list", () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n- A thing.');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n- Everything.');
    expect(() => changelogSection(CHANGELOG, '1.0.1')).toThrow('CHANGELOG.md has no section "## [1.0.1]"');
    expect(() => changelogSection(CHANGELOG, 'Unreleased')).toThrow('is empty');
  });

  it('refuses a tag that package.json does not declare', () => {
    expect(releaseNotes('v1.1.0', '{"version":"1.1.0"}', CHANGELOG)).toBe('### Added\n- A thing.');
    expect(() => releaseNotes('v1.1.0', '{"version":"1.0.0"}', CHANGELOG)).toThrow(
      'package.json says version 1.0.0, the tag v1.1.0',
    );
  });

  it("finds this repository's own version in its changelog", () => {
    const root = resolve(import.meta.dirname, '../..');
    const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(
      releaseNotes(
        `v${version}`,
        readFileSync(resolve(root, 'package.json'), 'utf8'),
        readFileSync(resolve(root, 'CHANGELOG.md'), 'utf8'),
      ),
    ).not.toBe('');
  });
});
