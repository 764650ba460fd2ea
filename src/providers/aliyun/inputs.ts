import { InputError } from '../../errors.js';
import { unique } from '../../inputs/urls.js';
import { type ReadInput, readBoolean, refuseIfSet } from '../../inputs/values.js';
import type { ProviderSettings } from '../../settings.js';
import { hasControlCharacter } from '../../text.js';
import type { ProviderInputContext } from '../provider.js';

export interface AliyunSettings {
  /** Refresh `urls` ignoring their query strings (ObjectType IgnoreParams). */
  ignoreParams: boolean;
  l2Preload: boolean | undefined;
  queryHashkey: boolean | undefined;
}

/** Options of the push (PushObjectCache) only: a refresh has none of them. */
const PUSH_ONLY = ['area', 'l2-preload', 'query-hashkey'];

/** Regular expressions to refresh (regex), and the refresh and push options. */
export function readAliyun(
  read: ReadInput,
  { mode }: ProviderInputContext,
): ProviderSettings<AliyunSettings> {
  if (mode === 'purge') {
    refuseIfSet(
      read,
      PUSH_ONLY,
      'Alibaba takes this option on a prefetch (PushObjectCache) only, and a refresh covers every region: remove it, or use mode prefetch or purge-prefetch',
    );
  }
  if (mode === 'prefetch' && read('ignore-params') !== '') {
    throw new InputError(
      'ignore-params',
      read('ignore-params'),
      'Alibaba ignores query strings on a refresh (ObjectType IgnoreParams) only, not on a prefetch: remove it, or use query-hashkey',
    );
  }
  if (read('site') === 'intl') {
    throw new InputError(
      'site',
      'intl',
      'Alibaba Cloud CDN has one endpoint, cdn.aliyuncs.com, for every account: remove site',
    );
  }
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
    // Each regular expression is refreshed in a call of its own (ObjectType Regex).
    targets: [{ kind: 'purge-regex', input: 'regex', targets: unique(regexes) }],
    options: {
      ignoreParams: readBoolean(read, 'ignore-params') ?? false,
      l2Preload: readBoolean(read, 'l2-preload'),
      queryHashkey: readBoolean(read, 'query-hashkey'),
    },
  };
}
