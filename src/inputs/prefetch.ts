import { InputError } from '../errors.js';
import type { PrefetchOptions } from '../settings.js';
import { hasControlCharacter } from '../text.js';
import { oneOf, type ReadInput, readBoolean } from './values.js';

const MAX_HEADERS = 20;
const MAX_HEADER_VALUE = 1024;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;

/** The prefetch options; `layers` are the values the provider takes for `layer`. */
export function readPrefetchOptions(read: ReadInput, layers: readonly string[]): PrefetchOptions {
  const userAgent = read('user-agent');
  if (hasControlCharacter(userAgent)) {
    throw new InputError('user-agent', '', 'must not contain control characters');
  }
  const layer = read('layer');
  return {
    headers: readHeaders(read('headers')),
    userAgent: userAgent || undefined,
    layer: layer === '' ? undefined : oneOf('layer', layer, layers),
    mediaSegments: readBoolean(read, 'media-segments'),
    disableRange: readBoolean(read, 'disable-range'),
  };
}

/**
 * `Name: value` lines, at most 20; names are HTTP tokens up to 128 characters, values up to 1,024. An error
 * names the line by its number only, never its text: the value may be a token, and so may what reads as a name
 * (a token pasted with a trailing colon, or the first half of `user:password`).
 */
export function readHeaders(value: string): PrefetchOptions['headers'] {
  const lines = value.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length > MAX_HEADERS) {
    throw new InputError(
      'headers',
      '',
      `${lines.length} lines; at most ${MAX_HEADERS} headers can be sent with a prefetch`,
    );
  }
  return lines.map((line, index) => {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const headerValue = colon > 0 ? line.slice(colon + 1).trim() : '';
    const where = `line ${index + 1}`;
    if (!HEADER_NAME.test(name)) {
      throw new InputError(
        'headers',
        '',
        `${where} is not "Name: value" with a name of letters, digits and -_.!#$%&'*+^\`|~ (at most 128 characters)`,
      );
    }
    const problem =
      headerValue === ''
        ? 'is empty'
        : headerValue.length > MAX_HEADER_VALUE
          ? `has ${headerValue.length} characters; at most ${MAX_HEADER_VALUE} are accepted`
          : hasControlCharacter(headerValue)
            ? 'contains a control character'
            : undefined;
    if (problem !== undefined) {
      throw new InputError('headers', '', `the value on ${where} ${problem}`);
    }
    return { name, value: headerValue };
  });
}
