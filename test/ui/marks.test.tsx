import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Space marks rows; the view's verbs then act on all of them after one confirmation.
let c: TestConsole;
afterEach(() => c?.close());

const node = (hostname: string) => [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === hostname)!;
const serviceNames = () => [...c.swarm.sim.swarm.services.values()].map((s) => s.spec.Name);

async function nodesView() {
  c = await startConsole({ width: 160 });
  await c.waitFor('flaskontesting');
  await c.press('1');
  await c.waitFor('Nodes (5)');
}

describe('marks', () => {
  test('Space marks nodes; r drains every marked node after one confirmation that lists them', async () => {
    await nodesView();
    await c.selectRow('core-02');
    await c.press(' ');
    await c.selectRow('core-04');
    await c.press(' ');
    const frame = await c.waitFor('2 marked');
    expect(frame).toMatch(/^\* core-02 /m);
    expect(frame).toMatch(/^\* core-04 /m);
    expect(frame).toMatch(/^ {2}core-03 /m);
    await c.press('r');
    const dialog = await c.waitFor('Drain 2 marked?');
    expect(dialog).toContain('docker node update --availability drain core-02');
    expect(dialog).toContain('docker node update --availability drain core-04');
    await c.press('y');
    await c.waitFor('2 of 2 done');
    expect([node('core-02').spec.Availability, node('core-03').spec.Availability, node('core-04').spec.Availability]).toEqual(['drain', 'active', 'drain']);
    // The marks are gone once used.
    expect(c.frame()).not.toMatch(/^\* /m);
  });

  test('Esc clears the marks, and the verb acts on the selected row again', async () => {
    await nodesView();
    await c.selectRow('core-02');
    await c.press(' ');
    await c.waitFor('1 marked');
    await c.press(KEY.escape);
    await c.selectRow('core-03');
    await c.press('c');
    await c.waitFor('Pause core-03?');
  });

  test('Ctrl+D on marked services removes them all after one confirmation and the count typed', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await c.selectRow('redis');
    await c.press(' ');
    await c.selectRow('counter');
    await c.press(' ');
    await c.press(KEY.ctrlD);
    const dialog = await c.waitFor('Remove 2 marked?');
    expect(dialog).toContain('docker service rm redis');
    expect(dialog).toContain('docker service rm counter');
    await c.press('y');
    await c.waitFor('type 2 services to go ahead');
    await c.press(...'2 services'.split(''), KEY.enter);
    await c.waitFor('2 of 2 done');
    expect(serviceNames()).not.toContain('redis');
    expect(serviceNames()).not.toContain('counter');
    expect(serviceNames()).toContain('web');
  });
});
