import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { type AliyunSettings, readAliyun } from '../providers/aliyun/inputs.js';
import { type EdgeOneSettings, readEdgeOne } from '../providers/tencent/edgeone-inputs.js';
import { hasControlCharacter } from '../text.js';
import { type ChangedFilesSettings, readChangedFilesSettings } from './changed-files.js';
import { type OidcSettings, readOidc } from './oidc.js';
import { checkDirectory, checkUrl, splitList, unique } from './urls.js';
import {
  listLines,
  oneOf,
  type ReadInput,
  readBoolean,
  readEndpoint,
  readInteger,
  refuseIfSet,
} from './values.js';

export type { AliyunSettings, EdgeOneSettings, OidcSettings };

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

const PREFETCH_INPUTS = ['headers', 'user-agent', 'layer', 'media-segments', 'disable-range'];
const MAX_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;

/** Reads and checks every input; throws an `InputError` for the first bad one. Sends nothing. */
export function readSettings(ctx: InputContext): Settings {
  const { read } = ctx;
  const provider = readProvider(read('provider'));
  const foreign = Object.keys(PROVIDER_INPUTS).filter((name) => !PROVIDER_INPUTS[name]?.includes(provider));
  refuseIfSet(
    read,
    foreign,
    (name) => `this input is for provider ${PROVIDER_INPUTS[name]?.join(' or ')}, not ${provider}; remove it`,
  );
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
    refuseIfSet(
      read,
      PREFETCH_INPUTS,
      `this prefetch option applies to mode prefetch or purge-prefetch, not ${mode}`,
    );
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
  return listLines(text);
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
