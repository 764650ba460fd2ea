/**
 * A fake of the GitHub REST API on 127.0.0.1 (plain HTTP, selected through GITHUB_API_URL), for the changed-files
 * endpoints: compare two commits, get a commit and list pull request files, with the documented response shapes,
 * limits (300 files in a comparison, 3,000 in a commit or a pull request) and `Link` pagination, token checks
 * (401 Bad credentials, 403 Resource not accessible by integration, 404 Not Found) and rate limits.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, createEmulatorServer, header, listenOnLoopback } from '../shared/http.js';

/** One entry of a `files` list, as the three endpoints give it. */
export interface GitHubFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
}

export interface Comparison {
  /** How head relates to base: `ahead` (base is its ancestor), `behind`, `diverged`, `identical`. */
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  /** The changes from the merge base to head. */
  files: GitHubFile[];
}

export interface GitHubApiFakeOptions {
  /** `owner/repo`; other repositories are 404. */
  repository?: string;
  /** The token that reads everything. */
  token?: string;
  /** A token that authenticates but reads nothing: 403 "Resource not accessible by integration". */
  powerlessToken?: string;
  /** Served under this path, as GitHub Enterprise Server serves its API under /api/v3. */
  prefix?: string;
  /** By `base...head`. */
  comparisons?: Record<string, Comparison>;
  /** By SHA: the first parent (none for a root commit) and the changes from it. */
  commits?: Record<string, { parent: string | undefined; files: GitHubFile[] }>;
  /** By pull request number. */
  pulls?: Record<number, GitHubFile[]>;
  /**
   * The first `requests` requests fail: 403 with an exhausted primary rate limit that resets in `seconds`, 429 with
   * retry-after `seconds`, or 502.
   */
  failFirst?: {
    requests: number;
    answer: '403-reset' | '429-retry-after' | '502';
    seconds: number;
    /** The error's message, instead of GitHub's own. */
    message?: string;
  };
  /** Every request is answered 301 to this origin (same path), as a moved API would; `self`: to its own. */
  redirectTo?: string;
  /** The files of each commit (by SHA), by path: the contents endpoint and the blobs endpoint serve them. */
  contents?: Record<string, Record<string, string>>;
}

export interface GitHubApiRequest {
  /** The path after the prefix, with the query. */
  path: string;
  authorization: string | undefined;
  answered: number;
}

export interface GitHubApiFake {
  /** For GITHUB_API_URL. */
  url: string;
  requests: GitHubApiRequest[];
  close(): Promise<void>;
}

export const FAKE_TOKEN = 'ghs_fakeJobToken0123456789';
export const FAKE_REPOSITORY = 'octo-org/site';

const COMPARE_LIMIT = 300;
const FILES_LIMIT = 3000;
const COMMIT_PAGE = 300;

export async function startGitHubApiFake(options: GitHubApiFakeOptions = {}): Promise<GitHubApiFake> {
  const repository = options.repository ?? FAKE_REPOSITORY;
  const token = options.token ?? FAKE_TOKEN;
  const prefix = options.prefix ?? '';
  const requests: GitHubApiRequest[] = [];
  let origin = '';

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    requests.push({
      path: (req.url ?? '').slice(prefix.length),
      authorization: header(req, 'authorization'),
      answered: status,
    });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (message: string, status: number) => ({
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
  });

  const server = createEmulatorServer('github-api fake', async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const limited = options.failFirst;
    if (options.redirectTo) {
      const to = options.redirectTo === 'self' ? origin : options.redirectTo;
      answer(req, res, 301, error('Moved Permanently', 301), { location: `${to}${req.url}` });
      return;
    }
    if (limited && requests.length < limited.requests) {
      if (limited.answer === '502') {
        answer(req, res, 502, error(limited.message ?? 'Server Error', 502));
      } else if (limited.answer === '429-retry-after') {
        answer(req, res, 429, error(limited.message ?? 'You have exceeded a secondary rate limit.', 429), {
          'retry-after': String(limited.seconds),
        });
      } else {
        answer(
          req,
          res,
          403,
          error(limited.message ?? 'API rate limit exceeded for installation ID 1.', 403),
          {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + limited.seconds),
          },
        );
      }
      return;
    }
    const credential = /^(?:token|bearer) (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (credential !== token && credential !== options.powerlessToken) {
      answer(req, res, 401, error('Bad credentials', 401));
      return;
    }
    const match = /^\/repos\/([^/]+\/[^/]+)\/(.+)$/.exec(path);
    if (req.method !== 'GET' || !match || decodeURIComponent(match[1] ?? '') !== repository) {
      answer(req, res, 404, error('Not Found', 404));
      return;
    }
    if (credential === options.powerlessToken) {
      answer(req, res, 403, error('Resource not accessible by integration', 403));
      return;
    }
    const rest = match[2] ?? '';
    const page = Number(url.searchParams.get('page') ?? '1');
    const self = `${origin}${prefix}/repos/${repository}/${rest}`;

    const compared = /^compare\/(.+)$/.exec(rest);
    if (compared) {
      const comparison = options.comparisons?.[decodeURIComponent(compared[1] ?? '')];
      if (!comparison) return answer(req, res, 404, error('Not Found', 404));
      // Only the first page lists files (docs/github-api.md#limits): the later ones page the commits.
      return answer(req, res, 200, {
        status: comparison.status,
        ahead_by: 1,
        behind_by: comparison.status === 'diverged' ? 1 : 0,
        total_commits: 1,
        commits: [],
        files: page === 1 ? comparison.files.slice(0, COMPARE_LIMIT).map(fileShape) : undefined,
      });
    }
    const commit = /^commits\/([0-9a-f]{40})$/.exec(rest);
    if (commit) {
      const sha = commit[1] ?? '';
      const found = options.commits?.[sha];
      if (!found) return answer(req, res, 422, error(`No commit found for SHA: ${sha}`, 422));
      const files = found.files.slice(0, FILES_LIMIT);
      return answer(
        req,
        res,
        200,
        {
          sha,
          parents: found.parent === undefined ? [] : [{ sha: found.parent }],
          files: files.slice((page - 1) * COMMIT_PAGE, page * COMMIT_PAGE).map(fileShape),
        },
        links(self, url.searchParams, page, Math.ceil(files.length / COMMIT_PAGE)),
      );
    }
    const pull = /^pulls\/(\d+)\/files$/.exec(rest);
    if (pull) {
      const files = options.pulls?.[Number(pull[1])];
      if (!files) return answer(req, res, 404, error('Not Found', 404));
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? '30'));
      const listed = files.slice(0, FILES_LIMIT);
      return answer(
        req,
        res,
        200,
        listed.slice((page - 1) * perPage, page * perPage).map(fileShape),
        links(self, url.searchParams, page, Math.ceil(listed.length / perPage)),
      );
    }
    const contents = /^contents\/(.+)$/.exec(rest);
    if (contents) {
      const body =
        options.contents?.[url.searchParams.get('ref') ?? '']?.[decodeURIComponent(contents[1] ?? '')];
      if (body === undefined) return answer(req, res, 404, error('Not Found', 404));
      return answer(req, res, 200, contentsShape(decodeURIComponent(contents[1] ?? ''), body));
    }
    const blob = /^git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    if (blob) {
      const bodies = Object.values(options.contents ?? {}).flatMap((files) => Object.values(files));
      const body = bodies.find((one) => blobSha(one) === blob[1]);
      if (body === undefined) return answer(req, res, 404, error('Not Found', 404));
      const content = Buffer.from(body).toString('base64');
      return answer(req, res, 200, {
        sha: blob[1],
        size: Buffer.byteLength(body),
        encoding: 'base64',
        content,
      });
    }
    answer(req, res, 404, error('Not Found', 404));
  });
  origin = await listenOnLoopback(server);
  return { url: `${origin}${prefix}`, requests, close: () => closeServer(server) };
}

/** The `Link` header GitHub sends with a page that is not the only one. */
function links(self: string, query: URLSearchParams, page: number, pages: number): Record<string, string> {
  if (pages <= 1) return {};
  const to = (n: number): string => {
    const parameters = new URLSearchParams(query);
    parameters.set('page', String(n));
    return `<${self}?${parameters}>`;
  };
  const relations = [
    ...(page > 1 ? [`${to(page - 1)}; rel="prev"`, `${to(1)}; rel="first"`] : []),
    ...(page < pages ? [`${to(page + 1)}; rel="next"`, `${to(pages)}; rel="last"`] : []),
  ];
  return { link: relations.join(', ') };
}

/** Files over 1 MB come from the contents endpoint without their content (`encoding: none`). */
const CONTENTS_LIMIT = 1024 * 1024;

/** A file as the contents endpoint gives it: base64 in lines of 60 characters, as GitHub sends it. */
function contentsShape(path: string, body: string): Record<string, unknown> {
  const size = Buffer.byteLength(body);
  const whole = size <= CONTENTS_LIMIT;
  return {
    type: 'file',
    name: path.split('/').pop(),
    path,
    size,
    sha: blobSha(body),
    encoding: whole ? 'base64' : 'none',
    content: whole
      ? (
          Buffer.from(body)
            .toString('base64')
            .match(/.{1,60}/g) ?? []
        ).join('\n')
      : '',
  };
}

/** The git blob SHA-1 of a file. */
function blobSha(body: string): string {
  return createHash('sha1')
    .update(`blob ${Buffer.byteLength(body)}\0`)
    .update(body)
    .digest('hex');
}

/** The fields GitHub gives every file entry, around the ones the action reads. */
function fileShape(file: GitHubFile): Record<string, unknown> {
  return {
    sha: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391',
    filename: file.filename,
    status: file.status,
    additions: 1,
    deletions: 0,
    changes: 1,
    blob_url: `https://github.com/blob/${encodeURIComponent(file.filename)}`,
    raw_url: `https://github.com/raw/${encodeURIComponent(file.filename)}`,
    contents_url: `https://api.github.com/contents/${encodeURIComponent(file.filename)}`,
    patch: '@@ -0,0 +1 @@',
    ...(file.previous_filename === undefined ? {} : { previous_filename: file.previous_filename }),
  };
}
