import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// The tasks view at 80x24, the terminal a manager's console often is: what a failing task says
// (ERROR) stays over its image, and no count (3/5, 22/22, "5 current") is cut in the middle.
let c: TestConsole;
afterEach(() => c?.close());

const LONG = 'payments_gateway_eu_west_primary_api';

/** A service of `replicas` tasks whose image cannot be pulled: each task is rejected with the engine's reason. */
async function failingService(name: string, replicas = 2) {
  c.swarm.sim.swarm.brokenImages.add('registry.example.com/payments/gateway:2.14.1');
  await c.swarm.docker.createService({
    Name: name,
    TaskTemplate: { ContainerSpec: { Image: 'registry.example.com/payments/gateway:2.14.1' } },
    Mode: { Replicated: { Replicas: replicas } },
  } as any);
  c.swarm.advance(3000);
}

/** Every number of the frame next to a cut mark (~) or a slash with nothing after it: a count cut short. */
const cutCounts = (frame: string) => frame.split('\n').filter((l) => /\d~|\d\/(~|$)|\/~/.test(l.trimEnd()));

describe('tasks view at 80x24', () => {
  test('ERROR is kept over IMAGE: a rejected task says why', async () => {
    c = await startConsole({ width: 80, height: 24 });
    await c.waitFor('flaskontesting');
    await failingService('gw');
    await c.press('/', 'g', 'w', KEY.enter);
    await c.waitFor(/^gw\s/m);
    await c.press(KEY.enter);
    const frame = await c.waitFor(/^gw\.2 /m);
    const header = frame.split('\n').find((l) => l.startsWith('NAME'))!;
    expect(header).toContain('ERROR');
    expect(frame).toMatch(/gw\.1 .*No such image/);
    expect(frame).toMatch(/IMAGE[^\n]* hidden/);
  });

  test('a long service name gives way in the title, its counts do not; read-only, the header drops whole figures', async () => {
    c = await startConsole({ width: 80, height: 24, readOnly: true });
    await c.waitFor('flaskontesting');
    await failingService(LONG, 5);
    await c.press('/', ...LONG.slice(0, 10), KEY.enter);
    await c.waitFor(new RegExp(`^${LONG.slice(0, 10)}`, 'm'));
    await c.press(KEY.enter);
    const frame = await c.waitFor(new RegExp(`^${LONG.slice(0, 10)}\\S*\\.5 `, 'm'));
    const lines = frame.split('\n');
    expect(lines[2]).toMatch(/\(\d+ current, \d+ in history\)/);
    expect(cutCounts(frame)).toEqual([]);
    // The header's figures are whole: each `N/M` as the store counts them, or left out.
    const header = lines[1];
    expect(header).toMatch(/^READ-ONLY {2}managers 2/);
    for (const count of header.match(/\d+\/\d*/g) ?? []) expect(count).toMatch(/^\d+\/\d+$/);
    expect(header).not.toMatch(/~$/);
  });
});
