import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { mountConsole, type MountedConsole } from '../helpers/console.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// The console connected through one manager's own engine (as `-H ssh://core-01` is), which the
// console itself demotes: that engine then answers as a worker (503, as dockerd does), and the
// console moves to another manager of the swarm by itself, or says which -H to use.
let swarm: TestSwarm;
let c: MountedConsole;
afterEach(async () => {
  await c?.close();
  await swarm?.close();
});

async function connectedToCore01(nodeHosts?: string[]) {
  swarm = await startTestSwarm({ scenario: 'tutorial', engines: mkdtempSync(join(tmpdir(), 'swarmdeck-demote-')) });
  const own = `unix://${swarm.sim.engineSockets['core-01']}`;
  c = await mountConsole(own, { width: 200, height: 40, label: own, now: () => swarm.sim.swarm.now, nodeHosts });
  await c.waitFor('flaskontesting');
  await c.press('1');
  await c.waitFor('Nodes (5)');
  await c.selectRow('core-01');
  await c.press('D');
  await c.waitFor('This console is connected through core-01');
  await c.press('y');
  return own;
}

describe('demoting the manager this console is connected through', () => {
  test('the console moves to another manager of the swarm by itself, and keeps working there', async () => {
    await connectedToCore01();
    const frame = await c.waitFor(/core-01\.sock is no longer a swarm manager; now on \S*core-05\.sock/, 15_000);
    expect(frame).toMatch(/swarmdeck \S*core-05\.sock\s+\* connected/);
    await c.waitFor(/core-01\s.*Ready\s+Active\s*(\s|$)/m, 10_000);
    // It works there: a change goes through the new manager.
    await c.selectRow('core-02');
    await c.press('c');
    await c.waitFor('Pause core-02?');
    await c.press('y');
    await c.waitFor(/core-02\s.*Pause/, 10_000);
    expect([...swarm.sim.swarm.nodes.values()].find((n) => n.hostname === 'core-01')!.spec.Role).toBe('worker');
  });

  test('the dialog says the console moves by itself', async () => {
    swarm = await startTestSwarm({ scenario: 'tutorial', engines: mkdtempSync(join(tmpdir(), 'swarmdeck-demote-')) });
    const own = `unix://${swarm.sim.engineSockets['core-01']}`;
    c = await mountConsole(own, { width: 200, height: 40, now: () => swarm.sim.swarm.now });
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.selectRow('core-01');
    await c.press('D');
    const dialog = await c.waitFor('This console is connected through core-01');
    expect(dialog).toContain('The console then moves to another manager by itself');
    expect(dialog).toContain('If none answers, start it again with -H ssh://core-05.');
    await c.press('n');
  });

  test('when no other manager can be reached, it says which -H to start again with', async () => {
    // The only other manager is mapped to an address where nothing answers.
    await connectedToCore01(['core-05=unix:///nonexistent/core-05.sock']);
    await c.waitFor(/x disconnected .*core-01\.sock is no longer a swarm manager: start swarmdeck again/, 15_000);
    expect(c.store.getSnapshot().connection.error).toMatch(
      /core-01\.sock is no longer a swarm manager: start swarmdeck again with -H on a manager \(-H ssh:\/\/core-05\), or map them with --node-host$/,
    );
  });
});
