import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { type ChangedFilesSettings, type ProviderId, STATE_MODES, type StateSettings } from '../settings.js';
import { oneOf, type ReadInput } from './values.js';

/** Every key of the action's deploy states starts with this (the Actions cache is shared by every step of the repository). */
export const STATE_KEY_PREFIX = 'cdn-purge-prefetch-state-1-';

const STATE_KEY = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `state` and `state-key`: undefined when no state is kept (`off`, or `auto` without changed-files). The key prefix
 * names the deployment by a hash of the provider, the sites' base URLs and `state-key`, so that no deployment's
 * prefix is the start of another's.
 */
export function readStateSettings(
  read: ReadInput,
  provider: ProviderId,
  changedFiles: ChangedFilesSettings | undefined,
): StateSettings | undefined {
  const mode = oneOf('state', read('state') || 'auto', STATE_MODES);
  const stateKey = read('state-key');
  const kept = mode === 'cache' || (mode === 'auto' && changedFiles !== undefined);
  if (!kept && changedFiles?.source === 'content') {
    throw new InputError(
      'state',
      mode,
      'changed-files-source: content compares the built files with the manifest of the last delivered deploy, which the deploy state keeps; set state: cache (or auto)',
    );
  }
  if (!kept) {
    if (stateKey !== '') {
      throw new InputError(
        'state-key',
        stateKey,
        `names the deploy state, which is off here (state: ${mode}${mode === 'auto' ? ' without changed-files' : ''}); remove state-key, or set state: cache`,
      );
    }
    return undefined;
  }
  if (stateKey !== '' && !STATE_KEY.test(stateKey)) {
    throw new InputError(
      'state-key',
      stateKey,
      'expected 1 to 64 letters, digits, ".", "_" or "-", such as production or staging',
    );
  }
  const baseUrls = changedFiles ? changedFiles.sites.map((site) => site.baseUrl) : [];
  const hash = createHash('sha256')
    .update(JSON.stringify([provider, [...baseUrls].sort(), stateKey]))
    .digest('hex')
    .slice(0, 24);
  const warnWithoutCache = mode === 'cache' || changedFiles?.source === 'content';
  return { keyPrefix: `${STATE_KEY_PREFIX}${hash}-`, baseUrls, warnWithoutCache };
}
