/** The mutable state of the emulator apart from tasks: rate windows, daily quotas and faults. */
import type { Fault, QuotaArea } from '../tencent-cdn/types.js';

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same sequence in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * At most `limit` requests per key (the action) in any 1 s window. Only admitted requests are counted: a client
 * that is refused and waits gets through as soon as the window has room again.
 */
export class SlidingWindowLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: number | undefined) {}

  tryAdmit(key: string, nowMs: number): boolean {
    if (this.limit === undefined) return true;
    const recent = (this.admitted.get(key) ?? []).filter((at) => nowMs - at < 1000);
    const admit = recent.length < this.limit;
    if (admit) recent.push(nowMs);
    this.admitted.set(key, recent);
    return admit;
  }
}

export type QuotaKind = 'purgeUrls' | 'purgePaths' | 'pushUrls';

/** The regions of the CDN quotas. */
export const QUOTA_AREAS: readonly QuotaArea[] = ['mainland', 'overseas'];
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/**
 * Targets per day, per kind and per scope (a CDN region, an EdgeOne zone), as the provider counts them: a new
 * day starts at midnight Beijing time (UTC+8). A request takes from every scope it covers, all or nothing.
 */
export class DailyQuotaBook<Kind extends string = QuotaKind> {
  private day = '';
  private used = new Map<string, number>();

  constructor(
    private readonly totals: Readonly<Record<Kind, number>>,
    private readonly now: () => number,
  ) {}

  total(kind: Kind): number {
    return this.totals[kind];
  }

  available(kind: Kind, scope: string): number {
    this.rollOver();
    return Math.max(0, this.totals[kind] - (this.used.get(`${kind}/${scope}`) ?? 0));
  }

  /** Takes `count` from each of `scopes` if every one has that much left; otherwise takes nothing. */
  tryConsume(kind: Kind, scopes: readonly string[], count: number): boolean {
    if (scopes.some((scope) => this.available(kind, scope) < count)) return false;
    for (const scope of scopes) {
      const key = `${kind}/${scope}`;
      this.used.set(key, (this.used.get(key) ?? 0) + count);
    }
    return true;
  }

  private rollOver(): void {
    const today = new Date(this.now() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.used = new Map();
    }
  }
}

/** Where a fault came from: `failNext`, or a draw of the seeded RNG under `faultRate`. */
export type AppliedFault = Fault & { source: 'scripted' | 'random' };

/** What a flaky network, gateway or cdn backend does now and then, drawn under `faultRate`. */
export const CDN_RANDOM_FAULTS: readonly Fault[] = [
  { kind: 'drop' },
  { kind: 'http', status: 502 },
  { kind: 'error', code: 'InternalError', message: 'An internal error occurred (emulated).' },
  { kind: 'error', code: 'RequestLimitExceeded', message: 'The request rate limit was exceeded (emulated).' },
];

/** The same for teo, which also throttles with LimitExceeded.RateLimitExceeded and locks zones for a while. */
export const TEO_RANDOM_FAULTS: readonly Fault[] = [
  ...CDN_RANDOM_FAULTS,
  {
    kind: 'error',
    code: 'LimitExceeded.RateLimitExceeded',
    message: 'The request frequency limit was exceeded (emulated).',
  },
  {
    kind: 'error',
    code: 'OperationDenied.ResourceLockedTemporary',
    message: 'The resource is temporarily locked, please try again later (emulated).',
  },
];

/**
 * Scripted faults first, in the order given, each one for the next request of its action (or of any action);
 * when none applies, a random fault with probability `rate`. The RNG is drawn only when `rate` > 0 and no
 * scripted fault applies, so the random sequence depends only on the seed and the requests that reach it.
 */
export class FaultPlan {
  private readonly scripted: Fault[] = [];
  private readonly random: () => number;

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly randomFaults: readonly Fault[] = CDN_RANDOM_FAULTS,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`faultRate must be between 0 and 1, got ${rate}`);
    this.random = mulberry32(seed);
  }

  script(fault: Fault, times: number): void {
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`times must be a positive integer, got ${times}`);
    for (let i = 0; i < times; i++) this.scripted.push(fault);
  }

  next(action: string): AppliedFault | undefined {
    const index = this.scripted.findIndex((fault) => fault.action === undefined || fault.action === action);
    if (index >= 0) {
      const [fault] = this.scripted.splice(index, 1);
      if (fault) return { ...fault, source: 'scripted' };
    }
    if (this.rate > 0 && this.random() < this.rate) {
      const fault = this.randomFaults[Math.floor(this.random() * this.randomFaults.length)];
      if (fault) return { ...fault, source: 'random' };
    }
    return undefined;
  }
}
