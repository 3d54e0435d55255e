import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { plainOutput } from '../../source/ui/theme.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// With NO_COLOR (or TERM=dumb) the terminal gets no colour codes and no inverse either: the
// selection, the map's column and a dangerous dialog are marked with characters instead.
let c: TestConsole | undefined;
const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, TERM: process.env.TERM };
beforeEach(() => {
  process.env.NO_COLOR = '1';
  delete process.env.FORCE_COLOR;
});
afterEach(async () => {
  await c?.close();
  c = undefined;
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('without colour', () => {
  test('NO_COLOR and TERM=dumb turn colours off; FORCE_COLOR turns them back on', () => {
    expect(plainOutput({ NO_COLOR: '1' })).toBe(true);
    expect(plainOutput({ TERM: 'dumb' })).toBe(true);
    expect(plainOutput({ NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(plainOutput({ TERM: 'xterm-256color' })).toBe(false);
  });

  test('the services view marks the selected row, and the mark follows the cursor', async () => {
    c = await startConsole({ width: 80, height: 23 });
    // Once the CPU and MEM figures are in (and hidden at 80 columns): the frame no longer changes.
    const frame = await c.waitFor((f) => f.includes('flaskontesting') && f.includes('CPU, MEM, PORTS'));
    await expect(frame).toMatchFileSnapshot('__snapshots__/services-no-color-80x24.txt');
    expect(frame.split('\n').filter((l) => l.startsWith('> '))).toEqual([expect.stringMatching(/^> counter\s/)]);
    await c.press('j');
    const moved = await c.waitFor(/^> flaskontesting/m);
    expect(moved.split('\n').filter((l) => l.startsWith('> '))).toHaveLength(1);
  });

  test('the nodes view marks the selected node', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
    const frame = await c.waitFor(
      (f) => f.includes('Nodes (5)') && /core-01.*\b4$/m.test(f) && f.split('\n').filter((l) => /core-0\d .*\d%\s+\d+%/.test(l)).length === 5,
      10_000,
    );
    await expect(frame).toMatchFileSnapshot('__snapshots__/nodes-no-color-120x40.txt');
    expect(frame).toMatch(/^> core-01\s/m);
    expect(frame).toMatch(/^ {2}core-02\s/m);
  });

  test('the map marks the selected node, and a drain dialog says it is a warning', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press('4');
    await c.waitFor(/>core-01/);
    await c.press('l');
    await c.waitFor(/>core-02/);
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await c.press('r');
    await c.waitFor(/! Drain core-01\?/);
  });
});
