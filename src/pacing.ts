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
 * Lets at most `limit` requests start in any window of `windowMs`. The window is a little longer than the
 * provider's second so that latency jitter cannot bunch two windows' requests into one second at the server.
 */
export class RateLimiter {
  private readonly starts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 1050,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep((this.starts[0] ?? now) + this.windowMs - now);
    }
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
