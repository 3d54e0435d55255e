import { afterEach, expect, test } from 'vitest';
import { mountConsole, type MountedConsole } from '../helpers/console.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm | undefined;
let proxy: RecordingProxy | undefined;
let c: MountedConsole | undefined;
afterEach(async () => {
  await c?.close();
  await proxy?.close();
  await swarm?.close();
});

/** The node filters of the task listings the console sent, oldest first. */
const nodeListings = (paths: string[]) =>
  paths.filter((p) => /\/tasks\?filters=.*"node"/.test(p)).map((p) => JSON.parse(p.slice(p.indexOf('filters=') + 'filters='.length)).node as string[]);

test('the nodes view asks for the tasks of the nodes on screen only; scrolling asks for the new row, and coming back asks for nothing', async () => {
  swarm = await startTestSwarm({ scenario: 'large', nodes: 60, services: 10, replicas: 12 });
  proxy = await recordingProxy(swarm.sim.socketPath!);
  // The console's clock stands still: what was listed stays fresh however slow the machine.
  const at = Date.now();
  c = await mountConsole(proxy.host, { view: { kind: 'nodes' }, height: 20, now: () => at });
  const rowsOf = (f: string) => f.split('\n').filter((l) => /^(mgr|node)-\d{4} /.test(l));
  // Every row on screen shows its task count.
  const frame = await c.waitFor((f) => rowsOf(f).length > 0 && rowsOf(f).every((l) => /\s\d+$/.test(l)));
  const onScreen = rowsOf(frame).length;
  expect(onScreen).toBeGreaterThan(10);
  expect(onScreen).toBeLessThan(60);
  const [first] = nodeListings(proxy.paths);
  expect(first).toHaveLength(onScreen);

  // One row past the bottom: only the node that came into view is asked for.
  for (let i = 0; i < onScreen; i++) await c.press('j');
  await c.waitFor(() => nodeListings(proxy!.paths).length === 2);
  expect(nodeListings(proxy.paths)[1]).toHaveLength(1);

  // Away to the services view and back: the counts are fresh, nothing is listed again.
  const sent = proxy.paths.length;
  await c.press('2');
  await c.waitFor(/^NAME\s/m);
  await c.press('1');
  await c.waitFor(/^HOSTNAME\s/m);
  await new Promise((r) => setTimeout(r, 300));
  expect(nodeListings(proxy.paths.slice(sent))).toEqual([]);
}, 30_000);
