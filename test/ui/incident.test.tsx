import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Issue 23: actions do what the screen says they do.
let c: TestConsole;
afterEach(() => c?.close());

const replicas = (name: string) =>
  ([...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name)!.spec.Mode as { Replicated?: { Replicas?: number } }).Replicated?.Replicas;
const serviceNames = () => [...c.swarm.sim.swarm.services.values()].map((s) => s.spec.Name);

async function marked(...names: string[]) {
  c = await startConsole({ width: 160 });
  await c.waitFor('flaskontesting');
  for (const name of names) {
    await c.selectRow(name);
    await c.press(' ');
  }
  return c.waitFor(`${names.length} marked`);
}

describe('marked rows: the status line names exactly the verbs that act on them all', () => {
  test('the status line lists scale, restart and remove for marked services', async () => {
    const frame = await marked('counter', 'redis');
    expect(frame).toMatch(/2 marked: s scale, r restart, Ctrl\+D remove act on all of them; other keys on the cursor row/);
  });

  test('s scales every marked service, after one confirmation that lists them', async () => {
    await marked('counter', 'redis');
    await c.press('s');
    await c.waitFor('scale 2 marked (counter, redis) to:');
    await c.press('4', KEY.enter);
    const dialog = await c.waitFor('Scale 2 marked to 4?');
    expect(dialog).toContain('counter: 3 -> 4');
    expect(dialog).toContain('redis: 1 -> 4');
    await c.press('y');
    await c.waitFor('2 of 2 done');
    expect([replicas('counter'), replicas('redis'), replicas('web')]).toEqual([4, 4, 3]);
  });

  test('removing several marked services asks for the same typed confirmation as one', async () => {
    await marked('counter', 'redis');
    await c.press(KEY.ctrlD);
    await c.waitFor('Remove 2 marked?');
    await c.press('y');
    await c.waitFor('type 2 services to go ahead');
    // A bounced key is not enough.
    await c.press('y', KEY.enter);
    await c.waitFor('"y" is not 2 services: nothing was sent');
    expect(serviceNames()).toContain('counter');
    await c.press(KEY.ctrlD, 'y');
    await c.waitFor('type 2 services to go ahead');
    await c.press(...'2 services'.split(''), KEY.enter);
    await c.waitFor('2 of 2 done');
    expect(serviceNames()).not.toContain('counter');
    expect(serviceNames()).not.toContain('redis');
  });
});

describe('q means back everywhere', () => {
  test('q q from tasks then logs comes back to the services (it quit from the tasks view)', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.selectRow('web');
    await c.press(KEY.enter);
    await c.waitFor(/Tasks of service web[\s\S]*web\.1 /);
    await c.press('l');
    await c.waitFor(/Logs of /);
    await c.press('q');
    await c.waitFor('Tasks of service web');
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });
});
