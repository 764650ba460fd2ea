import type { Clock } from '../../src/delivery/pacing.js';

/**
 * A clock for waits against an emulator on 127.0.0.1: `sleep` moves the time on at once, so that minutes of waiting
 * pass in no time while requests still go over real HTTP. Give `now` to the emulator as well. Sleeps that overlap
 * add up, so a paced request may start later than it would: pacing can only look stricter than it is.
 */
export function virtualClock(start = Date.parse('2024-01-02T03:04:05Z')): Clock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
  };
}
