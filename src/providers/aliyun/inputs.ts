import { InputError } from '../../errors.js';
import { unique } from '../../inputs/urls.js';
import { type ReadInput, readBoolean } from '../../inputs/values.js';
import { hasControlCharacter } from '../../text.js';

export interface AliyunSettings {
  /** Regular expressions, each refreshed in a call of its own (ObjectType Regex). */
  regexes: string[];
  /** Refresh `urls` ignoring their query strings (ObjectType IgnoreParams). */
  ignoreParams: boolean;
  l2Preload: boolean | undefined;
  queryHashkey: boolean | undefined;
}

export function readAliyun(read: ReadInput): AliyunSettings {
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
