/** Faults a fake applies to requests: scripted ones (`failNext`) and random ones drawn under `faultRate`. */

/**
 * A scripted fault (`failNext`), applied to the next signed request, or only to the next one of `action`:
 * - `error`: an error answered as the API answers its own errors;
 * - `http`: that HTTP status and body (default: an HTML gateway page), as a proxy or gateway would answer;
 * - `drop`: the connection is destroyed without an answer;
 * - `delay`: the answer comes `ms` later than usual; the request itself is carried out normally, so a client
 *   that gives up waiting leaves behind a task that was accepted.
 */
export type Fault = { action?: string } & (
  | { kind: 'error'; code: string; message?: string }
  | { kind: 'http'; status: number; body?: string }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
);

export type FaultKind = Fault['kind'];

/** Where a fault came from: `failNext`, or a draw of the seeded RNG under `faultRate`. */
export type AppliedFault<F extends Fault = Fault> = F & { source: 'scripted' | 'random' };

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same sequence in [0, 1). */
function mulberry32(seed: number): () => number {
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
 * Scripted faults first, in the order given, each one for the next request of its action (or of any action);
 * when none applies, a random fault with probability `rate`. The RNG is drawn only when `rate` > 0 and no
 * scripted fault applies, so the random sequence depends only on the seed and the requests that reach it.
 */
export class FaultPlan<F extends Fault = Fault> {
  private readonly scripted: F[] = [];
  private readonly random: () => number;

  constructor(
    private readonly rate: number,
    seed: number,
    private readonly randomFaults: readonly F[],
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`faultRate must be between 0 and 1, got ${rate}`);
    this.random = mulberry32(seed);
  }

  script(fault: F, times: number): void {
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`times must be a positive integer, got ${times}`);
    for (let i = 0; i < times; i++) this.scripted.push(fault);
  }

  next(action: string): AppliedFault<F> | undefined {
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
