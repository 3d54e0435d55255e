import { afterEach, describe, expect, test } from 'vitest';
import { helpColumns } from '../../source/ui/components/help.js';
import { measureColumns, shortenImage } from '../../source/ui/components/table-layout.js';
import { SERVICE_COLUMNS } from '../../source/ui/present/rows.js';
import { startConsole, type TestConsole } from '../helpers/console.js';

// Columns as issue 16 found them: NAME capped at 28 at 200 columns while IMAGE was padded to ~113,
// columns that vanished without notice, images cut at the end.
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const LONG = 'payments-reconciliation-worker-eu-west-1';

describe('column widths come from the content', () => {
  test('a 40-character name is shown whole at 200 columns, and the image column is not padded', () => {
    //            NAME MODE REPLICAS IMAGE PORTS STACK UPDATE
    const cells = [LONG.length, 10, 3, 23, 16, 13, 9];
    const { widths, hidden } = measureColumns(SERVICE_COLUMNS, cells, 200);
    expect(widths[0]).toBe(LONG.length);
    expect(widths[3]).toBe(23);
    expect(hidden).toEqual([]);
  });

  test('when they do not fit the name stays whole, the least important columns go first, and which ones is said', () => {
    const cells = [LONG.length, 10, 3, 60, 16, 13, 9];
    const { widths, hidden } = measureColumns(SERVICE_COLUMNS, cells, 100);
    expect(widths[0]).toBe(LONG.length);
    expect(hidden).toEqual(['MODE', 'PORTS', 'STACK']);
    // The image gets the rest, not less than its minimum.
    expect(widths[3]).toBeGreaterThanOrEqual(28);
  });

  test('an image too long for its column is shortened in the middle, registry and name:tag kept', () => {
    expect(shortenImage('registry.example.com/team/platform/api:1.4.2', 35)).toBe('registry.example.com/.../api:1.4.2');
    expect(shortenImage('registry.example.com/team/platform/api:1.4.2', 20)).toBe('.../api:1.4.2');
    expect(shortenImage('nginx:1.27-alpine', 40)).toBe('nginx:1.27-alpine');
  });
});

describe('on screen', () => {
  test('a hidden column is said in the title bar and marked at the end of the header', async () => {
    c = await startConsole({ width: 80, height: 24 });
    // (CPU fits until its figures arrive: the frame with them.)
    const frame = await c.waitFor(/Services \(6\)\s+MODE, CPU, MEM, PORTS, STACK hidden: Ctrl\+W/);
    expect(frame).toMatch(/^NAME .* \+5>$/m);
  });

  test('Ctrl+W shows every column at full width, and left and right scroll it sideways', async () => {
    c = await startConsole({ width: 80, height: 24 });
    await c.waitFor('flaskontesting');
    await c.press('\u0017');
    const wide = await c.waitFor('wide: left/right scroll');
    expect(wide).toMatch(/^NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS/m);
    expect(wide).not.toContain('hidden: Ctrl+W');
    await c.press('\u001b[C', '\u001b[C', '\u001b[C', '\u001b[C', '\u001b[C', '\u001b[C');
    const scrolled = await c.waitFor(/STACK\s+UPDATE/);
    expect(scrolled).toContain('getstartedlab');
    expect(scrolled).not.toMatch(/^NAME /m);
    await c.press('\u0017');
    await c.waitFor('MODE, CPU, MEM, PORTS, STACK hidden: Ctrl+W');
  });
});

describe('long lines', () => {
  test('inspect: w wraps a line longer than the screen, and unwrapped, right scrolls it sideways', async () => {
    c = await startConsole({ width: 32, height: 30 });
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('i');
    const cut = await c.waitFor('Image: subicura/counter');
    const long = cut.split('\n').find((l) => l.includes('Image: subicura/counter'))!;
    expect(long).toMatch(/~$/);
    await c.press('\u001b[C', '\u001b[C', '\u001b[C');
    await c.waitFor((f) => !f.includes('Image: subicura/counter'));
    await c.press('w');
    const wrapped = await c.waitFor(/Image: subicura\/counter:\S*\n\s+\S+/);
    expect(wrapped.replace(/\n\s+/g, '')).toContain('Image: subicura/counter:latest');
    expect(wrapped.split('\n').every((l) => l.length <= 32)).toBe(true);
  });

  test('help in columns cuts no description: a long one goes on under itself', async () => {
    c = await startConsole({ width: 160, height: 45 });
    await c.waitFor('flaskontesting');
    await c.press('?');
    const help = await c.waitFor('Keys for services');
    // Two or more columns side by side, and no line of them cut at its edge.
    expect(help).toMatch(/Keys for services.*\S/);
    const body = help.split('\n').slice(3, -2).join('\n');
    expect(body).not.toMatch(/\w~(\s|$)/m);
    const columns = helpColumns(['  a              ' + 'word '.repeat(30).trim(), 'Esc'], 6, 80);
    const lines = columns.flat();
    expect(lines.every((l) => l.length <= Math.floor(80 / columns.length) - 1)).toBe(true);
    expect(lines.slice(0, -1).join(' ').replace(/\s+/g, ' ').trim()).toBe('a ' + 'word '.repeat(30).trim());
  });
});
