import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BINDINGS, VIEW_COMMANDS } from '../../source/keymap/bindings.js';
import { bindingsFor, keyTableMarkdown, match } from '../../source/keymap/lookup.js';

describe('the keymap', () => {
  test('no two bindings of one pane share a key', () => {
    for (const pane of ['nodes', 'services', 'tasks', 'logs'] as const) {
      const keys = bindingsFor(pane).flatMap((b) => b.keys);
      expect(new Set(keys).size, pane).toBe(keys.length);
    }
  });

  test('every dangerous command also changes the swarm, so read-only refuses it', () => {
    expect(BINDINGS.filter((b) => b.dangerous && !b.mutates)).toEqual([]);
  });

  test("a pane's own binding wins over a global one on the same key", () => {
    expect(match('logs', { input: '/', key: {} })?.id).toBe('logs.search');
    expect(match('services', { input: '/', key: {} })?.id).toBe('filter');
  });

  test('ctrl keys and named keys are matched', () => {
    expect(match('services', { input: 'l', key: { ctrl: true } })?.id).toBe('service.rollback');
    expect(match('nodes', { input: '', key: { return: true } })?.id).toBe('open');
    expect(match('tasks', { input: '', key: { downArrow: true } })?.id).toBe('down');
  });

  test('the README key table is the one the keymap generates (npm run docs)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /<!-- keys:begin -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme)?.[1];
    expect(block).toBe(keyTableMarkdown());
  });

  test('no two command-line views share a name or alias', () => {
    const words = VIEW_COMMANDS.flatMap((c) => [c.name, ...c.aliases]);
    expect(new Set(words).size).toBe(words.length);
  });

  test('practice drills are bound only on the simulator', () => {
    const drills = BINDINGS.filter((b) => b.sim).map((b) => b.id);
    expect(drills.length).toBeGreaterThan(0);
    for (const pane of ['nodes', 'services'] as const) {
      expect(bindingsFor(pane, false).some((b) => drills.includes(b.id))).toBe(false);
      expect(bindingsFor(pane, true).some((b) => drills.includes(b.id))).toBe(true);
    }
  });
});
