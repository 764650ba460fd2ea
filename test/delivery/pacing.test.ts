/**
 * Pacing on a fake clock: the start times are exact and no real time passes, so the assertions hold however
 * loaded the machine is.
 */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/delivery/pacing.js';
import { FakeClock } from '../support/fake-clock.js';
import { fakeProvider } from '../support/fake-provider.js';
import { runInProcess } from '../support/run-in-process.js';

/** The most of `starts` that fall in any window of `windowMs` that opens at one of them. */
function busiestWindow(starts: readonly number[], windowMs: number): number {
  return Math.max(...starts.map((start) => starts.filter((t) => t >= start && t < start + windowMs).length));
}

describe('RateLimiter', () => {
  it('lets 20 requests start in any 1.15 s, the 21st exactly 1.15 s after the first, each 15 ms after the one before', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(20, clock);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async () => {
        await limiter.acquire();
        starts.push(clock.now());
      }),
    );
    expect(starts.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 15));
    expect(starts[20]).toBe(1150);
    expect(starts[40]).toBe(2300);
    expect(busiestWindow(starts, 1150)).toBe(20);
    expect(busiestWindow(starts, 1151)).toBe(21);
  });

  it('lets a request start at once when the window has room', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(20, clock);
    await limiter.acquire();
    clock.advance(5000);
    await limiter.acquire();
    expect(clock.now()).toBe(5000);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('pacing through run()', () => {
  it('paces 60 batches of one API to its rate in every window of 1.15 s', async () => {
    const fake = fakeProvider();
    const urls = Array.from({ length: 6000 }, (_, i) => `https://www.example.com/assets/${i}.js`);
    const run = await runInProcess(
      {
        provider: 'fake-cdn',
        'urls-file': 'urls.txt',
        coalesce: 'off',
        'secret-id': 'id',
        'secret-key': 'key',
      },
      [fake.definition],
      {},
      { files: { 'urls.txt': urls.join('\n') } },
    );
    expect(run.errors).toEqual([]);
    expect(fake.calls).toHaveLength(60);
    const starts = [...fake.signedAt].sort((a, b) => a - b);
    expect(busiestWindow(starts, 1150)).toBe(20);
    expect((starts[20] ?? 0) - (starts[0] ?? 0)).toBe(1150);
  });
});
