import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { Settings } from '../../src/settings.js';

/** Settings read from these inputs (every other input empty) and environment. */
export function settingsFrom(inputs: Record<string, string>, env: Record<string, string> = {}): Settings {
  return readSettings({ read: (name) => inputs[name] ?? '', env, workspace: '/tmp' }, PROVIDERS).settings;
}

/** The InputError these inputs are refused with. */
export function refusalOf(inputs: Record<string, string>, env: Record<string, string> = {}): InputError {
  let thrown: unknown;
  try {
    settingsFrom(inputs, env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputError);
  return thrown as InputError;
}
