import { InputError } from '../errors.js';
import type { ProviderDefinition } from '../providers/provider.js';
import {
  AREAS,
  type Area,
  COALESCE_MODES,
  MODES,
  type Mode,
  PURGE_METHODS,
  type Settings,
  SITES,
} from '../settings.js';
import { readChangedFilesSettings } from './changed-files.js';
import { readCredentials } from './credentials.js';
import { DECLARED_INPUTS } from './declared-inputs.js';
import { refuseForkPullRequest } from './fork-pull-request.js';
import { readOidc } from './oidc.js';
import { readPrefetchOptions } from './prefetch.js';
import { readQuotaReserve } from './quota-reserve.js';
import { readStateSettings } from './state.js';
import { refuseUndeclaredInputs } from './undeclared-inputs.js';
import { checkDirectory, checkUrl, encodedNote, folderUrlWarning, splitList, unique } from './urls.js';
import { readUrlsFile } from './urls-file.js';
import { type InputContext, oneOf, readBoolean, readEndpoint, readInteger, refuseIfSet } from './values.js';
import { readVerify } from './verify.js';

const PREFETCH_INPUTS = ['headers', 'user-agent', 'layer', 'media-segments', 'disable-range'];

/**
 * Reads and checks every input against `providers`, the ones the action knows; throws an `InputError` for the
 * first bad one. Sends nothing.
 */
export function readSettings(
  ctx: InputContext,
  providers: readonly ProviderDefinition[],
): { settings: Settings; provider: ProviderDefinition; notices: Notices } {
  const { read } = ctx;
  refuseUndeclaredInputs(ctx.env, [...DECLARED_INPUTS, ...providers.flatMap((known) => known.ownInputs)]);
  const provider = readProvider(read('provider'), providers);
  refuseOtherProvidersInputs(read, provider, providers);
  const mode = oneOf('mode', read('mode') || 'purge', MODES);
  const dryRun = readBoolean(read, 'dry-run') ?? false;

  const fixes = { wildcard: provider.wildcardFix };
  const given = { urls: splitList('urls', read('urls')), paths: splitList('paths', read('paths')) };
  const file = readUrlsFile(ctx, fixes);
  const listed = given.urls.map((entry) => checkUrl('urls', entry, fixes));
  const directories = given.paths.map((entry) => checkDirectory('paths', entry, fixes));
  const urls = unique([...listed, ...file.urls]);
  const paths = unique(directories);
  const notices: Notices = {
    info: present([
      encodedNote([...given.urls, ...file.lines, ...given.paths], [...listed, ...file.urls, ...directories]),
    ]),
    warnings: present([folderUrlWarning('urls', listed), folderUrlWarning('urls-file', file.urls)]),
  };
  const unblock = providers.filter((known) => known.apis.unblock);
  if (mode === 'unblock' && !provider.apis.unblock) {
    throw new InputError(
      'mode',
      mode,
      `only provider ${unblock.map((known) => `${known.id} has unblock (${known.apis.unblock?.action})`).join(', ')}; ${provider.id} takes purge, prefetch or purge-prefetch`,
    );
  }
  const changedFilesOn = readBoolean(read, 'changed-files') ?? false;
  const providerSettings = provider.readInputs(read, {
    mode,
    hasUrlsOrPaths: urls.length + paths.length > 0,
    changedFiles: changedFilesOn,
  });
  const oidc = readOidc(ctx, provider.keyless);
  const changedFiles = readChangedFilesSettings(read, changedFilesOn, mode, ctx.env.GITHUB_EVENT_NAME);
  refuseForkPullRequest(ctx, changedFiles !== undefined);
  // With changed-files the URLs come later, from git: empty explicit lists are fine.
  checkTargetsFitMode(
    mode,
    urls,
    paths,
    providerSettings.targets.map(({ input, targets }) => [input, targets.length]),
    changedFiles !== undefined,
  );

  if (mode !== 'prefetch' && mode !== 'purge-prefetch') {
    refuseIfSet(
      read,
      PREFETCH_INPUTS,
      `this prefetch option applies to mode prefetch or purge-prefetch, not ${mode}`,
    );
  }
  const prefetch = readPrefetchOptions(read, provider.layers);

  const verify = readVerify(read, mode, { urls: urls.length, changedFiles: changedFiles !== undefined });
  const areaValue = read('area');
  const settings: Settings = {
    provider: provider.id,
    mode,
    urls,
    paths,
    area: readArea(areaValue, provider.areaAliases ?? {}),
    purgeMethod: oneOf('purge-method', read('purge-method') || 'invalidate', PURGE_METHODS),
    coalesce: oneOf('coalesce', read('coalesce') || 'auto', COALESCE_MODES),
    quotaReserve: readQuotaReserve(read, mode),
    site: oneOf('site', read('site') || 'china', SITES),
    endpoint: readEndpoint('endpoint', read('endpoint'), provider.apiHosts),
    credentials: oidc ? undefined : readCredentials(ctx, provider.credentialVariables, dryRun),
    oidc,
    dryRun,
    urlEncode: readBoolean(read, 'url-encode'),
    prefetch,
    providerSettings,
    changedFiles,
    state: readStateSettings(read, provider.id, changedFiles),
    delivery: {
      maxAttempts: readInteger(read, 'max-attempts', 5, 1, 10),
      timeoutMs: readInteger(read, 'timeout', 1800, 10, 21_600) * 1000,
      // verify waits for the tasks before it fetches anything.
      wait: (readBoolean(read, 'wait') ?? false) || verify !== undefined,
      waitTimeoutMs: readInteger(read, 'wait-timeout', 600, 1, 21_600) * 1000,
      failOnTaskFailure: readBoolean(read, 'fail-on-task-failure') ?? true,
    },
    verify,
  };
  return { settings, provider, notices };
}

/** What reading the inputs has to tell besides errors: lines for the log, and warnings. */
export interface Notices {
  info: string[];
  warnings: string[];
}

function present(messages: ReadonlyArray<string | undefined>): string[] {
  return messages.filter((message) => message !== undefined);
}

/** Inputs that only some providers take: any other provider refuses them with a message that says so. */
function refuseOtherProvidersInputs(
  read: InputContext['read'],
  provider: ProviderDefinition,
  providers: readonly ProviderDefinition[],
): void {
  const foreign = [...new Set(providers.flatMap((known) => known.ownInputs))].filter(
    (name) => !provider.ownInputs.includes(name),
  );
  const takers = (name: string): string =>
    providers
      .filter((known) => known.ownInputs.includes(name))
      .map((known) => known.id)
      .join(' or ');
  refuseIfSet(
    read,
    foreign,
    (name) => `this input is for provider ${takers(name)}, not ${provider.id}; remove it`,
  );
}

/** `area`: one of `AREAS`, or one of the provider's own words for one. */
function readArea(value: string, aliases: Readonly<Record<string, Area>>): Area | undefined {
  if (value === '') return undefined;
  const alias = aliases[value];
  if (alias) return alias;
  const words = Object.entries(aliases).map(([word, area]) => `${word} (= ${area})`);
  return oneOf('area', value, [...AREAS, ...words]) as Area;
}

function readProvider(value: string, providers: readonly ProviderDefinition[]): ProviderDefinition {
  const provider = providers.find((known) => known.id === value);
  if (provider) return provider;
  const accepted = `accepted: ${providers.map((known) => known.id).join(', ')}`;
  throw new InputError('provider', value, value === '' ? `required; ${accepted}` : accepted);
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
