import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execGit, Git } from '../../src/targets/git.js';
import { servedUrls } from '../../src/targets/url-map.js';
import { GitFixture } from '../support/git-fixture.js';

let repo: GitFixture;
beforeEach(() => {
  repo = new GitFixture();
});
afterEach(() => {
  repo.cleanup();
});

const gitIn = (cwd: string): Git => new Git(execGit(cwd, { ...process.env, ...repo.env }), cwd, () => {});

describe('the tree of a commit', () => {
  it('lists the files under a folder, any name, symlinks left out, and maps them to URLs', async () => {
    const sha = repo.commit({
      'README.md': 'readme',
      'site/a b.html': 'a',
      'site/line\nbreak.txt': 'b',
      'site/deep/x.js': 'x',
      'site/link': { symlink: 'a b.html' },
      'site2/other.html': 'o',
      ':(glob)site/*': 'not a pattern',
    });
    const git = gitIn(repo.author);
    const files = await git.files(sha, 'site');
    expect(files.sort()).toEqual(['site/a b.html', 'site/deep/x.js', 'site/line\nbreak.txt']);
    expect(servedUrls(files.sort(), [{ baseUrl: 'https://h/', rootDir: 'site' }])).toEqual([
      'https://h/a%20b.html',
      'https://h/deep/x.js',
      'https://h/line%0Abreak.txt',
    ]);
    // A folder name is a literal path, never a pathspec pattern: this is the folder named ":(glob)site".
    expect(await git.files(sha, ':(glob)site')).toEqual([':(glob)site/*']);
  });

  it('tells whether a folder exists, and lists the folders at the top', async () => {
    const sha = repo.commit({ 'site/index.html': 'i', 'docs/a.md': 'a', 'file.txt': 'f' });
    const git = gitIn(repo.author);
    expect(await git.folders(sha)).toEqual(['docs', 'site']);
    expect(await git.folders(sha, 'site')).toEqual(['site']);
    expect(await git.folders(sha, 'stie')).toEqual([]);
    expect(await git.folders(sha, 'file.txt')).toEqual([]);
  });
});
