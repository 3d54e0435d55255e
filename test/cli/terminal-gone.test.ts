import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

// The terminal killed under the console at random moments (idle, mid-frame, key storm, dialog,
// editor running), many times: each time the console, and whatever it started, is gone within a
// second. Found by the pids started, never by name. Skipped, and said so, without tmux.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) console.warn('SKIP: no tmux on PATH; the terminal-kill tests are skipped');
const cli = join(import.meta.dirname, '../../dist/cli.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROUNDS = 20;
/** Within a second, as the console promises, plus slack for a machine this busy (the test runs beside others). */
const GONE_WITHIN_MS = 1000;
const SLACK_MS = 1500;

const alive = (pid: number) => {
  try {
    // The state is the field after the command's name; a zombie is gone for our purpose (it holds no connection, runs nothing).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};
const children = (pid: number): number[] => {
  const out = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim();
  const direct = out ? out.split('\n').map(Number) : [];
  return direct.flatMap((c) => [c, ...children(c)]);
};

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'tutorial', clock: 'real' });
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-gone-'));
  // An editor that stays open until it is killed (a hangup kills it, as it does vi).
  writeFileSync(join(dir, 'editor.sh'), '#!/bin/sh\nsleep 30\n');
  chmodSync(join(dir, 'editor.sh'), 0o755);
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Moment = 'idle' | 'key storm' | 'dialog' | 'editor' | 'resizing';
type Kill = 'kill-server' | 'kill-pane' | 'SIGHUP' | 'SIGTERM';
const MOMENTS: Moment[] = ['idle', 'key storm', 'dialog', 'editor', 'resizing'];
const KILLS: Kill[] = ['kill-server', 'kill-pane', 'SIGHUP', 'SIGTERM'];

describe.skipIf(!hasTmux)('the terminal goes away', () => {
  test(`${ROUNDS} rounds: killed at a random moment, the console and its children are gone within a second`, async () => {
    const results: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const server = `wire-gone-${process.pid}-${round}`;
      const tmux = (...args: string[]) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
      const moment = MOMENTS[round % MOMENTS.length];
      const kill = KILLS[Math.floor(round / MOMENTS.length) % KILLS.length];
      // `exec`: the pane's process is the console itself.
      tmux(
        'new-session',
        '-d',
        '-x',
        '100',
        '-y',
        '30',
        `exec env VISUAL=${join(dir, 'editor.sh')} XDG_STATE_HOME=${join(dir, 'state')} node ${cli} -H ${sim.host}`,
      );
      let pid = 0;
      try {
        pid = Number(tmux('display-message', '-p', '#{pane_pid}').trim());
        for (let i = 0; i < 200 && !tmux('capture-pane', '-p').includes('redis'); i++) await sleep(50);
        expect(tmux('capture-pane', '-p')).toContain('redis');
        if (moment === 'key storm') tmux('send-keys', ...Array.from({ length: 300 }, (_, i) => 'jkJKgG'[i % 6]));
        if (moment === 'dialog') tmux('send-keys', 's');
        if (moment === 'editor') {
          tmux('send-keys', 'e');
          for (let i = 0; i < 100 && children(pid).length === 0; i++) await sleep(50);
          expect(children(pid).length, 'the editor is running').toBeGreaterThan(0);
        }
        if (moment === 'resizing') for (let w = 60; w < 100; w += 5) tmux('resize-window', '-x', String(w), '-y', '30');
        await sleep(Math.floor(Math.random() * 200));
        const started = [pid, ...children(pid)];
        const at = Date.now();
        if (kill === 'kill-server') tmux('kill-server');
        else if (kill === 'kill-pane') tmux('kill-pane');
        else process.kill(pid, kill);
        while (started.some(alive) && Date.now() - at < GONE_WITHIN_MS + SLACK_MS) await sleep(20);
        const left = started.filter(alive);
        results.push(`${moment} / ${kill}: ${left.length === 0 ? `gone in ${Date.now() - at} ms` : `LEFT RUNNING: ${left.join(' ')}`}`);
        expect(left, results.join('\n')).toEqual([]);
      } finally {
        spawnSync('tmux', ['-L', server, 'kill-server'], { stdio: 'ignore' });
        for (const p of [pid, ...children(pid)]) if (p && alive(p)) process.kill(p, 'SIGKILL');
      }
    }
    console.log(results.join('\n'));
  }, 240_000);
});
