import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';

let sim: Simulator | undefined;
let c: MountedConsole | undefined;
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-reconnect-'));
});
afterEach(async () => {
  await c?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('when the manager goes away the console says so, keeps the last data, and reconnects when it is back', async () => {
  const socket = join(dir, 'docker.sock');
  sim = await startSimulator({ clock: 'manual', socket });
  // Wide enough for the whole header: the socket path is long.
  c = await mountConsole(`unix://${socket}`, { width: 260 });
  await c.waitFor('flaskontesting');

  await sim.close();
  const lost = await c.waitFor(/x disconnected \(retry in \d+s\): cannot reach/, 10_000);
  // An action tried meanwhile fails, and says so...
  await c.press('s', '9', KEY.enter);
  await c.waitFor(/scale \S+ to 9: cannot reach/);
  // The data's age leads the figures line, where no width cuts it off.
  expect(lost).toMatch(/^(READ-ONLY {2})?data from .* ago: managers 2/m);
  // The last data stays on screen, marked stale by the header.
  expect(lost).toMatch(/flaskontesting\s+replicated\s+5\/5/);

  sim = await startSimulator({ clock: 'manual', socket });
  const back = await c.waitFor('* connected', 15_000);
  expect(back).toMatch(/flaskontesting\s+replicated\s+5\/5/);
  // ...but not once the console is connected again: it is history then (M), not news.
  expect(back).not.toMatch(/to 9: cannot reach/);
}, 30_000);

test('with several managers given, losing the one in use moves to the next at once and actions go there', async () => {
  sim = await startSimulator({ clock: 'manual', socket: join(dir, 'first.sock') });
  const second = await startSimulator({ clock: 'manual', socket: join(dir, 'second.sock'), swarm: sim.swarm });
  try {
    c = await mountConsole([`unix://${join(dir, 'first.sock')}`, `unix://${join(dir, 'second.sock')}`], { width: 260 });
    await c.waitFor(/swarmdeck unix:\/\/\S*first\.sock/);
    await c.waitFor('flaskontesting');

    await sim.close();
    await c.waitFor(/swarmdeck unix:\/\/\S*second\.sock.*\* connected/, 10_000);
    const moved = await c.waitFor(/lost unix:\/\/\S*first\.sock; now on unix:\/\/\S*second\.sock/);
    expect(moved).toMatch(/flaskontesting\s+replicated\s+5\/5/);

    // The scale goes to the second manager: the first is gone.
    await c.press('s');
    const prompt = await c.waitFor(/scale (\S+) \(now \d+\) to:/);
    const name = /scale (\S+) \(now/.exec(prompt)![1];
    await c.press('7', KEY.enter);
    await c.waitFor(`scale ${name} to 7: done`);
    expect([...second.swarm.services.values()].find((s) => s.spec.Name === name)?.spec.Mode).toEqual({ Replicated: { Replicas: 7 } });
  } finally {
    await second.close();
  }
}, 30_000);
