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

/** The service filters of the running-task listings the console sent, oldest first. */
const serviceListings = (paths: string[]) =>
  paths
    .filter((p) => /\/tasks\?filters=.*"service"/.test(p))
    .map((p) => JSON.parse(decodeURIComponent(p.slice(p.indexOf('filters=') + 'filters='.length))).service as string[]);

test('a service on screen that scales has its own running tasks listed again, not those of every service on screen', async () => {
  swarm = await startTestSwarm({ scenario: 'large', nodes: 20, services: 10, replicas: 4 });
  proxy = await recordingProxy(swarm.sim.socketPath!);
  c = await mountConsole(proxy.host, { width: 200, now: () => swarm!.sim.swarm.now });
  // Every service on screen has its CPU and MEM: their running tasks were listed.
  await c.waitFor((f) => f.split('\n').filter((l) => /^stack\S+ .*\d\.\d%/.test(l)).length === 10, 10_000);
  const [first] = serviceListings(proxy.paths);
  expect(first).toHaveLength(10);
  const sent = proxy.paths.length;
  const [target] = c.store.getSnapshot().services;
  await c.client.updateService(target, (spec) => ({ ...spec, Mode: { Replicated: { Replicas: 7 } } }));
  // The simulator's clock is the test's: the new replicas are scheduled and start as it moves on.
  for (let i = 0; i < 10; i++) swarm.advance(1000);
  // The console lists that service's tasks again, and its row sums the three new replicas too.
  await c.waitFor(() => (c!.store.getSnapshot().serviceTasks.get(target.ID)?.length ?? 0) === 7, 10_000);
  const after = serviceListings(proxy.paths.slice(sent));
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((ids) => ids.length === 1 && ids[0] === target.ID)).toBe(true);
  // The other services keep what was listed for them.
  expect(c.store.getSnapshot().serviceTasks.size).toBe(10);
}, 30_000);
