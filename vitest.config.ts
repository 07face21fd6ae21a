import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A private redis-server for the queue tests, stopped at the end (test/global-redis.ts).
    globalSetup: ['test/global-redis.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    clearMocks: true,
    restoreMocks: true,
    // Two cores: run files in parallel, but keep LibreOffice and corpus suites from starving each other.
    maxWorkers: 2,
  },
});
