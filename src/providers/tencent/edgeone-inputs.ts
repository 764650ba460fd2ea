import { InputError } from '../../errors.js';
import { unique } from '../../inputs/urls.js';
import { type ReadInput, readBoolean, splitPlainList } from '../../inputs/values.js';
import type { ProviderSettings } from '../../settings.js';
import { hasControlCharacter } from '../../text.js';
import type { ProviderInputContext } from '../provider.js';

const ZONE_ID = /^zone-[0-9a-z]+$/;

const HOST_NAME =
  /^(?=.{1,253}$)[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?(?:\.[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?)*$/i;

export interface EdgeOneSettings {
  /** `zone-…`, or `*` for every zone of the account. */
  zoneId: string;
  hosts: string[];
  cacheTags: string[];
  purgeAll: boolean;
}

/** The zone, and the hosts, cache tags or whole zone to purge (hosts, cache-tags, purge-all). */
export function readEdgeOne(
  read: ReadInput,
  { mode, hasUrlsOrPaths, changedFiles }: ProviderInputContext,
): ProviderSettings<EdgeOneSettings> {
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
  const hosts = unique(splitPlainList('hosts', read('hosts')).map(checkHost));
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
    if (changedFiles) {
      throw new InputError(
        'purge-all',
        read('purge-all'),
        'purges the whole zone: it goes without changed-files',
      );
    }
  }
  return {
    targets: [
      { kind: 'purge-hosts', input: 'hosts', targets: hosts },
      { kind: 'purge-tags', input: 'cache-tags', targets: cacheTags },
      // The whole zone has no target of its own: the zone ID stands for it in the outputs.
      { kind: 'purge-all', input: 'purge-all', targets: purgeAll ? [zoneId] : [] },
    ],
    options: { zoneId, hosts, cacheTags, purgeAll },
  };
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
  const tags = splitPlainList('cache-tags', value);
  for (const tag of tags) {
    if (tag === '' || /\s/u.test(tag) || hasControlCharacter(tag)) {
      throw new InputError(
        'cache-tags',
        value,
        'tags separated by commas, spaces or new lines, with no empty entries and no whitespace inside a tag',
      );
    }
  }
  return unique(tags);
}
