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
 * Lets at most `limit` requests start in any window of `windowMs`: a start waits until the start `limit` places
 * before it is a whole window old. The window is 1.15 s, so 150 ms of network and scheduling jitter cannot bunch
 * two windows' requests into one second at the provider. Starts are also at least a quarter of `windowMs / limit`
 * apart, so that a window's requests are not signed and sent all at once, which would add jitter of its own.
 */
export class RateLimiter {
  /** The start times of the last `limit` requests, oldest first. */
  private readonly starts: number[] = [];
  private readonly gap: number;

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 1150,
  ) {
    this.gap = Math.ceil(windowMs / limit / 4);
  }

  async acquire(): Promise<void> {
    const now = this.clock.now();
    const previous = this.starts.at(-1) ?? Number.NEGATIVE_INFINITY;
    const windowOpens =
      this.starts.length < this.limit ? Number.NEGATIVE_INFINITY : (this.starts[0] ?? 0) + this.windowMs;
    // The slot is taken now, before waiting, so that concurrent callers line up behind each other.
    const start = Math.max(now, previous + this.gap, windowOpens);
    this.starts.push(start);
    if (this.starts.length > this.limit) this.starts.shift();
    if (start > now) await this.clock.sleep(start - now);
  }
}

/** One limiter per API action, made on first use: every caller of an action shares its pace. */
export function limiterPerAction(
  clock: Clock,
): (api: { action: string; ratePerSecond: number }) => RateLimiter {
  const limiters = new Map<string, RateLimiter>();
  return ({ action, ratePerSecond }) => {
    let limiter = limiters.get(action);
    if (!limiter) {
      limiter = new RateLimiter(ratePerSecond, clock);
      limiters.set(action, limiter);
    }
    return limiter;
  };
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
