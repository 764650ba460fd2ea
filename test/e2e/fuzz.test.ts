/**
 * A sample of the random input sets through the bundle, as a runner runs it (each run costs ~0.3 s, so the sample is
 * small; test/inputs/fuzz-run.test.ts runs 200 through run() in process, test/inputs/fuzz.test.ts thousands
 * through readSettings). Every run is a dry run: nothing can leave the machine. Each either succeeds, or fails with
 * exactly one ::error:: line that names an input; no stack trace, no workflow command but the action's own, no
 * secret-bearing value outside ::add-mask::.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environments, inputSets } from '../support/fuzz-inputs.js';
import { expectStepOutcome, withoutNul } from '../support/fuzz-step.js';
import { runAction } from '../support/run-action.js';

describe('the bundle under random inputs', () => {
  it('succeeds, or fails with one ::error:: line naming an input, and prints no secret', async () => {
    const exitCodes: number[] = [];
    await fc.assert(
      fc.asyncProperty(inputSets, environments, async (inputs, env) => {
        const run = await runAction(withoutNul({ ...inputs, 'dry-run': 'true' }), { env: withoutNul(env) });
        exitCodes.push(run.exitCode);
        expectStepOutcome(run);
      }),
      { numRuns: 12 },
    );
    // About a third of the sets are valid: both sides are reached (a sample without one has odds below 1 in 100).
    expect(exitCodes).toContain(0);
    expect(exitCodes).toContain(1);
  });
});
