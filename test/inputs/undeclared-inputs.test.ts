import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { DECLARED_INPUTS } from '../../src/inputs/declared-inputs.js';
import { inputVariable, refuseUndeclaredInputs, suggestion } from '../../src/inputs/undeclared-inputs.js';

const declaredEnv = Object.fromEntries(DECLARED_INPUTS.map((name) => [inputVariable(name), '']));

function refusal(extra: Record<string, string>): string {
  try {
    refuseUndeclaredInputs({ ...declaredEnv, ...extra }, DECLARED_INPUTS);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('inputs that action.yml does not declare', () => {
  it('accepts every declared input, and variables that are not inputs', () => {
    expect(() =>
      refuseUndeclaredInputs({ ...declaredEnv, GITHUB_TOKEN: 'x', DRY_RUN: 'true' }, DECLARED_INPUTS),
    ).not.toThrow();
  });

  it('refuses dry_run, naming dry-run, without showing the value', () => {
    const message = refusal({ INPUT_DRY_RUN: 'true' });
    expect(message).toContain("Input 'dry_run'");
    expect(message).toContain('did you mean dry-run? Inputs are spelled with hyphens');
    expect(message).not.toContain('"true"');
  });

  it('never shows the value of a misspelled secret', () => {
    const message = refusal({ INPUT_SECRET_KEY: 'my-secret-value' });
    expect(message).toContain('did you mean secret-key?');
    expect(message).not.toContain('my-secret-value');
  });

  it('names every undeclared input at once', () => {
    expect(refusal({ INPUT_DRY_RUN: 'true', INPUT_REGION: 'x' })).toContain('(also not declared: region)');
  });

  it("gives a peer action's input its equivalent here", () => {
    expect(suggestion('region', DECLARED_INPUTS)).toBe(
      'the equivalent input here is area (mainland, overseas, global) or site (china, intl)',
    );
    expect(suggestion('cdn-paths', DECLARED_INPUTS)).toContain('urls (file URLs) or paths');
    expect(suggestion('accesskeyid', DECLARED_INPUTS)).toBe('the equivalent input here is secret-id');
    expect(suggestion('eo-zoneid', DECLARED_INPUTS)).toBe('the equivalent input here is zone-id');
  });

  it('suggests the closest input within a third of the length, and nothing beyond', () => {
    expect(suggestion('urlz', DECLARED_INPUTS)).toBe('did you mean urls?');
    expect(suggestion('wiat-timeout', DECLARED_INPUTS)).toBe('did you mean wait-timeout?');
    expect(suggestion('colour', DECLARED_INPUTS)).toBe('remove it, or see the inputs table in the README');
  });

  it('maps a name with spaces as a runner does', () => {
    expect(inputVariable('dry-run')).toBe('INPUT_DRY-RUN');
    expect(inputVariable('a b')).toBe('INPUT_A_B');
  });
});
