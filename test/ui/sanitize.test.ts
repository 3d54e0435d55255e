import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { inert, sanitizeText } from '../../source/ui/sanitize.js';

// One sanitiser for everything the swarm (or a file) puts on a terminal: controls made visible,
// invisible characters written as the docker CLI's %q writes them.

describe('sanitizeText', () => {
  test('controls are shown in caret notation, C1 controls and invisible characters as %q escapes', () => {
    expect(sanitizeText('a\u001b[31mred\u0007')).toBe('a^[[31mred^G');
    expect(sanitizeText('del\u007f')).toBe('del^?');
    expect(sanitizeText('c1\u009b2J')).toBe('c1\\u009b2J');
    expect(sanitizeText('web\u200bapi')).toBe('web\\u200bapi');
    expect(sanitizeText('join\u200c\u200d\u2060\ufeff')).toBe('join\\u200c\\u200d\\u2060\\ufeff');
    expect(sanitizeText('txt.\u202egnp')).toBe('txt.\\u202egnp');
    expect(sanitizeText('\u2066iso\u2069 \u200e\u200f \u061c')).toBe('\\u2066iso\\u2069 \\u200e\\u200f \\u061c');
    expect(sanitizeText('soft\u00adhyphen')).toBe('soft\\u00adhyphen');
  });

  test('ordinary text, accents and wide characters pass as they are; inert is the same function', () => {
    for (const text of ['redis', 'café-ünïcode', '服务', 'a b-c_d.e:f/g@h']) expect(sanitizeText(text)).toBe(text);
    expect(inert).toBe(sanitizeText);
  });
});

describe('--once shows names through the same sanitiser', () => {
  const cli = join(import.meta.dirname, '../../dist/cli.js');
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'empty', clock: 'real' });
    // Hostnames are the engines' own words, not checked by the manager: what a hostile node could call itself.
    sim.swarm.addNode({ hostname: 'db\u200b-01\u001b]0;owned\u0007', role: 'worker' });
    sim.swarm.addNode({ hostname: 'evil\u202etxt.exe', role: 'worker' });
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-sanitize-'));
    writeFileSync(join(dir, 'placeholder'), '');
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the nodes view of --once writes zero-width, bidi and escape characters visibly', async () => {
    const out = await new Promise<string>((resolve) => {
      const env = { ...process.env, DOCKER_CONTEXT: '', XDG_STATE_HOME: join(dir, 'state') };
      const child = spawn(process.execPath, [cli, '--once', '--view', 'nodes', '-H', sim.host, '--width', '160'], { env });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('exit', () => resolve(stdout));
    });
    expect(out).toContain('db\\u200b-01^[]0;owned^G');
    expect(out).toContain('evil\\u202etxt.exe');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u200b\u202e]/);
  });
});
