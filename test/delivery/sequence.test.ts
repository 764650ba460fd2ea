import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { executeWith } from '../support/execute.js';
import type { FakeProvider } from '../support/fake-provider.js';

const urls = (n: number, prefix = 'https://www.example.com/f'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}.js`);

const kinds = (fake: FakeProvider): string[] => fake.calls.map((call) => call.kind);
const prefetched = (fake: FakeProvider): string[] =>
  fake.calls.filter((call) => call.kind === 'prefetch').flatMap((call) => call.targets);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('execute', () => {
  it('purges before it prefetches, and prefetches only what was purged', async () => {
    const { fake, execution } = await executeWith(
      { mode: 'purge-prefetch', urls: [...urls(100), ...urls(1, 'https://www.example.com/x')].join('\n') },
      {
        submit: (call) =>
          call.kind === 'purge-urls' && call.targets.includes('https://www.example.com/f0.js')
            ? new ApiError('InvalidParameter.UrlTooLong', 'too long', 'batch')
            : { taskIds: ['t'], requestId: undefined, refused: [] },
      },
    );
    expect(kinds(fake).lastIndexOf('purge-urls')).toBeLessThan(kinds(fake).indexOf('prefetch'));
    expect(prefetched(fake)).toEqual(['https://www.example.com/x0.js']);
    expect(execution.delivery.failed).toHaveLength(100);
    expect(execution.delivery.operations[1]?.skipped).toHaveLength(100);
  });

  it('waits for the purge tasks once every purge is answered, and leaves out of the prefetch what failed there', async () => {
    const { fake, execution, log } = await executeWith(
      { mode: 'purge-prefetch', urls: urls(3).join('\n'), paths: 'https://www.example.com/d/' },
      {
        describe: (kind) =>
          kind === 'purge-urls'
            ? { state: 'failed', failedTargets: ['https://www.example.com/f1.js'] }
            : { state: 'done', failedTargets: [] },
      },
    );
    // Both purges (URLs, directory) answered, then their two tasks read, then the prefetch.
    expect(kinds(fake)).toEqual(['purge-urls', 'purge-paths', 'prefetch']);
    expect(fake.statusReads).toEqual(['purge-urls task-1', 'purge-paths task-2']);
    expect(prefetched(fake)).toEqual(['https://www.example.com/f0.js', 'https://www.example.com/f2.js']);
    expect(execution.delivery.operations[2]?.skipped).toEqual(['https://www.example.com/f1.js']);
    expect(execution.delivery.failed).toEqual([]);
    expect(execution.tasks?.map((task) => task.state)).toEqual(['failed', 'done']);
    expect(execution.waitedForEveryTask).toBe(false);
    // The purge task IDs are in the log before the wait, each round of polling after it.
    expect(log.slice(0, 2)).toEqual([
      'PurgeUrls: task task-1 accepted 3 targets',
      'PurgePaths: task task-2 accepted 1 target',
    ]);
    expect(log[2]).toMatch(/^Waiting for 2 purge tasks to finish before the prefetch/);
    expect(log[3]).toBe('Polled 2 tasks after 0 s: 1 done, 0 running, 1 failed');
  });

  it('does not prefetch a URL whose directory purge failed, in its request or its task', async () => {
    const inD = urls(2, 'https://www.example.com/d/f');
    const inE = urls(2, 'https://www.example.com/e/f');
    const { fake, execution } = await executeWith(
      {
        mode: 'purge-prefetch',
        urls: [...inD, ...inE, ...urls(1)].join('\n'),
        paths: 'https://www.example.com/d/\nhttps://www.example.com/e/',
      },
      {
        // d/ refused in the request, e/ accepted but failed in its task.
        submit: (call) => ({
          taskIds: [`task-${call.kind}`],
          requestId: undefined,
          refused:
            call.kind === 'purge-paths'
              ? [{ url: 'https://www.example.com/d/', code: 'InvalidParameter', message: 'refused' }]
              : [],
        }),
        describe: (kind) =>
          kind === 'purge-paths'
            ? { state: 'failed', failedTargets: ['https://www.example.com/e/'] }
            : { state: 'done', failedTargets: [] },
      },
    );
    // Purged by their directories, not one by one.
    expect(fake.calls.filter((call) => call.kind === 'purge-urls').flatMap((call) => call.targets)).toEqual(
      urls(1),
    );
    expect(prefetched(fake)).toEqual(urls(1));
    expect(execution.delivery.operations[2]?.skipped).toEqual([...inD, ...inE]);
  });

  it('does not count the wait for the purges against the timeout, which bounds sending', async () => {
    const { fake, execution, log } = await executeWith(
      { mode: 'purge-prefetch', urls: urls(1).join('\n'), timeout: '10', 'wait-timeout': '60' },
      { describe: () => ({ state: 'running', failedTargets: [] }) },
    );
    expect(kinds(fake)).toEqual(['purge-urls', 'prefetch']);
    expect(execution.delivery.failed).toEqual([]);
    expect(log).toContain('1 purge task not known to be finished after 60 s; prefetching anyway.');
  });

  it('does not wait between phases when nothing is prefetched, or when an error stopped the run', async () => {
    const purgeOnly = await executeWith({ mode: 'purge', urls: urls(2).join('\n') });
    expect(purgeOnly.fake.statusReads).toEqual([]);
    expect(purgeOnly.execution.tasks).toBeUndefined();

    const denied = await executeWith(
      { mode: 'purge-prefetch', urls: urls(2).join('\n') },
      { submit: () => new ApiError('AuthFailure.SecretIdNotFound', 'no such key', 'run') },
    );
    expect(denied.fake.statusReads).toEqual([]);
    expect(kinds(denied.fake)).toEqual(['purge-urls']);
    expect(denied.execution.delivery.failed).toHaveLength(2);
    expect(denied.execution.delivery.stoppedBy?.code).toBe('AuthFailure.SecretIdNotFound');
  });

  it('gives the provider the time of each attempt: a retry ten minutes later is signed ten minutes later', async () => {
    const { fake, execution } = await executeWith(
      { urls: urls(1).join('\n') },
      {
        submit: (_call, index) => {
          if (index > 0) return { taskIds: ['t'], requestId: undefined, refused: [] };
          // The first attempt hangs for ten minutes, then fails in a way worth retrying.
          vi.setSystemTime(Date.now() + 10 * 60_000);
          return new ApiError('InternalError', 'try again', 'retry');
        },
      },
    );
    expect(execution.delivery.failed).toEqual([]);
    const [first = 0, second = 0] = fake.signedAt;
    // Ten minutes, and the backoff before the retry: half of 500 ms with random() = 0.5.
    expect(second - first).toBe(10 * 60_000 + 250);
  });

  it('waits for every task with wait, the purges before the prefetch only once', async () => {
    const { fake, execution } = await executeWith({
      mode: 'purge-prefetch',
      urls: urls(2).join('\n'),
      wait: 'true',
    });
    expect(fake.statusReads).toEqual(['purge-urls task-1', 'prefetch task-2']);
    expect(execution.tasks?.map((task) => `${task.kind} ${task.state}`)).toEqual([
      'purge-urls done',
      'prefetch done',
    ]);
    expect(execution.waitedForEveryTask).toBe(true);
  });
});
