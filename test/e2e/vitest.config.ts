import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium through the browser shell. One browser at a
// time on a 2-core machine: files run serially.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
