import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EdgeAnswer, EdgeFetch } from '../../src/delivery/edge-fetch.js';
import { realClock } from '../../src/delivery/pacing.js';
import { ApiError, TransportError } from '../../src/errors.js';
import type { ExpectedContent } from '../../src/targets/expected-content.js';
import { executeWith } from '../support/execute.js';
import type { FakeProvider, FakeScripts } from '../support/fake-provider.js';

const B = 'https://www.example.com/';
const [A_HTML, B_JS, C_CSS, D_PNG] = [`${B}a.html`, `${B}b.js`, `${B}c.css`, `${B}d.png`];

/**
 * The expectations a content manifest would give: each URL's new hash and its previous one. Any source of
 * changed files plugs in this way.
 */
const manifest: ExpectedContent = {
  expectationOf: async (url) => ({
    expected: { kind: 'file', sha256: `new ${url}`, size: undefined },
    previousSha256: `old ${url}`,
    path: url.slice(B.length),
  }),
};

const body = (sha256: string): EdgeAnswer => ({
  url: '',
  status: 200,
  sha256,
  bytes: 10,
  cut: false,
  ageSeconds: undefined,
  location: undefined,
});

/**
 * An edge that serves each URL's old body until it has seen `purgesToFresh[url]` purges of it (default 1), and a
 * transport error for `broken`; it records every fetch with the purges done by then, and the most in flight at once.
 */
function fakeEdge(fake: () => FakeProvider, purgesToFresh: Record<string, number>, broken: string[] = []) {
  const fetched: Array<{ url: string; purgesSoFar: number }> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const fetch: EdgeFetch = async (url) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await realClock.sleep(100);
    inFlight -= 1;
    const purgesSoFar = fake().calls.filter((call) => call.targets.includes(url)).length;
    fetched.push({ url, purgesSoFar });
    if (broken.includes(url)) throw new TransportError('Timeout', 'no response within 30000 ms', true);
    return body(purgesSoFar >= (purgesToFresh[url] ?? 1) ? `new ${url}` : `old ${url}`);
  };
  return { fetch, fetched, mostInFlight: () => mostInFlight };
}

function verifyWith(
  inputs: Record<string, string>,
  edge: (fake: () => FakeProvider) => EdgeFetch,
  scripts: FakeScripts = {},
) {
  return executeWith(inputs, scripts, (fake) => ({ expected: manifest, edgeFetch: edge(() => fake) }));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('verify', () => {
  it('purges the stale URLs once more after the tasks are done, checks them again, and lists those still stale', async () => {
    let edge: ReturnType<typeof fakeEdge> | undefined;
    const { fake, execution, log } = await verifyWith(
      { urls: [A_HTML, B_JS, C_CSS, D_PNG].join('\n'), verify: 'fail' },
      (provider) => {
        edge = fakeEdge(provider, { [B_JS]: 2, [C_CSS]: 3 }, [D_PNG]);
        return edge.fetch;
      },
    );
    expect(fake.calls).toEqual([
      { kind: 'purge-urls', targets: [A_HTML, B_JS, C_CSS, D_PNG] },
      { kind: 'purge-urls', targets: [B_JS, C_CSS] },
    ]);
    // Fetched only once each purge's task was read done: the first round after the first purge, the second after
    // the second one.
    expect(fake.statusReads).toEqual(['purge-urls task-1', 'purge-urls task-2']);
    expect(edge?.fetched.map(({ url, purgesSoFar }) => `${url} ${purgesSoFar}`).sort()).toEqual(
      [`${A_HTML} 1`, `${B_JS} 1`, `${C_CSS} 1`, `${D_PNG} 1`, `${B_JS} 2`, `${C_CSS} 2`].sort(),
    );
    const verification = execution.verification;
    expect(verification?.stale).toEqual([{ url: C_CSS, reason: 'serves the version before the deploy' }]);
    expect(verification?.taskIds).toEqual(['task-2']);
    expect(verification?.checked.map(({ url, verdict, first }) => [url, verdict, first])).toEqual([
      [A_HTML, 'fresh', undefined],
      [B_JS, 'fresh', 'stale'],
      [C_CSS, 'stale', 'stale'],
      [D_PNG, 'error', undefined],
    ]);
    expect(log).toContain(`verify: could not check ${D_PNG}: no response within 30000 ms`);
    expect(log).toContain('verify: 4 checked: 2 fresh, 1 stale, 0 differs, 1 error.');
  });

  it('keeps a URL stale, with the reason, when its second purge is refused; it is not fetched again', async () => {
    let edge: ReturnType<typeof fakeEdge> | undefined;
    const { execution } = await verifyWith(
      { urls: [A_HTML, B_JS].join('\n'), verify: 'warn' },
      (provider) => {
        edge = fakeEdge(provider, { [B_JS]: 2 });
        return edge.fetch;
      },
      {
        submit: (_call, index) =>
          index === 0
            ? { taskIds: ['task-1'], requestId: undefined, refused: [] }
            : new ApiError('LimitExceeded', 'daily quota used up', 'operation'),
      },
    );
    expect(execution.verification?.stale).toEqual([
      { url: B_JS, reason: 'serves the version before the deploy; the second purge failed (LimitExceeded)' },
    ]);
    expect(edge?.fetched.map((fetch) => fetch.url)).toEqual([A_HTML, B_JS]);
  });

  it('keeps a URL stale when the task of its second purge fails', async () => {
    const { execution } = await verifyWith(
      { urls: B_JS, verify: 'fail' },
      (provider) => fakeEdge(provider, { [B_JS]: 2 }).fetch,
      {
        describe: (_kind, taskId) =>
          taskId === 'task-2'
            ? { state: 'failed', failedTargets: [B_JS] }
            : { state: 'done', failedTargets: [] },
      },
    );
    expect(execution.verification?.stale).toEqual([
      { url: B_JS, reason: 'serves the version before the deploy; the second purge failed (TaskFailed)' },
    ]);
    expect(execution.delivery.failed).toEqual([]);
  });

  it('fetches at most verify-limit URLs, 4 at a time', async () => {
    let edge: ReturnType<typeof fakeEdge> | undefined;
    const urls = Array.from({ length: 30 }, (_, i) => `${B}f${i}.js`);
    const { execution } = await verifyWith(
      { urls: urls.join('\n'), verify: 'fail', 'verify-limit': '10' },
      (p) => {
        edge = fakeEdge(p, {});
        return edge.fetch;
      },
    );
    expect(edge?.fetched).toHaveLength(10);
    expect(edge?.mostInFlight()).toBe(4);
    expect(execution.verification?.candidates).toBe(30);
    expect(execution.verification?.stale).toEqual([]);
  });

  it('leaves out the URLs whose purge failed, and fetches nothing while a task is not known to be finished', async () => {
    let edge: ReturnType<typeof fakeEdge> | undefined;
    const failing = await verifyWith(
      { urls: [A_HTML, B_JS].join('\n'), verify: 'fail' },
      (p) => {
        edge = fakeEdge(p, {});
        return edge.fetch;
      },
      { describe: () => ({ state: 'failed', failedTargets: [B_JS] }) },
    );
    expect(edge?.fetched.map((fetch) => fetch.url)).toEqual([A_HTML]);
    expect(failing.execution.verification?.candidates).toBe(1);

    const running = await verifyWith(
      { urls: A_HTML, verify: 'fail', 'wait-timeout': '10' },
      (p) => {
        edge = fakeEdge(p, {});
        return edge.fetch;
      },
      { describe: () => ({ state: 'running', failedTargets: [] }) },
    );
    expect(edge?.fetched).toEqual([]);
    expect(running.execution.verification).toBeUndefined();
    expect(running.log).toContain(
      'verify: 1 task not known to be finished within wait-timeout, so the edge was not checked: a copy fetched now could still be purged. Give wait-timeout more time.',
    );
  });
});
