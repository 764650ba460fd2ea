import type { Log } from '../settings.js';
import { flatten } from '../text.js';

/** What a GET returned: the parsed body and the headers, names in lower case. */
export interface ApiResponse {
  data: unknown;
  headers: Record<string, string | number | undefined>;
}

export interface GitHubApiOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or GitHub Enterprise Server's https://HOST/api/v3. */
  baseUrl: string;
  /** The repository's `owner/name` (GITHUB_REPOSITORY), for the messages. */
  repository: string;
  /** Rate limits are waited out only while the wait ends within this many milliseconds of the first request. */
  timeoutMs: number;
  /** Attempts per request for a 5xx answer or no answer. */
  maxAttempts: number;
  log: Log;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

type Request = (route: string, parameters: Record<string, unknown>) => Promise<ApiResponse>;

/** The longest a single request may take before it counts as no answer. */
const REQUEST_TIMEOUT_MS = 60_000;
/** Wait before the second attempt after a 5xx or no answer; doubled for each one after. */
const FIRST_BACKOFF_MS = 1000;
/**
 * The shortest wait after a rate limit, doubled for each one after, whatever `retry-after` says (`0` included):
 * the API is never asked again at once (docs/github-api.md#rate-limits).
 */
const MIN_RATE_LIMIT_WAIT_MS = 1000;
/** Same-host redirects followed per request (a renamed repository answers 301). */
const MAX_REDIRECTS = 5;

/** A redirect the API answered that is not followed: to another host, or too many. Never retried. */
export class RedirectRefused extends Error {
  override readonly name = 'RedirectRefused';
}

/**
 * The GitHub REST API through Octokit, with the token, the API base of the runner (github.com or GitHub Enterprise
 * Server), rate limits waited out within the timeout, and a refusal that names github-token
 * (docs/github-api.md#errors). `@actions/github` is imported here, at the first use, so that a run that does not
 * take this path never loads it.
 */
export class GitHubApi {
  private constructor(
    private readonly request: Request,
    private readonly options: GitHubApiOptions,
    private readonly deadline: number,
  ) {}

  static async connect(options: GitHubApiOptions): Promise<GitHubApi> {
    const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github');
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const octokit = getOctokit(options.token, { baseUrl });
    const request: Request = async (route, parameters) => {
      let next = { route, parameters };
      for (let redirects = 0; ; redirects++) {
        // Redirects are not followed by fetch: only one to the API's own host is, here.
        const response = await octokit.request(next.route, {
          ...next.parameters,
          request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'manual' },
        });
        const status = response.status as number;
        if (status < 300 || status >= 400) return { data: response.data, headers: response.headers };
        const location = redirectTarget(response.headers.location, baseUrl, describeRoute(route, parameters));
        if (redirects >= MAX_REDIRECTS) {
          throw new RedirectRefused(
            `changed-files: the GitHub API redirected ${describeRoute(route, parameters)} more than ${MAX_REDIRECTS} times; refused`,
          );
        }
        next = { route: `GET ${location}`, parameters: {} };
      }
    };
    return new GitHubApi(request, options, (options.now ?? Date.now)() + options.timeoutMs);
  }

  /** One GET, retried on rate limits (within the timeout), 5xx and no answer. */
  async get(route: string, parameters: Record<string, unknown> = {}): Promise<ApiResponse> {
    const { log, maxAttempts } = this.options;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
    let rateLimits = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(route, parameters);
      } catch (error) {
        if (error instanceof RedirectRefused) throw error;
        const failure = describeFailure(error);
        const asked = rateLimitWaitMs(failure, now());
        if (asked !== undefined) {
          const rateLimitWait = Math.max(asked, MIN_RATE_LIMIT_WAIT_MS * 2 ** rateLimits++);
          if (now() + rateLimitWait > this.deadline) {
            throw new Error(
              `changed-files: the GitHub API rate limit of this token is exhausted (HTTP ${failure.status} to ${describeRoute(route, parameters)}) for ${Math.ceil(rateLimitWait / 1000)} s more, past the timeout; run again later, or check the repository out (actions/checkout) so that git lists the changed files`,
            );
          }
          log.info(
            `The GitHub API is rate limiting this token (HTTP ${failure.status}): waiting ${Math.ceil(rateLimitWait / 1000)} s before asking again.`,
          );
          await sleep(rateLimitWait);
          continue;
        }
        if (failure.status === 401 || failure.status === 403 || failure.status === 404) {
          throw new Error(this.refusal(route, parameters, failure));
        }
        const retryable = failure.status === undefined || failure.status >= 500;
        if (!retryable || attempt >= maxAttempts) {
          throw new Error(
            `changed-files: the GitHub API failed to answer ${describeRoute(route, parameters)}: ${failure.text}${retryable ? ` (after ${attempt} attempts)` : ''}`,
          );
        }
        const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
        log.info(`The GitHub API failed (${failure.text}): asking again in ${backoff / 1000} s.`);
        await sleep(backoff);
      }
    }
  }

  /**
   * The next page a `Link` header named: the token goes only to the API's own origin, never to another host a
   * header might name.
   */
  page(url: string): Promise<ApiResponse> {
    if (new URL(url).origin !== new URL(this.options.baseUrl).origin) {
      throw new Error(
        `changed-files: the GitHub API's Link header names a page on another host (${new URL(url).origin}); the token is not sent there`,
      );
    }
    return this.get(`GET ${url}`);
  }

  private refusal(route: string, parameters: Record<string, unknown>, failure: Failure): string {
    const { repository } = this.options;
    const cause =
      failure.status === 401
        ? 'the token is missing, expired or wrong'
        : `the token cannot read ${repository}, or a commit or pull request is unknown to GitHub`;
    return `changed-files: the GitHub API refused ${describeRoute(route, parameters)} with HTTP ${failure.status} (${failure.text}): ${cause}. Check the github-token input: the token needs contents: read on ${repository}, and pull-requests: read for a pull request (give the job "permissions: contents: read, pull-requests: read"); or check the repository out (actions/checkout) so that git lists the changed files.`;
  }
}

interface Failure {
  /** Undefined when no answer came. */
  status: number | undefined;
  headers: Record<string, string | number | undefined>;
  /** GitHub's message, or the transport error's. */
  text: string;
}

function describeFailure(error: unknown): Failure {
  const fields = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  };
  const headers = fields.response?.headers ?? {};
  // Octokit gives status 500 to a request that got no response at all.
  const status = fields.response && typeof fields.status === 'number' ? fields.status : undefined;
  const data = fields.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : String(fields.message ?? error);
  return { status, headers, text: flatten(message) };
}

/**
 * Where a redirect of the API leads, when it is the API's own host (`baseUrl`'s origin); else a `RedirectRefused`:
 * the token is not sent elsewhere, and no other host decides which files changed.
 */
function redirectTarget(location: unknown, baseUrl: string, route: string): string {
  const base = new URL(baseUrl);
  let target: URL | undefined;
  try {
    target = typeof location === 'string' ? new URL(location, base) : undefined;
  } catch {
    target = undefined;
  }
  if (target?.origin === base.origin) return target.href;
  const where = target ? `another host (${target.origin})` : 'no valid location';
  throw new RedirectRefused(
    `changed-files: the GitHub API at ${base.origin} redirected ${route} to ${where}; refused: the changed files are listed by the API of GITHUB_API_URL only. Check GITHUB_API_URL, or check the repository out (actions/checkout) so that git lists the changed files`,
  );
}

/**
 * How long a rate-limited request must wait, or undefined when the failure is no rate limit: 429, or 403 with
 * `retry-after` or an exhausted `x-ratelimit-remaining` (docs/github-api.md#rate-limits).
 */
export function rateLimitWaitMs(failure: Failure, now: number): number | undefined {
  const { status, headers } = failure;
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
    return Math.max(0, retryAfter) * 1000;
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now) + 1000;
  }
  // A secondary rate limit without either header: GitHub asks for at least a minute.
  return status === 429 || /rate limit/i.test(failure.text) ? 60_000 : undefined;
}

/** The route with its parameters filled in, for messages: `GET /repos/o/r/compare/a...b`. */
function describeRoute(route: string, parameters: Record<string, unknown>): string {
  return route.replace(/\{(\w+)\}/g, (whole, name: string) => String(parameters[name] ?? whole));
}

/** The `rel="next"` URL of a `Link` header, if any. */
export function nextPage(link: string | number | undefined): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}
