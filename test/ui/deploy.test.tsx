import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// `:deploy FILE STACK` in the console, against the simulator.
let c: TestConsole;
afterEach(() => c?.close());
const file = join(import.meta.dirname, '../compose/corpus/keys.yml');
const typeCommand = (text: string) => c.press(':', ...text.split(''), KEY.enter);

describe(':deploy', () => {
  test('shows the plan as a view; y applies exactly it and the stack services view follows', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    const view = await c.waitFor('Plan: deploy stack demo from');
    expect(view).toMatch(/create\s+service\s+demo_api/);
    expect(view).toMatch(/create\s+network\s+demo_front/);
    expect(view).toContain('7 to create, 0 to update, 0 unchanged');
    expect(c.swarm.sim.swarm.services.size).toBe(6);
    await c.press('y');
    await c.waitFor('deploy stack demo: done');
    await c.waitFor(/demo_api\s+replicated/);
    expect([...c.swarm.sim.swarm.services.values()].map((s) => s.spec.Name)).toEqual(expect.arrayContaining(['demo_api', 'demo_agent']));
    await c.press('a');
    await c.waitFor(`docker stack deploy -c ${file} demo`);
  });

  test('Esc leaves the plan and sends nothing', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('Plan: deploy stack demo from');
    await c.press(KEY.escape);
    await c.waitFor(/Services \(6\)/);
    expect(c.swarm.sim.swarm.services.size).toBe(6);
  });

  test("Enter on an update opens the service's changed fields under it", async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('Plan: deploy stack demo from');
    await c.press('y');
    await c.waitFor('deploy stack demo: done');
    const changed = join(mkdtempSync(join(tmpdir(), 'swarmdeck-plan-view-')), 'keys.yml');
    for (const f of ['pw.txt', 'site.conf']) copyFileSync(join(dirname(file), f), join(dirname(changed), f));
    writeFileSync(changed, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 4'));
    await typeCommand(`deploy ${changed} demo`);
    await c.waitFor('1 to update');
    await c.selectRow('update');
    await c.press(KEY.enter);
    await c.waitFor('Mode.Replicated.Replicas: 2 -> 4');
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
