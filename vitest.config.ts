import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/support/fast-check-seed.ts'],
    // Beijing time (UTC+8), the providers' own: a date taken in local time instead of UTC (the signers', the
    // daily quota's) is wrong from 16:00 UTC on, and every test that checks a date catches it.
    env: { TZ: 'Asia/Shanghai' },
    // Many files wait on child processes, git and loopback HTTP rather than the CPU: four at a time keep two
    // cores busy (vitest's default, one fewer than the cores, runs them one by one here).
    maxWorkers: 4,
    // A worker imports src/, the fakes and the libraries once for all the files it runs, not once per file:
    // about 40% less CPU for the unit tests. Every file leaves what it changes as it found it (process.env,
    // timers, spies); test/support/run-in-process.ts keeps one folder per process.
    isolate: false,
    // A guard against a hang, not a measure of speed: on a 2-core machine shared with other jobs the heaviest
    // end-to-end tests (24 runs of the bundle, two deepened clones) have taken over a minute.
    testTimeout: 180_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
