import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/support/fast-check-seed.ts'],
    // Many files wait on child processes, git and loopback HTTP rather than the CPU: four at a time keep two
    // cores busy (vitest's default, one fewer than the cores, runs them one by one here).
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
