/**
 * What a step run with random inputs (test/support/fuzz-inputs.ts) must show, through the bundle or in process:
 * it succeeds, or fails with exactly one ::error:: line that names an input; no stack trace, no workflow command
 * but the action's own, no secret-bearing value outside ::add-mask::.
 */
import { expect } from 'vitest';
import { DECLARED_INPUTS, SECRET_MARKER } from './fuzz-inputs.js';
import type { ActionRun } from './run-action.js';

/** A runner cannot put a NUL in an environment variable. */
export const withoutNul = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.replaceAll('\0', '')]));

const namesAnInput = (message: string): boolean =>
  DECLARED_INPUTS.some(
    (input) => message.startsWith(`Input '${input}' `) || message.startsWith(`${input}: `),
  );

export function expectStepOutcome(run: ActionRun): void {
  const lines = run.stdout.split('\n');
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
  expect(lines.filter((line) => line.includes(SECRET_MARKER) && !line.startsWith('::add-mask::'))).toEqual(
    [],
  );
}
