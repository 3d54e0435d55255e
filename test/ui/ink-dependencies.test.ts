import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, expect, test, vi } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript.
import { inkFixes } from '../../scripts/ink-fixes.mjs';

// What ships is the bundle, so the fixes are checked in a bundle built as scripts/bundle.mjs builds
// it: Ink's text measuring and wrapping, with the same plugin, from the versions this checkout
// resolves. (Vitest's module runner has no import.meta.resolve; Node's resolver finds the same file.)
const ink = dirname(createRequire(import.meta.url).resolve('ink'));
let measureText: (text: string) => { width: number };
let wrapText: (text: string, width: number, mode: string) => string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-ink-'));
  writeFileSync(
    join(dir, 'entry.js'),
    `export { default as measureText } from '${ink}/measure-text.js';\nexport { default as wrapText } from '${ink}/wrap-text.js';\n`,
  );
  await build({
    entryPoints: [join(dir, 'entry.js')],
    outfile: join(dir, 'out.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    plugins: [inkFixes],
    logLevel: 'silent',
  });
  ({ measureText, wrapText } = await import(join(dir, 'out.mjs')));
});

// Ink keeps every text it measures (vadimdemedes/ink#986). Without the bound, a day of following a
// noisy service's logs would hold every line ever shown.
test('Ink as bundled forgets measured texts past 10,000 of them instead of keeping every line ever shown', () => {
  const clear = vi.spyOn(Map.prototype, 'clear');
  try {
    for (let i = 0; i < 10_001; i++) expect(measureText(`line ${i} of a noisy service`).width).toBeGreaterThan(0);
    expect(clear).toHaveBeenCalled();
  } finally {
    clear.mockRestore();
  }
});

// Ink lays text out with widest-line and wrap-ansi but draws it with string-width 8; the lock gives
// the first two the same string-width (theirs, 7, also segments every string, slowly), and the
// bundle is built from it. Where the versions disagree, a name was laid out a column narrower than drawn.
test('Ink as bundled measures text as wide as it draws it: halfwidth kana with a sound mark, and keycaps', () => {
  expect(measureText('ｶﾞ').width).toBe(2);
  expect(measureText('#\u20E3').width).toBe(2);
  // Wrapped at two columns, each kana keeps its mark: wrap-ansi counts the pair as two wide.
  expect(wrapText('ｶﾞｶﾞ', 2, 'wrap')).toBe('ｶﾞ\nｶﾞ');
});
