import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// `:deploy FILE STACK` in the console, against the simulator.
let c: TestConsole;
afterEach(() => c?.close());
const file = join(import.meta.dirname, '../compose/corpus/keys.yml');
const typeCommand = (text: string) => c.press(':', ...text.split(''), KEY.enter);

describe(':deploy', () => {
  test('shows the plan; y applies exactly it and the stack services view follows', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    const dialog = await c.waitFor('Deploy stack demo from');
    expect(dialog).toContain('create    service demo_api');
    expect(dialog).toContain('create    network demo_front');
    expect(c.swarm.sim.swarm.services.size).toBe(6);
    await c.press('y');
    await c.waitFor('deploy stack demo: done');
    await c.waitFor(/demo_api\s+replicated/);
    expect([...c.swarm.sim.swarm.services.values()].map((s) => s.spec.Name)).toEqual(expect.arrayContaining(['demo_api', 'demo_agent']));
    await c.press('a');
    await c.waitFor(`docker stack deploy -c ${file} demo`);
  });

  test('n sends nothing', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('Deploy stack demo from');
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(c.swarm.sim.swarm.services.size).toBe(6);
  });

  test('a file that does not exist is said plainly', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await typeCommand('deploy /no/such.yml demo');
    await c.waitFor('deploy demo: /no/such.yml: no such file');
  });

  test('read-only mode refuses it before reading anything', async () => {
    c = await startConsole({ readOnly: true, width: 200 });
    await c.waitFor('READ-ONLY');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('read-only mode: this would change the swarm, so nothing was sent');
    expect(c.swarm.sim.swarm.services.size).toBe(6);
  });
});
