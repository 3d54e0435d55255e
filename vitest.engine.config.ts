import { defineConfig } from 'vitest/config';

// The engine suite: the contract against a real manager (SWARMDECK_TEST_DOCKER_HOST), one file at a time.
export default defineConfig({
  test: {
    include: ['test/engine/**/*.test.{ts,tsx}'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    setupFiles: ['test/setup.ts'],
  },
});
