import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { mountConsole, type MountedConsole } from '../helpers/console.js';

let sim: Simulator | undefined;
let c: MountedConsole | undefined;
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-reconnect-'));
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
  const lost = await c.waitFor(/x disconnected: .* \(retry in \d+s, showing data from .* ago\)/, 10_000);
  // The last data stays on screen, marked stale by the header.
  expect(lost).toMatch(/flaskontesting\s+replicated\s+5\/5/);

  sim = await startSimulator({ clock: 'manual', socket });
  await c.waitFor('* connected', 15_000);
  expect(c.frame()).toMatch(/flaskontesting\s+replicated\s+5\/5/);
}, 30_000);
