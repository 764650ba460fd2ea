import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeliveryOptions, type DeliveryResult, deliver } from '../../src/delivery/engine.js';
import { realClock } from '../../src/delivery/pacing.js';
import { ApiError, type Disposition } from '../../src/errors.js';
import { type PlannedOperation, planOperations } from '../../src/plan/operations.js';
import type { BatchAccepted, Submit } from '../../src/providers/provider.js';
import { TENCENT_CDN_APIS } from '../../src/providers/tencent/cdn.js';
import type { OperationKind } from '../../src/settings.js';

const urls = (n: number, prefix = 'https://www.example.com/f'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}.js`);

interface Call {
  kind: OperationKind;
  targets: readonly string[];
  at: number;
}

/** A provider double: records every call and answers through `answer`. */
function fakeProvider(answer: (call: Call, index: number) => BatchAccepted | ApiError = () => ok()) {
  const calls: Call[] = [];
  const submit: Submit = async (kind, targets) => {
    const call = { kind, targets: [...targets], at: Date.now() };
    calls.push(call);
    const result = answer(call, calls.length - 1);
    if (result instanceof ApiError) throw result;
    return result;
  };
  return { calls, submit };
}

let taskCounter = 0;
const ok = (refused: BatchAccepted['refused'] = []): BatchAccepted => ({
  taskIds: [`task-${++taskCounter}`],
  requestId: `req-${taskCounter}`,
  refused,
});
const fail = (code: string, disposition: Disposition, mayHaveBeenAccepted = false): ApiError =>
  new ApiError(code, `${code} happened`, disposition, { requestId: 'req-x', mayHaveBeenAccepted });

/** What deliver logged as it went, in order. */
let logged: string[] = [];

const options = (overrides: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  maxAttempts: 5,
  concurrency: 8,
  clock: realClock,
  random: () => 0.5,
  log: { info: (line) => logged.push(line), warning: (line) => logged.push(`warning: ${line}`) },
  deadline: Number.POSITIVE_INFINITY,
  ...overrides,
});

async function run(
  operations: PlannedOperation[],
  submit: Submit,
  opts: Partial<DeliveryOptions> = {},
): Promise<DeliveryResult> {
  const promise = deliver(operations, submit, options(opts));
  await vi.runAllTimersAsync();
  return promise;
}

const purge = (targets: string[]) =>
  planOperations({ mode: 'purge', urls: targets, paths: [] }, TENCENT_CDN_APIS);

beforeEach(() => {
  // A provider that keeps answering "split" drives batches down to single targets: many timers, all finite.
  vi.useFakeTimers({ loopLimit: 1_000_000 });
  taskCounter = 0;
  logged = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('deliver', () => {
  it('splits 2,500 URLs into requests of at most 1,000 and reports task IDs in plan order', async () => {
    const provider = fakeProvider();
    const result = await run(purge(urls(2500)), provider.submit);
    expect(provider.calls.map((call) => call.targets.length).sort()).toEqual([1000, 1000, 500]);
    expect(provider.calls.flatMap((call) => call.targets).sort()).toEqual(urls(2500).sort());
    expect(result.failed).toEqual([]);
    const outcome = result.operations[0];
    expect(outcome?.batches.map((batch) => batch.targets[0])).toEqual([
      'https://www.example.com/f0.js',
      'https://www.example.com/f1000.js',
      'https://www.example.com/f2000.js',
    ]);
    expect(result.taskIds).toEqual(outcome?.batches.map((batch) => batch.accepted?.taskIds[0]));
  });

  it('retries a retryable error with backoff and counts the batch once', async () => {
    const provider = fakeProvider((_call, index) => (index < 2 ? fail('InternalError', 'retry') : ok()));
    const result = await run(purge(urls(3)), provider.submit);
    expect(provider.calls).toHaveLength(3);
    expect(result.failed).toEqual([]);
    expect(result.taskIds).toEqual(['task-1']);
    expect(result.operations[0]?.batches[0]?.attempts).toBe(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1,000 ms.
    expect((provider.calls[1]?.at ?? 0) - (provider.calls[0]?.at ?? 0)).toBe(250);
    expect((provider.calls[2]?.at ?? 0) - (provider.calls[1]?.at ?? 0)).toBe(500);
    expect(result.operations[0]?.log[0]).toContain(
      'attempt 1 of 5 failed: InternalError: InternalError happened',
    );
  });

  it('gives up after maxAttempts and lists every target of the batch in failed', async () => {
    const provider = fakeProvider(() => fail('RequestLimitExceeded', 'retry'));
    const result = await run(purge(urls(2)), provider.submit, { maxAttempts: 3 });
    expect(provider.calls).toHaveLength(3);
    expect(result.failed).toEqual(
      urls(2).map((url) => ({
        url,
        code: 'RequestLimitExceeded',
        message: 'PurgeUrlsCache: RequestLimitExceeded happened (RequestId req-x)',
      })),
    );
  });

  it('never retries a final error, and other batches go on', async () => {
    const provider = fakeProvider((call) =>
      call.targets[0] === 'https://www.example.com/f0.js'
        ? fail('ResourceNotFound.CdnHostNotExists', 'batch')
        : ok(),
    );
    const result = await run(purge(urls(1500)), provider.submit);
    expect(provider.calls).toHaveLength(2);
    expect(result.failed).toHaveLength(1000);
    expect(result.failed[0]?.code).toBe('ResourceNotFound.CdnHostNotExists');
    expect(result.taskIds).toHaveLength(1);
  });

  it('re-signs once on SignatureExpire, then stops', async () => {
    const provider = fakeProvider(() => fail('AuthFailure.SignatureExpire', 'retry-once'));
    const result = await run(purge(urls(1)), provider.submit);
    expect(provider.calls).toHaveLength(2);
    expect(result.failed[0]?.code).toBe('AuthFailure.SignatureExpire');
  });

  it('stops the whole run on an auth error: nothing else is sent and every target is in failed', async () => {
    const provider = fakeProvider(() => fail('AuthFailure.SignatureFailure', 'run'));
    const operations = planOperations(
      { mode: 'purge-prefetch', urls: urls(2500), paths: ['https://www.example.com/d/'] },
      TENCENT_CDN_APIS,
    );
    const purges = operations.filter((operation) => operation.phase === 0);
    const result = await run(purges, provider.submit, { concurrency: 1 });
    expect(provider.calls.map((call) => call.kind)).toEqual(['purge-urls']);
    // 2,500 URL purges and 1 directory purge fail; the prefetch skips what its purge failed.
    expect(result.failed).toHaveLength(2501);
    expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['AuthFailure.SignatureFailure']));
    // The first batch failed with the error itself; the other 1,500 URLs and the directory were never sent.
    expect(result.failed.filter((f) => f.message.includes('not sent: stopped after'))).toHaveLength(1501);
    expect(result.stoppedBy?.code).toBe('AuthFailure.SignatureFailure');
    const prefetch = await run(
      operations.filter((operation) => operation.phase === 1),
      provider.submit,
      { earlier: { outcomes: result.operations, failedInTasks: new Set() }, stoppedBy: result.stoppedBy },
    );
    expect(provider.calls).toHaveLength(1);
    expect(prefetch.operations[0]?.skipped).toHaveLength(2500);
  });

  it('stops only its own operation on a quota error', async () => {
    const provider = fakeProvider((call) =>
      call.kind === 'purge-urls' ? fail('LimitExceeded.CdnPurgeUrlExceedDayLimit', 'operation') : ok(),
    );
    const operations = planOperations(
      { mode: 'purge', urls: urls(3000), paths: ['https://www.example.com/d/'] },
      TENCENT_CDN_APIS,
    );
    const result = await run(operations, provider.submit, { concurrency: 1 });
    expect(provider.calls.filter((call) => call.kind === 'purge-urls')).toHaveLength(1);
    expect(provider.calls.filter((call) => call.kind === 'purge-paths')).toHaveLength(1);
    expect(result.failed).toHaveLength(3000);
    expect(result.taskIds).toHaveLength(1);
  });

  it('when the daily quota runs out mid-run, stops that API at once and says how many were left and when it resets', async () => {
    // Two batches go through, then another job has spent the rest: every later request would be refused.
    const provider = fakeProvider((_call, index) =>
      index < 2
        ? ok()
        : new ApiError('LimitExceeded.CdnPurgeUrlExceedDayLimit', 'Daily limit exceeded.', 'operation', {
            requestId: 'req-q',
            dailyQuota: true,
          }),
    );
    const [planned] = purge(urls(5000));
    if (!planned) throw new Error('no operation');
    const operation: PlannedOperation = {
      ...planned,
      quota: {
        batchSize: 1000,
        available: 5000,
        total: 10_000,
        scope: 'mainland',
        basis: 'read from DescribeDomains: www.example.com is served in mainland',
        resets: 'at midnight Beijing time (UTC+8), 16:00 UTC',
      },
    };
    const result = await run([operation], provider.submit, { concurrency: 1 });
    expect(provider.calls).toHaveLength(3);
    expect(result.taskIds).toHaveLength(2);
    expect(result.failed.map((failure) => failure.url)).toEqual(urls(5000).slice(2000));
    expect(new Set(result.failed.map((failure) => failure.code))).toEqual(
      new Set(['LimitExceeded.CdnPurgeUrlExceedDayLimit']),
    );
    const expected =
      "PurgeUrlsCache: today's quota ran out during the run (LimitExceeded.CdnPurgeUrlExceedDayLimit: Daily limit exceeded.). 5,000 of 10,000 were left when the plan read it (mainland: read from DescribeDomains: www.example.com is served in mainland); this run had 2,000 accepted, so other purges or prefetches took the rest meanwhile. Not accepted; the quota starts afresh at midnight Beijing time (UTC+8), 16:00 UTC.";
    expect(result.failed[0]?.message).toBe(`${expected} (RequestId req-q)`);
    expect(result.failed.at(-1)?.message).toBe(`${expected} (RequestId req-q)`);
  });

  it('halves a batch the provider calls too large', async () => {
    const provider = fakeProvider((call) =>
      call.targets.length > 300 ? fail('LimitExceeded.CdnPurgeUrlExceedBatchLimit', 'split') : ok(),
    );
    const result = await run(purge(urls(1000)), provider.submit);
    expect(provider.calls.map((call) => call.targets.length)).toEqual([1000, 500, 500, 250, 250, 250, 250]);
    expect(result.failed).toEqual([]);
    expect(result.taskIds).toHaveLength(4);
    expect(result.operations[0]?.batches.flatMap((batch) => batch.targets)).toEqual(urls(1000));
  });

  it('counts targets the provider refused inside an accepted batch as failed, and only those', async () => {
    const provider = fakeProvider((call) =>
      ok([{ url: call.targets[1] ?? '', code: 'EnableCaches.FailUrl', message: 'could not unblock' }]),
    );
    const operations = planOperations({ mode: 'unblock', urls: urls(3), paths: [] }, TENCENT_CDN_APIS);
    const result = await run(operations, provider.submit);
    expect(result.failed).toEqual([
      { url: 'https://www.example.com/f1.js', code: 'EnableCaches.FailUrl', message: 'could not unblock' },
    ]);
  });

  it('leaves out of an operation with after what failed in the phase before, in its request or its task', async () => {
    const provider = fakeProvider();
    const [purgeUrls, prefetch] = planOperations(
      { mode: 'purge-prefetch', urls: urls(3), paths: [] },
      TENCENT_CDN_APIS,
    );
    if (!purgeUrls || !prefetch) throw new Error('expected a purge and a prefetch');
    const before = await run([purgeUrls], fakeProvider(() => fail('InvalidParameter', 'batch')).submit);
    const result = await run([prefetch], provider.submit, {
      earlier: { outcomes: before.operations, failedInTasks: new Set(['https://www.example.com/f1.js']) },
    });
    expect(provider.calls).toEqual([]);
    expect(result.operations[0]?.skipped).toEqual(urls(3));

    const fine = await run([purgeUrls], fakeProvider().submit);
    const second = await run([prefetch], provider.submit, {
      earlier: { outcomes: fine.operations, failedInTasks: new Set(['https://www.example.com/f1.js']) },
    });
    expect(provider.calls.flatMap((call) => call.targets)).toEqual([
      'https://www.example.com/f0.js',
      'https://www.example.com/f2.js',
    ]);
    expect(second.operations[0]?.skipped).toEqual(['https://www.example.com/f1.js']);
  });

  it('sends nothing after an error stopped the run in the phase before', async () => {
    const provider = fakeProvider();
    const stop = fail('AuthFailure.SecretIdNotFound', 'run');
    const result = await run(purge(urls(2)), provider.submit, { stoppedBy: stop });
    expect(provider.calls).toEqual([]);
    expect(result.failed.map((failure) => failure.code)).toEqual([
      'AuthFailure.SecretIdNotFound',
      'AuthFailure.SecretIdNotFound',
    ]);
    expect(result.stoppedBy).toBe(stop);
  });

  it('logs that a request which got no answer may have been accepted before it is resent', async () => {
    const provider = fakeProvider((_call, index) => (index === 0 ? fail('Timeout', 'retry', true) : ok()));
    const result = await run(purge(urls(1)), provider.submit);
    expect(result.ambiguousResends).toBe(1);
    expect(result.operations[0]?.log[0]).toContain('may have reached the provider and been accepted');
  });

  it('never starts more than the API rate in any window of one second', async () => {
    const provider = fakeProvider();
    await run(purge(urls(60_000)), provider.submit);
    expect(provider.calls).toHaveLength(60);
    const starts = provider.calls.map((call) => call.at).sort((a, b) => a - b);
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(20);
    }
  });

  it('sends nothing new after the deadline and lists what was not sent', async () => {
    const submit: Submit = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return ok();
    };
    const result = await run(purge(urls(5000)), submit, { concurrency: 1, deadline: Date.now() + 2500 });
    expect(result.taskIds).toHaveLength(3);
    expect(result.failed).toHaveLength(2000);
    expect(result.failed[0]).toEqual({
      url: 'https://www.example.com/f3000.js',
      code: 'ActionTimeout',
      message:
        'PurgeUrlsCache: not sent: stopped after ActionTimeout: the timeout input ran out before every request was sent',
    });
  });

  it('never keeps more requests in flight than the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const submit: Submit = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 200));
      inFlight -= 1;
      return ok();
    };
    const operations = planOperations(
      {
        mode: 'purge',
        urls: urls(20_000),
        paths: urls(200, 'https://www.example.com/d').map((u) => `${u}/`),
      },
      TENCENT_CDN_APIS,
    );
    await run(operations, submit, { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it('accounts for every target exactly once, whatever the provider answers', async () => {
    const dispositions: Array<Disposition | 'ok'> = [
      'ok',
      'retry',
      'retry-once',
      'split',
      'batch',
      'operation',
      'run',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...dispositions), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 2600 }),
        async (script, n) => {
          const provider = fakeProvider((_call, index) => {
            const next = script[index % script.length] ?? 'ok';
            return next === 'ok' ? ok() : fail(`E.${next}`, next);
          });
          const targets = urls(n);
          // Accounting, not pacing, is under test: a high rate keeps the virtual clock short.
          const operations = purge(targets).map((op) => ({ ...op, api: { ...op.api, ratePerSecond: 1000 } }));
          const result = await run(operations, provider.submit, { concurrency: 2 });
          const accepted = (result.operations[0]?.batches ?? [])
            .filter((b) => b.accepted)
            .flatMap((b) => b.targets);
          const failed = result.failed.map((f) => f.url);
          expect([...accepted, ...failed].sort()).toEqual([...targets].sort());
        },
      ),
      { numRuns: 60 },
    );
  });

  it("logs each batch's task IDs as soon as it is accepted, before the next batch is sent", async () => {
    let loggedBeforeSecondCall: string[] = [];
    const provider = fakeProvider((_call, index) => {
      if (index === 1) loggedBeforeSecondCall = [...logged];
      return ok();
    });
    await run(purge(urls(1500)), provider.submit, { concurrency: 1 });
    expect(loggedBeforeSecondCall).toEqual(['PurgeUrlsCache: task task-1 accepted 1000 targets']);
    expect(logged).toEqual([
      'PurgeUrlsCache: task task-1 accepted 1000 targets',
      'PurgeUrlsCache: task task-2 accepted 500 targets',
    ]);
  });

  it('logs the progress of a long submission every 5 s of its clock, and its final figures', async () => {
    // One request a second: the 5th answer comes exactly 5 s after the start, the 4th one second short of it.
    const submit: Submit = async (_kind, targets) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (targets[0] === 'https://www.example.com/f2000.js')
        throw new ApiError('InvalidParameter', 'bad', 'batch');
      return ok([{ url: targets[0] ?? '', code: 'FailedList', message: 'refused' }]);
    };
    await run(purge(urls(12_000)), submit, { concurrency: 1 });
    expect(logged.filter((line) => !line.includes(' task '))).toEqual([
      'PurgeUrlsCache: 5000 of 12000 targets sent (3996 accepted, 1004 failed), 1000 targets/s, 5 s',
      'PurgeUrlsCache: 10000 of 12000 targets sent (8991 accepted, 1009 failed), 1000 targets/s, 10 s',
      'PurgeUrlsCache: done: 12000 of 12000 targets sent (10989 accepted, 1011 failed), 1000 targets/s, 12 s',
    ]);
    expect(logged.filter((line) => line.includes(' task '))).toHaveLength(11);
  });

  it('names every task of a request that created several', async () => {
    const provider = fakeProvider(() => ({ taskIds: ['a1', 'a2'], requestId: undefined, refused: [] }));
    await run(purge(urls(2)), provider.submit);
    expect(logged).toEqual(['PurgeUrlsCache: tasks a1, a2 accepted 2 targets']);
  });

  it('logs no progress figures for a submission shorter than 5 s', async () => {
    const provider = fakeProvider();
    await run(purge(urls(20_000)), provider.submit);
    expect(logged).toHaveLength(20);
    expect(logged.every((line) => / task task-\d+ accepted 1000 targets$/.test(line))).toBe(true);
  });
});
