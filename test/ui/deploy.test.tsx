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

  test("Enter on a create row shows the fields that would be sent; a secret's data is not shown", async () => {
    c = await startConsole({ width: 200, height: 120 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('Plan: deploy stack demo from');
    // Rows by name in each kind: networks back, front; secrets api_key, db_password; config site; services agent, api.
    await c.press('j', 'j', 'j', 'j', 'j', 'j');
    await c.press(KEY.enter);
    const open = await c.waitFor('+ TaskTemplate.ContainerSpec.Image: nginx:latest');
    expect(open).toContain('+ Mode.Replicated.Replicas: 2');
    expect(open).toContain('+ Name: demo_api');
    await c.press(KEY.enter);
    await c.waitFor((f) => !f.includes('+ Name: demo_api'));
    await c.press('g', 'j', 'j', 'j', KEY.enter);
    const secret = await c.waitFor('+ Name: demo_db_password');
    expect(secret).toMatch(/\+ Data: \(\d+ bytes read from \S*pw\.txt, not shown\)/);
    expect(secret).not.toContain(Buffer.from(readFileSync(join(dirname(file), 'pw.txt'))).toString('base64'));
  });

  test('i on a create row inspects the spec that would be sent, not the swarm', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await typeCommand(`deploy ${file} demo`);
    await c.waitFor('Plan: deploy stack demo from');
    await c.press('j', 'j', 'j', 'j', 'j', 'j', 'i');
    const shown = await c.waitFor('Inspect service demo_api');
    expect(shown).toContain('to be created');
    expect(shown).toMatch(/Image: "?nginx:latest/);
    expect(shown).not.toContain('Inspect the swarm');
    expect(shown).not.toContain('JoinTokens');
    // Back to the plan, the same row selected.
    await c.press(KEY.escape);
    await c.waitFor('Plan: deploy stack demo from');
  });

  test('i on an update row inspects the object as it is in the swarm now', async () => {
    c = await startConsole({ width: 200, height: 120 });
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
    await c.press('g', 'j', 'j', 'j', 'j', 'j', 'j', 'i');
    const id = [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === 'demo_api')!.id;
    const shown = await c.waitFor(`ID: ${id}`);
    expect(shown).toContain('Inspect service demo_api');
    expect(shown).toContain('Replicas: 2');
    expect(shown).not.toContain('to be created');
  });

  test('a file that does not exist is said plainly', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await typeCommand('deploy /no/such.yml demo');
    await c.waitFor('deploy demo: /no/such.yml: no such file');
  });

  test('read-only mode shows the plan; y is refused and nothing is sent', async () => {
    c = await startConsole({ readOnly: true, width: 200 });
    await c.waitFor('READ-ONLY');
    await typeCommand(`deploy ${file} demo`);
    const plan = await c.waitFor('Plan: deploy stack demo from');
    expect(plan).toContain('read-only: nothing can be applied');
    await c.press('j', 'j', 'j', 'j', 'j', 'j', KEY.enter);
    await c.waitFor('+ TaskTemplate.ContainerSpec.Image: nginx:latest');
    await c.press('y');
    await c.waitFor('read-only mode: this would change the swarm, so nothing was sent');
    expect(c.swarm.sim.swarm.services.size).toBe(6);
    expect([...c.swarm.sim.swarm.services.values()].some((s) => s.spec.Name === 'demo_api')).toBe(false);
  });
});
