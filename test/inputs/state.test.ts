import { describe, expect, it } from 'vitest';
import { STATE_KEY_PREFIX } from '../../src/inputs/state.js';
import { refusalOf, settingsFrom } from '../support/settings.js';

const BASE = { provider: 'tencent-cdn', 'dry-run': 'true' };
const CHANGED = { ...BASE, 'changed-files': 'true', 'base-url': 'https://www.example.com/', since: 'main' };
const CONTENT = {
  ...BASE,
  'changed-files': 'true',
  'base-url': 'https://www.example.com/',
  'changed-files-source': 'content',
};

describe('state and state-key', () => {
  it('auto: a state with changed-files, none without', () => {
    expect(settingsFrom(CHANGED).state?.keyPrefix).toMatch(new RegExp(`^${STATE_KEY_PREFIX}[0-9a-f]{24}-$`));
    expect(settingsFrom(CHANGED).state?.baseUrls).toEqual(['https://www.example.com/']);
    expect(settingsFrom({ ...BASE, urls: 'https://www.example.com/a' }).state).toBeUndefined();
    expect(
      settingsFrom({ ...BASE, urls: 'https://www.example.com/a', state: 'cache' }).state?.baseUrls,
    ).toEqual([]);
    expect(settingsFrom({ ...CHANGED, state: 'off' }).state).toBeUndefined();
  });

  it('names a deployment by its provider, base URLs and state-key', () => {
    const key = (inputs: Record<string, string>) => settingsFrom(inputs).state?.keyPrefix;
    expect(key(CHANGED)).toBe(key({ ...CHANGED, since: 'v1' }));
    expect(key(CHANGED)).not.toBe(key({ ...CHANGED, 'state-key': 'staging' }));
    expect(key({ ...CHANGED, 'state-key': 'staging' })).not.toBe(
      key({ ...CHANGED, 'state-key': 'production' }),
    );
    expect(key(CHANGED)).not.toBe(key({ ...CHANGED, 'base-url': 'https://docs.example.com/' }));
  });

  it('refuses a bad value, a state-key without a state, and content without a state', () => {
    expect(refusalOf({ ...CHANGED, state: 'yes' }).message).toContain('accepted: auto, cache, off');
    expect(refusalOf({ ...CHANGED, 'state-key': 'a,b' }).message).toContain(
      'expected 1 to 64 letters, digits',
    );
    expect(refusalOf({ ...CHANGED, 'state-key': 'x'.repeat(65) }).input).toBe('state-key');
    expect(settingsFrom({ ...CHANGED, 'state-key': 'x'.repeat(64) }).state).toBeDefined();
    expect(refusalOf({ ...BASE, urls: 'https://www.example.com/a', 'state-key': 'prod' }).message).toContain(
      'state: auto without changed-files',
    );
    expect(refusalOf({ ...CONTENT, state: 'off' }).message).toContain(
      'changed-files-source: content compares',
    );
    expect(refusalOf({ ...CONTENT, since: 'main' }).input).toBe('since');
    expect(settingsFrom({ ...CONTENT }).changedFiles?.source).toBe('content');
  });
});
