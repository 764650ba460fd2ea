export interface Clock {
  /** Milliseconds, monotonic enough for pacing. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Lets at most `limit` requests start in any window of `windowMs` by spacing starts evenly, `windowMs / limit`
 * apart: `limit + 1` starts then span a whole window. Even spacing, rather than bursts of `limit`, and a window a
 * little longer than the provider's second leave 100 ms for network and scheduling jitter before two requests
 * could reach the provider closer together than it counts.
 */
export class RateLimiter {
  private next = Number.NEGATIVE_INFINITY;
  private readonly interval: number;

  constructor(
    limit: number,
    private readonly clock: Clock,
    windowMs = 1100,
  ) {
    this.interval = windowMs / limit;
  }

  async acquire(): Promise<void> {
    const now = this.clock.now();
    const start = Math.max(now, this.next);
    this.next = start + this.interval;
    if (start > now) await this.clock.sleep(start - now);
  }
}

/** Bounds how many requests are in flight at once. */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(private readonly capacity: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base · 2^(attempt−1))). */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500, capMs = 10_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}
