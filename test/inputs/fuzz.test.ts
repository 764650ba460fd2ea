/**
 * Thousands of random input sets through readSettings: each is either read, or refused with one InputError that
 * names a declared input, on one line, without any secret-bearing value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { hasControlCharacter } from '../../src/text.js';
import { DECLARED_INPUTS, environments, inputSets, SECRET_MARKER } from '../support/fuzz-inputs.js';

describe('readSettings under random inputs', () => {
  it('reads or refuses with an InputError that names a declared input and shows no secret', () => {
    let read = 0;
    let refused = 0;
    fc.assert(
      fc.property(inputSets, environments, (inputs, env) => {
        try {
          readSettings(
            { read: (name) => (inputs[name] ?? '').trim(), env, workspace: '/nonexistent-workspace' },
            PROVIDERS,
          );
          read++;
        } catch (error) {
          refused++;
          expect(error).toBeInstanceOf(InputError);
          const { input, message } = error as InputError;
          expect(DECLARED_INPUTS).toContain(input);
          expect(message.startsWith(`Input '${input}' `)).toBe(true);
          expect(message).not.toContain(SECRET_MARKER);
          expect(hasControlCharacter(message) || /[\u2028\u2029]/u.test(message)).toBe(false);
        }
      }),
      { numRuns: 5000 },
    );
    // About a third of the sets are valid: the generator reaches both sides.
    expect(read).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });
});
