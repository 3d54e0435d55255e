import { afterEach, describe, expect, test } from 'vitest';
import { withoutEscapeSequences } from '../../source/ui/escape-input.js';
import { startConsole, type TestConsole } from '../helpers/console.js';

// Terminal reports and control strings reach the console as input with their ESC dropped by Ink.
let c: TestConsole;
afterEach(() => c?.close());

describe('escape sequences in the input', () => {
  test('a mouse report is not typed into the filter', async () => {
    c = await startConsole({ width: 120 });
    await c.waitFor('flaskontesting');
    await c.press('/');
    await c.press('\u001b[<0;10;10M');
    await c.press('r', 'e');
    const frame = await c.waitFor('/re');
    expect(frame).not.toContain('[<0;10;10M');
    expect(frame).toMatch(/^redis\s/m);
  });

  test('the q inside a DCS string does not quit the console', async () => {
    c = await startConsole({ width: 120 });
    await c.waitFor('flaskontesting');
    await c.press('\u001bPq\u001b\\');
    await c.press('1');
    await c.waitFor('Nodes (5)');
  });

  test('a bracketed paste keeps its text and drops its markers', () => {
    expect(withoutEscapeSequences('[200~redis\u001b[201~')).toBe('redis');
  });

  test('an OSC reply ending in BEL, and several reports in one read, are taken out whole', () => {
    expect(withoutEscapeSequences(']11;rgb:0000/0000/0000\u0007')).toBe('');
    expect(withoutEscapeSequences('[<0;1;1M\u001b[<0;1;1m')).toBe('');
  });

  test('plain text of several characters is left as it is', () => {
    expect(withoutEscapeSequences('js')).toBe('js');
    expect(withoutEscapeSequences('[abc')).toBe('[abc');
    expect(withoutEscapeSequences('Pizza')).toBe('Pizza');
  });
});
