import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Moments where the screen said something that was not so, found trying it as an operator (issue 16).
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('logs do not carry over the previous target', () => {
  test("a new service's logs open following and unsearched after the last one was paused and searched", async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.selectRow('redis');
    await c.press('l');
    await c.waitFor(/Logs of service redis .*follow/);
    // A search that finds a line pauses there.
    await c.press('/', 'S', 'a', 'v', 'i', 'n', 'g', KEY.enter);
    await c.waitFor(/Logs of service redis .*paused.*\/Saving/);
    await c.press(KEY.escape);
    await c.waitFor(/^ Services/m);
    await c.selectRow('counter');
    await c.press('l');
    const frame = await c.waitFor(/Logs of service counter/);
    const title = frame.split('\n').find((l) => l.includes('Logs of service counter'))!;
    expect(title).toMatch(/follow/);
    expect(title).not.toMatch(/paused|\/Saving/);
  });
});

describe('q in logs and inspect is a pager key', () => {
  test('q in the logs goes back to the services, and q there quits', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press('l');
    await c.waitFor(/Logs of service/);
    expect(c.frame()).toMatch(/q back/);
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });

  test('q in inspect goes back to the list it came from', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press('i');
    await c.waitFor(/Inspect service/);
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });
});

describe('logs of tasks that never started', () => {
  test('say there are none and why, instead of "loading logs..." for ever', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    c.swarm.sim.swarm.breakImage('nope:1');
    c.swarm.sim.swarm.createService({ Name: 'broken', TaskTemplate: { ContainerSpec: { Image: 'nope:1' } } });
    c.swarm.advance(3000);
    await c.waitFor(/^broken\s/m);
    await c.press(':', ...'logs broken', KEY.enter);
    await c.waitFor('no logs: no task of this service has started (rejected: No such image: nope:1)');
    expect(c.frame()).not.toMatch(/loading logs/);
  });
});
