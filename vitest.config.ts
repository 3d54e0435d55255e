import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // The engine suite needs a real swarm: npm run test:engine.
    exclude: ['test/engine/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each file starts its own simulator on its own socket; files may run in parallel.
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
  },
});
