/** The run's sequence against the fake provider, on the fake clock: what the tests of src/delivery/ drive. */
import { vi } from 'vitest';
import { realClock } from '../../src/delivery/pacing.js';
import { type Execution, type ExecutionDeps, execute } from '../../src/delivery/sequence.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { coalescingOf } from '../../src/plan/coalesce.js';
import { planOperations, planTargets } from '../../src/plan/operations.js';
import { type FakeProvider, type FakeScripts, fakeProvider } from './fake-provider.js';

/**
 * Runs the whole sequence against the fake provider with these inputs (keys and provider given), `deps` over the
 * defaults; the test must have turned fake timers on. `deps` may be a function of the fake, to see its calls.
 */
export async function executeWith(
  inputs: Record<string, string>,
  scripts: FakeScripts = {},
  deps: (fake: FakeProvider) => Partial<ExecutionDeps> = () => ({}),
): Promise<{ fake: FakeProvider; execution: Execution; log: string[] }> {
  const fake = fakeProvider(scripts);
  const all: Record<string, string> = {
    provider: 'fake-cdn',
    'secret-id': 'id',
    'secret-key': 'key',
    ...inputs,
  };
  const { settings, provider } = readSettings(
    { read: (name) => all[name] ?? '', env: {}, workspace: '/tmp' },
    [fake.definition],
  );
  const log: string[] = [];
  const promise = execute(
    settings,
    provider,
    planOperations(planTargets(settings, undefined), provider.apis),
    coalescingOf(settings, undefined),
    {
      log: {
        info: (line) => log.push(line),
        warning: (line) => log.push(line),
        error: (line) => log.push(line),
      },
      getIdToken: async () => 'token',
      mask: () => undefined,
      env: {},
      clock: realClock,
      random: () => 0.5,
      ...deps(fake),
    },
  );
  await vi.runAllTimersAsync();
  return { fake, execution: await promise, log };
}
