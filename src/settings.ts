/** The domain: what a run is asked to do, once every input has been read and checked. No parsing here. */

export const MODES = ['purge', 'prefetch', 'purge-prefetch', 'unblock'] as const;
export const AREAS = ['mainland', 'overseas', 'global'] as const;
export const PURGE_METHODS = ['invalidate', 'delete'] as const;
export const SITES = ['china', 'intl'] as const;
export const COALESCE_MODES = ['auto', 'off'] as const;
export const STATE_MODES = ['auto', 'cache', 'off'] as const;
export const VERIFY_MODES = ['off', 'warn', 'fail'] as const;

/** A provider's `id`, as the `provider` input names it. */
export type ProviderId = string;
export type Mode = (typeof MODES)[number];
export type Area = (typeof AREAS)[number];
export type PurgeMethod = (typeof PURGE_METHODS)[number];
export type Site = (typeof SITES)[number];
export type CoalesceMode = (typeof COALESCE_MODES)[number];
export type VerifyMode = (typeof VERIFY_MODES)[number];

/** What an operation does, whatever the provider calls it. */
export type OperationKind =
  | 'purge-urls'
  | 'purge-paths'
  | 'purge-hosts'
  | 'purge-tags'
  | 'purge-all'
  | 'purge-regex'
  | 'prefetch'
  | 'unblock';

export interface Credentials {
  secretId: string;
  secretKey: string;
  sessionToken: string | undefined;
}

export interface Header {
  name: string;
  value: string;
}

/** Options of the prefetch APIs; a field left undefined is not sent, so the provider's default applies. */
export interface PrefetchOptions {
  headers: Header[];
  userAgent: string | undefined;
  /** One of the provider's `layers`. */
  layer: string | undefined;
  mediaSegments: boolean | undefined;
  disableRange: boolean | undefined;
}

/** Targets of one of the provider's own purge kinds (hosts, cache tags, regexes, a whole zone), with their input. */
export interface ProviderTargets {
  kind: OperationKind;
  input: string;
  targets: string[];
}

/** What a provider read from its own inputs: its purge-only targets, and options only its adapter reads. */
export interface ProviderSettings<Options = unknown> {
  /** One entry per kind the provider adds, empty or not, in the order they are purged. */
  targets: ProviderTargets[];
  options: Options;
}

/** `quota-reserve`: a number of targets, or a percentage of the daily total, of each daily quota. */
export type QuotaReserve = { targets: number } | { percent: number };

export interface Settings {
  provider: ProviderId;
  mode: Mode;
  /** File URLs, de-duplicated, in the order given. */
  urls: string[];
  /** Directory URLs ending in `/`. */
  paths: string[];
  /** Undefined: the provider's default (purge: every region the domain serves). */
  area: Area | undefined;
  purgeMethod: PurgeMethod;
  /** `auto`: a URL purge over today's URL quota is fitted by purging directories instead. */
  coalesce: CoalesceMode;
  /** Part of each daily quota the plan leaves unused, for later purges that day. */
  quotaReserve: QuotaReserve;
  site: Site;
  /** Overrides the provider's endpoint (https, or http on a loopback host). */
  endpoint: URL | undefined;
  /** Undefined only in a dry run, which sends nothing. */
  credentials: Credentials | undefined;
  dryRun: boolean;
  urlEncode: boolean | undefined;
  prefetch: PrefetchOptions;
  /** Keyless credentials: the role to assume with the job's GitHub OIDC token (then `credentials` is undefined). */
  oidc: OidcSettings | undefined;
  /** The provider's own inputs. */
  providerSettings: ProviderSettings;
  /** With `changed-files: true`: how the deploy commit's changed files become URLs. */
  changedFiles: ChangedFilesSettings | undefined;
  /** The deploy state kept between runs (`state`); undefined with `state: off`. */
  state: StateSettings | undefined;
  delivery: DeliverySettings;
  /** With `verify: warn` or `fail`: the edge checked after the last phase's tasks are done. */
  verify: VerifySettings | undefined;
}

/** `verify`: fetch the changed URLs through the CDN once the tasks are done, and compare with what was deployed. */
export interface VerifySettings {
  /** `fail`: a URL still stale after the second purge fails the step (`status: stale`); `warn`: a warning. */
  mode: Exclude<VerifyMode, 'off'>;
  /** URLs fetched at most (`verify-limit`). */
  limit: number;
}

/** Where the deploy state is kept between runs: the Actions cache, under keys that start with `keyPrefix`. */
export interface StateSettings {
  /** Names the deployment: derived from the provider, the sites' base URLs and `state-key`. */
  keyPrefix: string;
  /** The sites' base URLs: a pending target read back from the state must lie under one (empty: any URL). */
  baseUrls: string[];
  /**
   * No cache service is a warning when the state was asked for (`state: cache`) or decides what is purged
   * (`changed-files-source: content`); with `auto` and another source, a line of the log.
   */
  warnWithoutCache: boolean;
}

export interface DeliverySettings {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Nothing new is sent after this many milliseconds from the start; unsent targets go to `failed`. */
  timeoutMs: number;
  /** Poll the task status until every task is final or `waitTimeoutMs` has passed. */
  wait: boolean;
  waitTimeoutMs: number;
  /** With `wait`: a failed task fails the step. */
  failOnTaskFailure: boolean;
}

export interface OidcSettings {
  roleArn: string;
  /** Tencent: the identity provider's name in CAM (ProviderId); Alibaba: the OIDC provider's ARN. */
  provider: string;
  audience: string;
  sessionName: string;
  durationSeconds: number;
  /** Overrides the STS endpoint (https, or http on a loopback host, for tests). */
  stsEndpoint: URL | undefined;
}

/** How the files changed by the deploy commit become URLs (`changed-files: true`). */
export interface ChangedFilesSettings {
  /** The folders served and their URLs: one from `root-dir` and `base-url`, or the `sites` lines. */
  sites: SiteMapping[];
  /** The input the sites came from, for errors: `sites`, or `root-dir` (with `base-url`). */
  sitesInput: 'sites' | 'root-dir';
  /** Where the changed files are listed: git in a checkout, or the GitHub REST API. */
  source: ChangedFilesSource;
  /** The token for the GitHub API ('' when none was given). */
  githubToken: string;
  /** A commit SHA, tag or branch to compare with instead of the event's commits. */
  since: string | undefined;
  /** Globs matched against the path relative to the file's root-dir; empty = every file. */
  include: string[];
  exclude: string[];
  /** A changed `dir/<indexFile>` also purges `dir/`. */
  indexFile: string;
}

export const CHANGED_FILES_SOURCES = ['auto', 'git', 'api', 'content'] as const;
/**
 * `auto`: git when the workspace is a checkout, else the GitHub API. `content`: each site's root-dir is a folder
 * of the workspace (a build output), hashed and compared with the manifest of the last delivered deploy.
 */
export type ChangedFilesSource = (typeof CHANGED_FILES_SOURCES)[number];

/** One folder of the repository and the URL it is served at. */
export interface SiteMapping {
  /** Relative, without a leading or trailing `/`; '' = the root. */
  rootDir: string;
  /** Ends in `/`. */
  baseUrl: string;
}

/** Where a stage reports what it does as it goes (the step's log in a run). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
}
