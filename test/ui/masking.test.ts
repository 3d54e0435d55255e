import { describe, expect, test } from 'vitest';
import { maskEnv } from '../../source/ui/present/diff.js';
import { inspectLines } from '../../source/ui/present/yaml.js';

// Secrets an operator would not want on a shared screen, found trying the console: each was shown
// in clear in inspect, whose title says "secrets masked".
const spec = {
  Spec: {
    Name: 'app',
    Labels: { password: 'hunter2', owner: 'team-a', backup: 'https://backup:s3cr3t@store.example/x' },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'app:1',
        Env: ['MYSQL_PWD=hunter2', 'DATABASE_URL=postgres://app:hunter2@db/x', 'LOG_LEVEL=debug'],
        Args: ['--password=hunter2', '--token', 'abc123', '--verbose'],
      },
    },
  },
};
const shown = (reveal = false) => inspectLines(spec, 'yaml', reveal).join('\n');

describe('secrets are masked wherever the spec is shown', () => {
  test('a MYSQL_PWD value is masked by its name', () => {
    expect(shown()).not.toContain('MYSQL_PWD=hunter2');
    expect(shown()).toContain('MYSQL_PWD=******');
  });

  test('the password in a database URL is masked, the rest of the URL kept', () => {
    expect(shown()).toContain('DATABASE_URL=postgres://app:******@db/x');
  });

  test('a label named password is masked, and credentials in a label value', () => {
    expect(shown()).toMatch(/password: "?\*{6}"?/);
    expect(shown()).toContain('https://backup:******@store.example/x');
    expect(shown()).toContain('owner: team-a');
  });

  test('--password=VALUE and --token VALUE in a command are masked, other arguments kept', () => {
    expect(shown()).not.toContain('hunter2');
    expect(shown()).not.toContain('abc123');
    expect(shown()).toContain('--verbose');
    expect(shown()).toContain('--password=******');
  });

  test('x reveals them all', () => {
    expect(shown(true)).toContain('MYSQL_PWD=hunter2');
    expect(shown(true)).toContain('--token');
    expect(shown(true)).toContain('abc123');
  });

  test('rollback previews mask URL credentials in env too', () => {
    expect(maskEnv('DATABASE_URL=postgres://app:hunter2@db/x')).toBe('DATABASE_URL=postgres://app:******@db/x');
    expect(maskEnv('LOG_LEVEL=debug')).toBe('LOG_LEVEL=debug');
  });
});
