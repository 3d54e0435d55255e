import { describe, expect, test } from 'vitest';
import { maskEnv, rollbackChanges } from '../../source/ui/present/diff.js';
import { naturalCompare } from '../../source/ui/present/format.js';
import { inert } from '../../source/ui/sanitize.js';

describe('hostile text is shown inert', () => {
  // A corpus of what log lines, names, labels and images can carry.
  const corpus: [string, string][] = [
    ['OSC 52 clipboard write', '\u001b]52;c;ZXZpbA==\u0007'],
    ['OSC 0 title change', '\u001b]0;pwned\u0007'],
    ['OSC 2 title change', '\u001b]2;pwned\u001b\\'],
    ['CSI cursor move', '\u001b[10;10H'],
    ['CSI screen clear', '\u001b[2J'],
    ['ESC c reset', '\u001bc'],
    ['C1 CSI', '\u009b31m'],
    ['BEL', 'ding\u0007'],
    ['bidi override', 'abc\u202Edef'],
    ['DEL', 'x\u007f'],
    ['carriage return overwrite', 'safe\rEVIL'],
  ];
  for (const [name, text] of corpus) {
    test(`${name} reaches the screen with no control character`, () => {
      const shown = inert(text);
      expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    });
  }

  test('ESC is shown as ^[ so the user sees it was there', () => {
    expect(inert('\u001b[2J')).toBe('^[[2J');
  });
});

describe('secrets', () => {
  test('env values whose names look secret are masked', () => {
    expect(maskEnv('DB_PASSWORD=hunter2')).toBe('DB_PASSWORD=******');
    expect(maskEnv('API_TOKEN=abc')).toBe('API_TOKEN=******');
    expect(maskEnv('LOG_LEVEL=info')).toBe('LOG_LEVEL=info');
  });

  test('the rollback preview masks them', () => {
    const spec = (env: string[]) => ({ Name: 'x', TaskTemplate: { ContainerSpec: { Image: 'a', Env: env } } });
    const lines = rollbackChanges({ ID: 'x', Version: { Index: 1 }, Spec: spec(['SECRET_KEY=new']), PreviousSpec: spec(['SECRET_KEY=old']) });
    expect(lines).toEqual(['env: + SECRET_KEY=******', 'env: - SECRET_KEY=******']);
  });
});

describe('natural order', () => {
  test('numbers in names sort by value, letters without regard to case', () => {
    const names = ['core-10', 'Core-2', 'core-1', 'web', 'api', 'core-02b', 'stack001_svc0010', 'stack001_svc0009'];
    expect([...names].sort(naturalCompare)).toEqual(['api', 'core-1', 'Core-2', 'core-02b', 'core-10', 'stack001_svc0009', 'stack001_svc0010', 'web']);
  });
});
