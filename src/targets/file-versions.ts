/** The files at a commit, hashed for verification: from git in a checkout, or from the GitHub API without one. */
import { FULL_SHA } from '../inputs/changed-files.js';
import { type FileVersions, sha256Of } from './expected-content.js';
import type { Git } from './git.js';
import type { GitHubApi } from './github-api.js';

/** `git cat-file` of the blob at `<commit>:<path>`: its size first, the bytes only when they are within the limit. */
export function gitVersions(git: Git): FileVersions {
  return {
    async hash(commit, path, maxBytes) {
      if (!FULL_SHA.test(commit)) throw new Error(`not a full commit SHA: ${commit}`);
      const object = `${commit}:${path}`;
      const size = Number(await git.text(['cat-file', '-s', object]));
      if (size > maxBytes) return { size };
      const bytes = await git.output(['cat-file', 'blob', object]);
      return { sha256: sha256Of(bytes), size: bytes.length };
    },
  };
}

interface ContentsAnswer {
  type?: unknown;
  size?: unknown;
  sha?: unknown;
  encoding?: unknown;
  content?: unknown;
}

/**
 * The contents API at the commit; a file over 1 MB comes without its content there, and is read as a git blob by
 * its SHA (docs/github-api.md#file-contents).
 */
export function apiVersions(api: GitHubApi, owner: string, repo: string): FileVersions {
  return {
    async hash(commit, path, maxBytes) {
      const { data } = await api.get('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path,
        ref: commit,
      });
      const file = data as ContentsAnswer;
      if (file.type !== 'file' || typeof file.size !== 'number' || typeof file.sha !== 'string') {
        throw new Error(`the GitHub API lists ${path} at ${commit.slice(0, 7)} as no file`);
      }
      if (file.size > maxBytes) return { size: file.size };
      let content = file.encoding === 'base64' && typeof file.content === 'string' ? file.content : '';
      if (content === '' && file.size > 0) {
        const blob = await api.get('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
          owner,
          repo,
          file_sha: file.sha,
        });
        content = String((blob.data as ContentsAnswer).content ?? '');
      }
      const bytes = Buffer.from(content, 'base64');
      return { sha256: sha256Of(bytes), size: bytes.length };
    },
  };
}
