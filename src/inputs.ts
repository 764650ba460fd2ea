import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from './errors.js';
import { checkDirectory, checkUrl, splitList, unique } from './targets/explicit.js';
import { hasControlCharacter } from './text.js';

export const PROVIDERS = ['tencent-cdn'] as const;
/** Providers of the interface contract that this version does not implement yet. */
const PLANNED_PROVIDERS = ['tencent-edgeone', 'aliyun-cdn'];
export const MODES = ['purge', 'prefetch', 'purge-prefetch', 'unblock'] as const;
export const AREAS = ['mainland', 'overseas', 'global'] as const;
export const PURGE_METHODS = ['invalidate', 'delete'] as const;
export const SITES = ['china', 'intl'] as const;
export const LAYERS = ['middle'] as const;

export type ProviderId = (typeof PROVIDERS)[number];
export type Mode = (typeof MODES)[number];
export type Area = (typeof AREAS)[number];
export type PurgeMethod = (typeof PURGE_METHODS)[number];
export type Site = (typeof SITES)[number];
export type Layer = (typeof LAYERS)[number];

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
  layer: Layer | undefined;
  mediaSegments: boolean | undefined;
  disableRange: boolean | undefined;
}

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
  site: Site;
  /** Overrides the provider's endpoint (https, or http on a loopback host). */
  endpoint: URL | undefined;
  /** Undefined only in a dry run, which sends nothing. */
  credentials: Credentials | undefined;
  dryRun: boolean;
  urlEncode: boolean | undefined;
  prefetch: PrefetchOptions;
  delivery: DeliverySettings;
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

/** Reads one input, trimmed; '' when it is not set (as `core.getInput` does). */
export type ReadInput = (name: string) => string;

export interface InputContext {
  read: ReadInput;
  env: Record<string, string | undefined>;
  /** Folder that relative file inputs are resolved against (GITHUB_WORKSPACE). */
  workspace: string;
}

/** Inputs of the contract that only another provider uses; refused here with a message that says so. */
const OTHER_PROVIDER_INPUTS: Record<string, string> = {
  'zone-id': 'tencent-edgeone',
  hosts: 'tencent-edgeone',
  'cache-tags': 'tencent-edgeone',
  'purge-all': 'tencent-edgeone',
  'l2-preload': 'aliyun-cdn',
};

const PREFETCH_INPUTS = ['headers', 'user-agent', 'layer', 'media-segments', 'disable-range'];
const MAX_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;

/** Reads and checks every input; throws an `InputError` for the first bad one. Sends nothing. */
export function readSettings(ctx: InputContext): Settings {
  const { read } = ctx;
  const provider = readProvider(read('provider'));
  for (const [name, owner] of Object.entries(OTHER_PROVIDER_INPUTS)) {
    const value = read(name);
    if (value !== '') {
      throw new InputError(name, value, `this input is for provider ${owner}, not ${provider}; remove it`);
    }
  }
  const mode = oneOf('mode', read('mode') || 'purge', MODES);
  const dryRun = readBoolean(read, 'dry-run') ?? false;

  const urls = unique([
    ...splitList(read('urls')).map((entry) => checkUrl('urls', entry)),
    ...readUrlsFile(ctx).map((entry) => checkUrl('urls-file', entry)),
  ]);
  const paths = unique(splitList(read('paths')).map((entry) => checkDirectory('paths', entry)));
  checkTargetsFitMode(mode, urls, paths);

  if (mode !== 'prefetch' && mode !== 'purge-prefetch') {
    for (const name of PREFETCH_INPUTS) {
      const value = read(name);
      if (value !== '') {
        throw new InputError(
          name,
          value,
          `this prefetch option applies to mode prefetch or purge-prefetch, not ${mode}`,
        );
      }
    }
  }
  const prefetch = readPrefetchOptions(read);

  const areaValue = read('area');
  return {
    provider,
    mode,
    urls,
    paths,
    area: areaValue === '' ? undefined : oneOf('area', areaValue, AREAS),
    purgeMethod: oneOf('purge-method', read('purge-method') || 'invalidate', PURGE_METHODS),
    site: oneOf('site', read('site') || 'china', SITES),
    endpoint: readEndpoint(read('endpoint')),
    credentials: readCredentials(ctx, dryRun),
    dryRun,
    urlEncode: readBoolean(read, 'url-encode'),
    prefetch,
    delivery: {
      maxAttempts: readInteger(read, 'max-attempts', 5, 1, 10),
      timeoutMs: readInteger(read, 'timeout', 1800, 10, 21_600) * 1000,
      wait: readBoolean(read, 'wait') ?? false,
      waitTimeoutMs: readInteger(read, 'wait-timeout', 600, 1, 21_600) * 1000,
      failOnTaskFailure: readBoolean(read, 'fail-on-task-failure') ?? true,
    },
  };
}

function readProvider(value: string): ProviderId {
  if (value === '') {
    throw new InputError('provider', value, `required; accepted: ${PROVIDERS.join(', ')}`);
  }
  if (PLANNED_PROVIDERS.includes(value)) {
    throw new InputError(
      'provider',
      value,
      `not available in this version yet; available: ${PROVIDERS.join(', ')}`,
    );
  }
  return oneOf('provider', value, PROVIDERS);
}

function oneOf<T extends string>(input: string, value: string, accepted: readonly T[]): T {
  if ((accepted as readonly string[]).includes(value)) return value as T;
  throw new InputError(input, value, `accepted: ${accepted.join(', ')}`);
}

/** A boolean input: true/false in the YAML 1.2 core schema spellings; undefined when not set. */
export function readBoolean(read: ReadInput, input: string): boolean | undefined {
  const value = read(input);
  if (value === '') return undefined;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(input, value, 'accepted: true, false');
}

/** A whole number within bounds; `fallback` when the input is not set. */
export function readInteger(
  read: ReadInput,
  input: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = read(input);
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(input, value, `accepted: a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

function readUrlsFile(ctx: InputContext): string[] {
  const name = ctx.read('urls-file');
  if (name === '') return [];
  const path = isAbsolute(name) ? name : resolve(ctx.workspace, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(
      'urls-file',
      name,
      `cannot read ${path} (${reason}); give a file with one URL per line`,
    );
  }
  // One URL per line: a comma here is always part of a URL.
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function checkTargetsFitMode(mode: Mode, urls: string[], paths: string[]): void {
  if (urls.length === 0 && paths.length === 0) {
    throw new InputError(
      'urls',
      '',
      'no targets: give at least one URL in urls or urls-file, or a directory in paths',
    );
  }
  if ((mode === 'prefetch' || mode === 'unblock') && paths.length > 0) {
    throw new InputError(
      'paths',
      paths[0] ?? '',
      `directories can only be purged; mode ${mode} takes file URLs in urls`,
    );
  }
  if (mode !== 'purge' && urls.length === 0) {
    throw new InputError(
      'urls',
      '',
      `mode ${mode} needs file URLs in urls or urls-file; to purge directories alone use mode purge`,
    );
  }
}

function readPrefetchOptions(read: ReadInput): PrefetchOptions {
  const userAgent = read('user-agent');
  if (hasControlCharacter(userAgent)) {
    throw new InputError('user-agent', userAgent, 'must not contain control characters');
  }
  const layer = read('layer');
  return {
    headers: readHeaders(read('headers')),
    userAgent: userAgent || undefined,
    layer: layer === '' ? undefined : oneOf('layer', layer, LAYERS),
    mediaSegments: readBoolean(read, 'media-segments'),
    disableRange: readBoolean(read, 'disable-range'),
  };
}

/** `Name: value` lines, at most 20; names are HTTP tokens up to 128 characters, values up to 1,024. */
export function readHeaders(value: string): Header[] {
  const lines = value.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length > MAX_HEADERS) {
    throw new InputError(
      'headers',
      `${lines.length} lines`,
      `at most ${MAX_HEADERS} headers can be sent with a prefetch`,
    );
  }
  return lines.map((line) => {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const headerValue = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (
      !HEADER_NAME.test(name) ||
      headerValue === '' ||
      headerValue.length > 1024 ||
      hasControlCharacter(headerValue)
    ) {
      throw new InputError(
        'headers',
        line,
        'each line must be "Name: value": a name of letters, digits and -_.!#$%&\'*+^`|~ (at most 128) and a non-empty value of at most 1,024 characters',
      );
    }
    return { name, value: headerValue };
  });
}

function readEndpoint(value: string): URL | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      'endpoint',
      value,
      'expected an absolute URL such as https://cdn.tencentcloudapi.com',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      'endpoint',
      value,
      'http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost); use https://',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('endpoint', value, 'expected an https:// URL');
  }
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new InputError(
      'endpoint',
      value,
      'expected only a scheme, a host and an optional port, such as https://cdn.tencentcloudapi.com',
    );
  }
  return url;
}

export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function readCredentials(ctx: InputContext, dryRun: boolean): Credentials | undefined {
  const secretId = ctx.read('secret-id') || ctx.env.TENCENTCLOUD_SECRET_ID || '';
  const secretKey = ctx.read('secret-key') || ctx.env.TENCENTCLOUD_SECRET_KEY || '';
  const sessionToken = ctx.read('session-token') || ctx.env.TENCENTCLOUD_SESSION_TOKEN || undefined;
  if (secretId !== '' && secretKey !== '') return { secretId, secretKey, sessionToken };
  if (dryRun) return undefined;
  const missing = secretId === '' ? 'secret-id' : 'secret-key';
  const envName = secretId === '' ? 'TENCENTCLOUD_SECRET_ID' : 'TENCENTCLOUD_SECRET_KEY';
  throw new InputError(
    missing,
    '',
    `required: pass it from a repository secret (${missing}: \${{ secrets.${envName} }}) or set the environment variable ${envName}`,
  );
}
