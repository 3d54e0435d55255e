import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mountConsole } from '../helpers/console.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// The live console in a real terminal (tmux, on a server of its own) through resizes: after each,
// the screen must be exactly the frame the console draws at that size from nothing (the oracle:
// the same App rendered off screen at the new size, on the same simulator).
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) console.warn('SKIP: no tmux on PATH; the resize tests are skipped');
const cli = join(import.meta.dirname, '../../dist/cli.js');
const server = `swarmdeck-resize-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const trimmed = (text: string) => text.split('\n').map((l) => l.trimEnd());

describe.skipIf(!hasTmux)('the terminal after a resize', () => {
  let swarm: TestSwarm;
  const session = 'console';
  const screen = () => trimmed(tmux('capture-pane', '-p', '-t', session).replace(/\n$/, ''));

  /** The frame the console draws from nothing at this size (the header's first line, the endpoint's label, left out). */
  async function expected(width: number, height: number): Promise<string[]> {
    const c = await mountConsole(swarm.sim.host, { width, height: height - 1, label: 'x', now: () => swarm.sim.swarm.now });
    try {
      // The frame is whole once every running container of the tutorial (22) has its CPU and MEM: the live console's have.
      await c.waitFor((f) => f.includes('flaskontesting') && c.store.getSnapshot().stats.figures.size >= 22, 10_000);
      await sleep(600);
      const frame = c.frame();
      return [...trimmed(frame), ''];
    } finally {
      await c.close();
    }
  }

  /** Waits for the screen to equal the oracle, and says where it differs if it never does. */
  async function settlesAs(width: number, height: number) {
    const want = (await expected(width, height)).slice(1);
    let got: string[] = [];
    for (let i = 0; i < 60; i++) {
      got = screen();
      if (got.length === height && JSON.stringify(got.slice(1)) === JSON.stringify(want)) return;
      await sleep(100);
    }
    expect({ size: `${width}x${height}`, lines: got.slice(1) }).toEqual({ size: `${width}x${height}`, lines: want });
  }

  // A temporary directory of its own: edit files other tests' consoles left in the shared one would be
  // removed at start, and said so on the status line, which the oracle does not show.
  const tmp = mkdtempSync(join(tmpdir(), 'swarmdeck-resize-'));

  beforeAll(async () => {
    swarm = await startTestSwarm({ scenario: 'tutorial' });
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `TMPDIR=${tmp} node ${cli} -H ${swarm.sim.host}; sleep 60`);
    for (let i = 0; i < 300 && !screen().join('\n').includes('flaskontesting'); i++) await sleep(100);
  }, 60_000);

  afterAll(async () => {
    spawnSync('tmux', ['-L', server, 'kill-server']);
    await swarm?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('shrinking 120x40 to 80x24 leaves nothing of the old frame and shifts nothing', async () => {
    await settlesAs(120, 40);
    tmux('resize-window', '-t', session, '-x', '80', '-y', '24');
    await settlesAs(80, 24);
  });

  test('columns only, rows only, larger, and many resizes in a row: each ends whole', async () => {
    for (const [w, h] of [
      [100, 24],
      [100, 30],
      [160, 45],
      [70, 20],
    ]) {
      tmux('resize-window', '-t', session, '-x', String(w), '-y', String(h));
      await settlesAs(w, h);
    }
    for (const [w, h] of [
      [90, 35],
      [130, 22],
      [60, 40],
      [110, 28],
    ])
      tmux('resize-window', '-t', session, '-x', String(w), '-y', String(h));
    await settlesAs(110, 28);
  });

  test('Ctrl+R repaints from nothing: whatever else wrote on the terminal is gone', async () => {
    // Something other than the console writes on its terminal (a wall message, a stray process).
    const tty = tmux('display-message', '-p', '-t', session, '#{pane_tty}').trim();
    execFileSync('sh', ['-c', `printf '\\033[12;5HGARBAGE FROM ELSEWHERE' > ${tty}`]);
    await sleep(300);
    expect(screen().join('\n')).toContain('GARBAGE FROM ELSEWHERE');
    tmux('send-keys', '-t', session, 'C-r');
    for (let i = 0; i < 50 && screen().join('\n').includes('GARBAGE'); i++) await sleep(100);
    expect(screen().join('\n')).not.toContain('GARBAGE');
    for (let i = 0; i < 100 && !screen().join('\n').includes('everything read again'); i++) await sleep(100);
    expect(screen().join('\n')).toContain('redrawn; everything read again from the manager');
  });
});
