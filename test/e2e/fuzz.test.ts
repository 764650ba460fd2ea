/**
 * A sample of the random input sets through the bundle, as a runner runs it (each run costs ~0.3 s, so the sample is
 * small; test/inputs/fuzz.test.ts runs thousands in process). Every run is a dry run: nothing can leave the machine.
 * Each either succeeds, or fails with exactly one ::error:: line that names an input; no stack trace, no workflow
 * command but the action's own, no secret-bearing value outside ::add-mask::.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECLARED_INPUTS, environments, inputSets, SECRET_MARKER } from '../support/fuzz-inputs.js';
import { runAction } from '../support/run-action.js';

/** A runner cannot put a NUL in an environment variable. */
const withoutNul = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.replaceAll('\0', '')]));

const namesAnInput = (message: string): boolean =>
  DECLARED_INPUTS.some(
    (input) => message.startsWith(`Input '${input}' `) || message.startsWith(`${input}: `),
  );

describe('the bundle under random inputs', () => {
  it('succeeds, or fails with one ::error:: line naming an input, and prints no secret', async () => {
    const exitCodes: number[] = [];
    await fc.assert(
      fc.asyncProperty(inputSets, environments, async (inputs, env) => {
        const run = await runAction(withoutNul({ ...inputs, 'dry-run': 'true' }), { env: withoutNul(env) });
        const lines = run.stdout.split('\n');
        exitCodes.push(run.exitCode);
        if (run.exitCode !== 0) {
          expect(run.exitCode).toBe(1);
          expect(run.errors).toHaveLength(1);
          expect(namesAnInput(run.errors[0] ?? '')).toBe(true);
        } else {
          expect(run.errors).toEqual([]);
        }
        expect(run.stderr).toBe('');
        expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        for (const line of lines.filter((line) => line.startsWith('::'))) {
          expect(line).toMatch(/^::(add-mask|error|warning|notice|debug|group|endgroup)::/);
        }
        expect(
          lines.filter((line) => line.includes(SECRET_MARKER) && !line.startsWith('::add-mask::')),
        ).toEqual([]);
      }),
      { numRuns: 24 },
    );
    // About a third of the sets are valid: both sides are reached (a sample without one has odds below 1 in 10,000).
    expect(exitCodes).toContain(0);
    expect(exitCodes).toContain(1);
  });
});
