import type { Clock } from '../../src/delivery/pacing.js';

interface Timer {
  at: number;
  order: number;
  wake: () => void;
}

/**
 * A clock whose time moves only when the code under test sleeps: a sleep ends at once in real time, and `now()`
 * then reads the time it ended at. Sleepers wake in order of their end time, one per turn of the event loop, so
 * that code resuming from one sleep can start a shorter one before the next sleeper wakes. Real work (HTTP to an
 * emulator, git) takes no time on this clock. Starts at the real time by default, so that requests signed with it
 * are fresh for an emulator that checks their timestamp.
 */
export class FakeClock implements Clock {
  private time: number;
  private readonly timers: Timer[] = [];
  private made = 0;
  private pending = false;
  /** Every sleep asked for, in milliseconds, in the order asked. */
  readonly sleeps: number[] = [];

  constructor(start = Date.now()) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), order: this.made++, wake });
      this.wakeNext();
    });
  };

  /** Moves the time on without anyone sleeping: the minutes a runner may spend between two steps of a run. */
  advance(ms: number): void {
    this.time += ms;
  }

  private wakeNext(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.timers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.wake();
      if (this.timers.length > 0) this.wakeNext();
    });
  }
}
