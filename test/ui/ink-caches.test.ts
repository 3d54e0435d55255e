import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test, vi } from 'vitest';

// Ink keeps every text it measures (vadimdemedes/ink#986); npm install bounds that cache
// (scripts/bound-ink-caches.mjs). Without it, a day of following a noisy service's logs would
// hold every line ever shown.
// (Vitest's module runner has no import.meta.resolve; Node's resolver finds the same file.)
const build = dirname(createRequire(import.meta.url).resolve('ink'));

test('Ink forgets measured texts past 10,000 of them instead of keeping every line ever shown', async () => {
  const { default: measureText } = await import(join(build, 'measure-text.js'));
  const clear = vi.spyOn(Map.prototype, 'clear');
  try {
    for (let i = 0; i < 10_001; i++) expect(measureText(`line ${i} of a noisy service`).width).toBeGreaterThan(0);
    expect(clear).toHaveBeenCalled();
  } finally {
    clear.mockRestore();
  }
});
