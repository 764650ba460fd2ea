import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { defaultSessionName } from './credentials/temporary.js';
import { InputError } from './errors.js';
import { type ChangedFilesSettings, readChangedFilesSettings } from './targets/changed-files-inputs.js';
import { checkDirectory, checkUrl, splitList, unique } from './targets/explicit.js';
import { hasControlCharacter } from './text.js';

export const PROVIDERS = ['tencent-cdn', 'tencent-edgeone', 'aliyun-cdn'] as const;
export const MODES = ['purge', 'prefetch', 'purge-prefetch', 'unblock'] as const;
export const AREAS = ['mainland', 'overseas', 'global'] as const;
export const PURGE_METHODS = ['invalidate', 'delete'] as const;
export const SITES = ['china', 'intl'] as const;
export const LAYERS = ['middle', 'edge'] as const;

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
  /** Keyless credentials: the role to assume with the job's GitHub OIDC token (then `credentials` is undefined). */
  oidc: OidcSettings | undefined;
  /** Alibaba's own options; set only for provider aliyun-cdn. */
  aliyun: AliyunSettings | undefined;
  /** EdgeOne's own targets and zone; set only for provider tencent-edgeone. */
  edgeone: EdgeOneSettings | undefined;
  /** With `changed-files: true`: how the deploy commit's changed files become URLs. */
  changedFiles: ChangedFilesSettings | undefined;
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

/** Inputs that only some providers take; any other provider refuses them with a message that says so. */
const PROVIDER_INPUTS: Record<string, readonly string[]> = {
  'zone-id': ['tencent-edgeone'],
  hosts: ['tencent-edgeone'],
  'cache-tags': ['tencent-edgeone'],
  'purge-all': ['tencent-edgeone'],
  'l2-preload': ['aliyun-cdn'],
  'query-hashkey': ['aliyun-cdn'],
  regex: ['aliyun-cdn'],
  'ignore-params': ['aliyun-cdn'],
  layer: ['tencent-cdn', 'tencent-edgeone'],
  'media-segments': ['tencent-cdn', 'tencent-edgeone'],
  area: ['tencent-cdn', 'aliyun-cdn'],
  'url-encode': ['tencent-cdn'],
  'user-agent': ['tencent-cdn'],
  'disable-range': ['tencent-cdn'],
};

/** The `layer` values each provider takes: Tencent CDN `Layer: middle`, EdgeOne `Mode: edge`. */
const PROVIDER_LAYERS: Record<ProviderId, readonly Layer[]> = {
  'tencent-cdn': ['middle'],
  'tencent-edgeone': ['edge'],
  'aliyun-cdn': [],
};

/** The environment variables each provider's credentials fall back to, as their own tools export them. */
export const CREDENTIAL_VARIABLES: Record<ProviderId, { id: string; key: string; token: string }> = {
  'tencent-cdn': {
    id: 'TENCENTCLOUD_SECRET_ID',
    key: 'TENCENTCLOUD_SECRET_KEY',
    token: 'TENCENTCLOUD_SESSION_TOKEN',
  },
  'tencent-edgeone': {
    id: 'TENCENTCLOUD_SECRET_ID',
    key: 'TENCENTCLOUD_SECRET_KEY',
    token: 'TENCENTCLOUD_SESSION_TOKEN',
  },
  'aliyun-cdn': {
    id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    key: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  },
};

const ZONE_ID = /^zone-[0-9a-z]+$/;
const HOST_NAME =
  /^(?=.{1,253}$)[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?(?:\.[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?)*$/i;

const PREFETCH_INPUTS = ['headers', 'user-agent', 'layer', 'media-segments', 'disable-range'];
const MAX_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;

/** Reads and checks every input; throws an `InputError` for the first bad one. Sends nothing. */
export function readSettings(ctx: InputContext): Settings {
  const { read } = ctx;
  const provider = readProvider(read('provider'));
  for (const [name, owners] of Object.entries(PROVIDER_INPUTS)) {
    const value = read(name);
    if (value !== '' && !owners.includes(provider)) {
      throw new InputError(
        name,
        value,
        `this input is for provider ${owners.join(' or ')}, not ${provider}; remove it`,
      );
    }
  }
  const mode = oneOf('mode', read('mode') || 'purge', MODES);
  const dryRun = readBoolean(read, 'dry-run') ?? false;

  const urls = unique([
    ...splitList(read('urls')).map((entry) => checkUrl('urls', entry)),
    ...readUrlsFile(ctx).map((entry) => checkUrl('urls-file', entry)),
  ]);
  const paths = unique(splitList(read('paths')).map((entry) => checkDirectory('paths', entry)));
  if (mode === 'unblock' && provider !== 'tencent-cdn') {
    throw new InputError(
      'mode',
      mode,
      `only provider tencent-cdn has unblock (EnableCaches); ${provider} takes purge, prefetch or purge-prefetch`,
    );
  }
  const edgeone =
    provider === 'tencent-edgeone' ? readEdgeOne(read, mode, urls.length + paths.length > 0) : undefined;
  const aliyun = provider === 'aliyun-cdn' ? readAliyun(read) : undefined;
  const oidc = readOidc(ctx, provider);
  if (provider === 'aliyun-cdn' && read('site') === 'intl') {
    throw new InputError(
      'site',
      'intl',
      'Alibaba Cloud CDN has one endpoint, cdn.aliyuncs.com, for every account: remove site',
    );
  }
  const changedFiles = readChangedFilesSettings(
    read,
    readBoolean(read, 'changed-files') ?? false,
    mode,
    ctx.env.GITHUB_EVENT_NAME,
  );
  // With changed-files the URLs come later, from git: empty explicit lists are fine.
  checkTargetsFitMode(mode, urls, paths, purgeOnlyInputs(edgeone, aliyun), changedFiles !== undefined);

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
  const prefetch = readPrefetchOptions(read, provider);

  const areaValue = read('area');
  return {
    provider,
    mode,
    urls,
    paths,
    area: areaValue === '' ? undefined : oneOf('area', areaValue, AREAS),
    purgeMethod: oneOf('purge-method', read('purge-method') || 'invalidate', PURGE_METHODS),
    site: oneOf('site', read('site') || 'china', SITES),
    endpoint: readEndpoint('endpoint', read('endpoint')),
    credentials: oidc ? undefined : readCredentials(ctx, CREDENTIAL_VARIABLES[provider], dryRun),
    oidc,
    dryRun,
    urlEncode: readBoolean(read, 'url-encode'),
    prefetch,
    edgeone,
    aliyun,
    changedFiles,
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

/** The provider's own purge-only targets, as [input, how many]: EdgeOne hosts, tags and zone; Alibaba regexes. */
function purgeOnlyInputs(
  edgeone: EdgeOneSettings | undefined,
  aliyun: AliyunSettings | undefined,
): Array<[string, number]> {
  if (edgeone) {
    return [
      ['hosts', edgeone.hosts.length],
      ['cache-tags', edgeone.cacheTags.length],
      ['purge-all', edgeone.purgeAll ? 1 : 0],
    ];
  }
  return aliyun ? [['regex', aliyun.regexes.length]] : [];
}

function checkTargetsFitMode(
  mode: Mode,
  urls: string[],
  paths: string[],
  purgeOnly: Array<[string, number]>,
  urlsFollow = false,
): void {
  const purgeOnlyCount = purgeOnly.reduce((sum, [, n]) => sum + n, 0);
  if (!urlsFollow && urls.length === 0 && paths.length === 0 && purgeOnlyCount === 0) {
    const others = purgeOnly.map(([input]) => input);
    throw new InputError(
      'urls',
      '',
      `no targets: give at least one URL in urls or urls-file, or a directory in paths${others.length > 0 ? `, or ${others.join(', ')}` : ''}`,
    );
  }
  const given = purgeOnly.find(([, n]) => n > 0);
  if (mode === 'prefetch' && given) {
    throw new InputError(
      given[0],
      '(set)',
      `${given[0]} is purged, never prefetched; mode prefetch takes file URLs in urls`,
    );
  }
  if ((mode === 'prefetch' || mode === 'unblock') && paths.length > 0) {
    throw new InputError(
      'paths',
      paths[0] ?? '',
      `directories can only be purged; mode ${mode} takes file URLs in urls`,
    );
  }
  if (!urlsFollow && mode !== 'purge' && urls.length === 0) {
    throw new InputError(
      'urls',
      '',
      `mode ${mode} needs file URLs in urls or urls-file; to purge directories alone use mode purge`,
    );
  }
}

export interface EdgeOneSettings {
  /** `zone-…`, or `*` for every zone of the account. */
  zoneId: string;
  hosts: string[];
  cacheTags: string[];
  purgeAll: boolean;
}

function readEdgeOne(read: ReadInput, mode: Mode, hasUrlsOrPaths: boolean): EdgeOneSettings {
  const zoneId = read('zone-id');
  if (zoneId === '') {
    throw new InputError(
      'zone-id',
      zoneId,
      'required for provider tencent-edgeone: the zone ID, such as zone-2o0i4example, or * for every zone of the account',
    );
  }
  if (zoneId !== '*' && !ZONE_ID.test(zoneId)) {
    throw new InputError('zone-id', zoneId, 'expected a zone ID such as zone-2o0i4example, or *');
  }
  const hosts = unique(splitPlainList(read('hosts')).map(checkHost));
  const cacheTags = readCacheTags(read('cache-tags'));
  const purgeAll = readBoolean(read, 'purge-all') ?? false;
  if (purgeAll) {
    if (hasUrlsOrPaths || hosts.length > 0 || cacheTags.length > 0) {
      throw new InputError(
        'purge-all',
        'true',
        'purges the whole zone: give no urls, paths, hosts or cache-tags with it',
      );
    }
    if (zoneId === '*') {
      throw new InputError('zone-id', zoneId, 'purge-all needs one zone: * is not accepted with purge-all');
    }
    if (mode !== 'purge') {
      throw new InputError('purge-all', 'true', `purge-all goes with mode purge, not ${mode}`);
    }
  }
  return { zoneId, hosts, cacheTags, purgeAll };
}

/** Entries separated by new lines or commas; blank lines and lines starting with # are skipped. */
function splitPlainList(value: string): string[] {
  return value
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim());
}

function checkHost(entry: string): string {
  const accepted = 'expected a bare host name such as www.example.com';
  if (entry.includes('://')) throw new InputError('hosts', entry, `${accepted}, without a scheme`);
  if (entry.includes('/')) throw new InputError('hosts', entry, `${accepted}, without a path`);
  if (entry.includes(':')) throw new InputError('hosts', entry, `${accepted}, without a port`);
  if (!HOST_NAME.test(entry)) throw new InputError('hosts', entry, accepted);
  return entry.toLowerCase();
}

function readCacheTags(value: string): string[] {
  const tags = splitPlainList(value);
  for (const tag of tags) {
    if (tag === '' || /\s/u.test(tag) || hasControlCharacter(tag)) {
      throw new InputError(
        'cache-tags',
        value,
        'tags separated by commas or new lines, with no empty entries and no whitespace inside a tag',
      );
    }
  }
  return unique(tags);
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

const OIDC_INPUTS = [
  'oidc-provider',
  'audience',
  'role-session-name',
  'role-duration-seconds',
  'sts-endpoint',
];

/** Per cloud: the role ARN, the identity provider and the default audience (PROTOCOLS.md §4). */
const OIDC_RULES: Record<
  'tencent' | 'aliyun',
  { role: RegExp; roleExample: string; provider: RegExp; providerAccepted: string; audience: string }
> = {
  tencent: {
    role: /^qcs::cam::uin\/\d+:roleName\/[\w+=,.@-]{1,128}$/,
    roleExample: 'qcs::cam::uin/100000000001:roleName/github-deploy',
    provider: /^[\w.-]{1,128}$/,
    providerAccepted: 'the name of the OIDC identity provider in CAM, such as github-actions',
    audience: 'sts.tencentcloudapi.com',
  },
  aliyun: {
    role: /^acs:ram::\d+:role\/[\w.@-]{1,64}$/,
    roleExample: 'acs:ram::1234567890123456:role/github-deploy',
    provider: /^acs:ram::\d+:oidc-provider\/[\w.-]{1,128}$/,
    providerAccepted:
      'the ARN of the OIDC provider in RAM, such as acs:ram::1234567890123456:oidc-provider/github',
    audience: 'sts.aliyuncs.com',
  },
};

function readOidc(ctx: InputContext, provider: ProviderId): OidcSettings | undefined {
  const { read } = ctx;
  const roleArn = read('role-arn');
  if (roleArn === '') {
    for (const name of OIDC_INPUTS) {
      const value = read(name);
      if (value !== '')
        throw new InputError(
          name,
          value,
          "goes with role-arn, which is not set: set role-arn to assume a role with the job's GitHub OIDC token",
        );
    }
    return undefined;
  }
  const rules = OIDC_RULES[provider === 'aliyun-cdn' ? 'aliyun' : 'tencent'];
  if (!rules.role.test(roleArn)) {
    throw new InputError('role-arn', roleArn, `expected a role ARN such as ${rules.roleExample}`);
  }
  for (const name of ['secret-id', 'secret-key', 'session-token']) {
    if (read(name) !== '') {
      throw new InputError(
        'role-arn',
        roleArn,
        `either role-arn (keyless, through GitHub OIDC) or ${name} with long-lived keys, not both: remove ${name}`,
      );
    }
  }
  const oidcProvider = read('oidc-provider');
  if (!rules.provider.test(oidcProvider)) {
    throw new InputError('oidc-provider', oidcProvider, `required with role-arn: ${rules.providerAccepted}`);
  }
  const audience = read('audience') || rules.audience;
  if (/\s/u.test(audience) || hasControlCharacter(audience)) {
    throw new InputError(
      'audience',
      audience,
      'expected the Client ID registered for the identity provider, without whitespace',
    );
  }
  const sessionName =
    read('role-session-name') || defaultSessionName(ctx.env.GITHUB_REPOSITORY, ctx.env.GITHUB_RUN_ID);
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
    throw new InputError('role-session-name', sessionName, '2 to 64 of the characters A-Z a-z 0-9 . @ _ -');
  }
  return {
    roleArn,
    provider: oidcProvider,
    audience,
    sessionName,
    durationSeconds: readInteger(read, 'role-duration-seconds', 3600, 900, 43_200),
    stsEndpoint: readEndpoint('sts-endpoint', read('sts-endpoint')),
  };
}

export interface AliyunSettings {
  /** Regular expressions, each refreshed in a call of its own (ObjectType Regex). */
  regexes: string[];
  /** Refresh `urls` ignoring their query strings (ObjectType IgnoreParams). */
  ignoreParams: boolean;
  l2Preload: boolean | undefined;
  queryHashkey: boolean | undefined;
}

function readAliyun(read: ReadInput): AliyunSettings {
  const regexes = read('regex')
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter((line) => line !== '');
  for (const pattern of regexes) {
    // ObjectPath separates entries with line breaks: a control character could smuggle in a second pattern.
    if (hasControlCharacter(pattern)) {
      throw new InputError(
        'regex',
        pattern,
        'one regular expression per line, without control characters: each goes in a call of its own',
      );
    }
  }
  return {
    regexes: unique(regexes),
    ignoreParams: readBoolean(read, 'ignore-params') ?? false,
    l2Preload: readBoolean(read, 'l2-preload'),
    queryHashkey: readBoolean(read, 'query-hashkey'),
  };
}

function readPrefetchOptions(read: ReadInput, provider: ProviderId): PrefetchOptions {
  const userAgent = read('user-agent');
  if (hasControlCharacter(userAgent)) {
    throw new InputError('user-agent', userAgent, 'must not contain control characters');
  }
  const layer = read('layer');
  return {
    headers: readHeaders(read('headers')),
    userAgent: userAgent || undefined,
    layer: layer === '' ? undefined : oneOf('layer', layer, PROVIDER_LAYERS[provider]),
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

/** An endpoint override: https, or http on a loopback host; a scheme, a host and a port, nothing more. */
function readEndpoint(input: string, value: string): URL | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, value, 'expected an absolute URL such as https://cdn.tencentcloudapi.com');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      input,
      value,
      'http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost); use https://',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, value, 'expected an https:// URL');
  }
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new InputError(
      input,
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

function readCredentials(
  ctx: InputContext,
  variables: { id: string; key: string; token: string },
  dryRun: boolean,
): Credentials | undefined {
  const secretId = ctx.read('secret-id') || ctx.env[variables.id] || '';
  const secretKey = ctx.read('secret-key') || ctx.env[variables.key] || '';
  const sessionToken = ctx.read('session-token') || ctx.env[variables.token] || undefined;
  if (secretId !== '' && secretKey !== '') return { secretId, secretKey, sessionToken };
  if (dryRun) return undefined;
  const missing = secretId === '' ? 'secret-id' : 'secret-key';
  const envName = secretId === '' ? variables.id : variables.key;
  throw new InputError(
    missing,
    '',
    `required: pass it from a repository secret (${missing}: \${{ secrets.${envName} }}) or set the environment variable ${envName}`,
  );
}
