/**
 * The bulk of the random input sets through run() in process, as dry runs: each either succeeds, or fails with
 * exactly one ::error:: line that names an input, with no stack trace, no workflow command but the action's own and
 * no secret-bearing value outside ::add-mask::. test/e2e/fuzz.test.ts runs a small sample through the bundle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environments, inputSets } from '../support/fuzz-inputs.js';
import { expectStepOutcome, withoutNul } from '../support/fuzz-step.js';
import { runInProcess } from '../support/run-in-process.js';

describe('run() under random inputs', () => {
  it('succeeds, or fails with one ::error:: line naming an input, and prints no secret', async () => {
    const exitCodes: number[] = [];
    await fc.assert(
      fc.asyncProperty(inputSets, environments, async (inputs, env) => {
        const run = await runInProcess(
          withoutNul({ ...inputs, 'dry-run': 'true' }),
          undefined,
          withoutNul(env),
        );
        exitCodes.push(run.exitCode);
        expectStepOutcome(run);
      }),
      { numRuns: 200 },
    );
    // About a third of the sets are valid: both sides are reached.
    expect(exitCodes.filter((code) => code === 0).length).toBeGreaterThan(20);
    expect(exitCodes.filter((code) => code === 1).length).toBeGreaterThan(20);
  });
});
