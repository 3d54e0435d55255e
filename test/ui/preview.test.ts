import { describe, expect, test } from 'vitest';
import type { SwarmService } from '../../source/docker/types.js';
import { previewLine, previewValue, rollbackChanges } from '../../source/ui/present/diff.js';

// Long values in previews (edit dialogs, rollback preview) are cut to the screen before any
// per-character work, with their size; masking still sees what is shown.

const mega = 'v'.repeat(1024 * 1024);

describe('previews of long values', () => {
  test('a 1 MB label is cut to the room given, with an ellipsis and its size', () => {
    const line = previewLine({ path: 'Labels.note', before: undefined, after: mega }, false, 60);
    expect(line).toBe(`+ Labels.note: ${'v'.repeat(60)}... (1.0M chars)`);
  });

  test('a secret-looking entry is masked whatever its length; a credential across the cut is still masked', () => {
    expect(previewValue('TaskTemplate.ContainerSpec.Env[DB_PASSWORD]', `DB_PASSWORD=${mega}`)).toBe('DB_PASSWORD=******');
    const url = `URL=https://user:${'p'.repeat(100)}@db.example/${mega}`;
    const shown = String(previewValue('TaskTemplate.ContainerSpec.Env[URL]', url, false, 40));
    expect(shown).toBe('URL=https://user:******@db.example/vvvvv... (1.0M chars)');
    expect(shown).not.toContain('ppp');
  });

  test('a list or mapping keeps at most 64 entries, each cut; a secret label in it is masked', () => {
    const shown = previewValue('Labels', { token: mega, ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, mega])) }) as Record<
      string,
      string
    >;
    expect(shown.token).toBe('******');
    expect(Object.keys(shown)).toHaveLength(65);
    expect(shown.k0).toBe(`${'v'.repeat(80)}... (1.0M chars)`);
    const list = previewValue(
      'TaskTemplate.ContainerSpec.Args',
      Array.from({ length: 100_000 }, () => 'a'),
    ) as string[];
    expect(list).toHaveLength(65);
    expect(list.at(-1)).toBe('... (99936 more)');
  });

  test('the rollback preview cuts a 1 MB label and a 1 MB env entry', () => {
    const spec = (label: string, env: string) => ({ Name: 'web', Labels: { note: label }, TaskTemplate: { ContainerSpec: { Image: 'nginx', Env: [env] } } });
    const service = { ID: 'x', Spec: spec('short', 'A=1'), PreviousSpec: spec(mega, `A=${mega}`) } as unknown as SwarmService;
    const lines = rollbackChanges(service);
    expect(lines).toContain(`env: + A=${'v'.repeat(78)}... (1.0M chars)`);
    expect(lines.find((l) => l.startsWith('Labels.note'))).toBe(`Labels.note: short -> ${'v'.repeat(80)}... (1.0M chars)`);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  });
});
