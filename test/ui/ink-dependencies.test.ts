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

// Ink lays text out with widest-line and wrap-ansi but draws it with string-width 8; package.json's
// overrides give the first two the same string-width (theirs, 7, also segments every string, slowly).
// Where the versions disagree, a name was laid out a column narrower than it was drawn.
test('Ink measures text as wide as it draws it: halfwidth kana with a sound mark, and keycaps', async () => {
  const { default: measureText } = await import(join(build, 'measure-text.js'));
  const { default: wrapText } = await import(join(build, 'wrap-text.js'));
  expect(measureText('ｶﾞ').width).toBe(2);
  expect(measureText('#\u20E3').width).toBe(2);
  // Wrapped at two columns, each kana keeps its mark: wrap-ansi counts the pair as two wide.
  expect(wrapText('ｶﾞｶﾞ', 2, 'wrap')).toBe('ｶﾞ\nｶﾞ');
});
