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
    testTimeout: 60_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
