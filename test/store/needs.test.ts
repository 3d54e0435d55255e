import { afterEach, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { SwarmClient } from '../../source/docker/client.js';
import { load } from '../../source/store/load.js';
import { createStore, type Store } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import type { Scope } from '../../source/store/state.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { serviceId, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
let proxy: RecordingProxy;
let sync: Sync | undefined;
afterEach(async () => {
  sync?.stop();
  await proxy?.close();
  await swarm?.close();
});

async function connect(): Promise<{ client: SwarmClient; store: Store }> {
  swarm = await startTestSwarm();
  proxy = await recordingProxy(swarm.sim.socketPath!);
  return { client: new SwarmClient({ ...parseHost(proxy.host, {}, undefined), label: 'test' }), store: createStore('test') };
}

const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));
/** The requests sent since `from`, but the event stream and the minute's services check. */
const since = (from: number) => proxy.paths.slice(from).filter((p) => !p.includes('/events'));

describe('Sync.show keeps exactly what the view needs', () => {
  test("a service's tasks are listed when shown, and no longer asked for once the view leaves them", async () => {
    const { client, store } = await connect();
    sync = new Sync(client, store);
    await sync.start();
    const id = await serviceId(swarm.docker, 'redis');
    const scope: Scope = { kind: 'service', id, name: 'redis' };
    let from = proxy.paths.length;
    sync.show({ tasks: scope });
    await settle();
    expect(since(from).filter((p) => p.startsWith('/tasks') || p.includes('/tasks?'))).toHaveLength(1);
    expect(store.getSnapshot().tasks.items.length).toBeGreaterThan(0);
    sync.show({});
    from = proxy.paths.length;
    await settle(2500);
    expect(since(from).filter((p) => p.includes('/tasks'))).toEqual([]);
  });

  test('the same needs shown again ask for nothing', async () => {
    const { client, store } = await connect();
    sync = new Sync(client, store);
    await sync.start();
    sync.show({ resource: 'networks', contexts: true });
    await settle();
    const from = proxy.paths.length;
    sync.show({ resource: 'networks', contexts: true });
    await settle();
    expect(since(from)).toEqual([]);
    expect(store.getSnapshot().resources.networks?.length).toBeGreaterThan(0);
  });

  test('the nodes on screen have their running tasks counted, with one listing for all of them', async () => {
    const { client, store } = await connect();
    sync = new Sync(client, store);
    await sync.start();
    const nodes = store
      .getSnapshot()
      .nodes.slice(0, 2)
      .map((n) => n.ID);
    const from = proxy.paths.length;
    sync.show({ nodes: { ids: nodes, poll: false } });
    await settle();
    const listings = since(from).filter((p) => p.includes('/tasks'));
    expect(listings).toHaveLength(1);
    expect(JSON.parse(listings[0].slice(listings[0].indexOf('filters=') + 8)).node.sort()).toEqual([...nodes].sort());
    expect([...store.getSnapshot().counts.keys()].sort()).toEqual([...nodes].sort());
  });

  test("every running task (:top's need) is listed with one filtered listing when shown, and forgotten when no longer shown", async () => {
    const { client, store } = await connect();
    sync = new Sync(client, store);
    await sync.start();
    const from = proxy.paths.length;
    sync.show({ running: true });
    await settle();
    const listings = since(from).filter((p) => p.includes('/tasks'));
    expect(listings.map((p) => p.replace(/^\/v[\d.]+/, ''))).toEqual(['/tasks?filters={"desired-state":["running"]}']);
    const running = await swarm.docker.listTasks({ filters: { 'desired-state': ['running'] } });
    expect(
      store
        .getSnapshot()
        .running.items.map((t) => t.ID)
        .sort(),
    ).toEqual(running.map((t) => t.ID).sort());
    sync.show({});
    expect(store.getSnapshot().running).toEqual({ items: [], loaded: false });
  });
});

describe('load (--once)', () => {
  test('fetches once what the needs name, and nothing else', async () => {
    const { client, store } = await connect();
    const id = await serviceId(swarm.docker, 'redis');
    const from = proxy.paths.length;
    await load(client, store, { tasks: { kind: 'service', id, name: 'redis' }, resource: 'secrets' }, { tail: 10 });
    const sent = since(from).map((p) => p.replace(/^\/v[\d.]+/, '').replace(/\?.*/, ''));
    expect(sent.sort()).toEqual(['/secrets', '/tasks']);
    expect(store.getSnapshot().tasks.loaded).toBe(true);
    expect(store.getSnapshot().resources.secrets).toBeDefined();
  });
});

describe('the running tasks of the services on screen', () => {
  test('are listed in one request filtered by those services, and no longer once they leave the screen', async () => {
    const { client, store } = await connect();
    sync = new Sync(client, store);
    await sync.start();
    const ids = [await serviceId(swarm.docker, 'redis'), await serviceId(swarm.docker, 'web')];
    let from = proxy.paths.length;
    sync.show({ serviceTasks: ids });
    await settle();
    const asked = since(from).filter((p) => p.includes('/tasks'));
    expect(asked).toHaveLength(1);
    const filters = JSON.parse(new URL(asked[0], 'http://x').searchParams.get('filters')!);
    expect(filters.service.sort()).toEqual([...ids].sort());
    expect(filters['desired-state']).toEqual(['running']);
    const listed = store.getSnapshot().serviceTasks;
    expect([...listed.keys()].sort()).toEqual([...ids].sort());
    expect(listed.get(ids[1])!.length).toBe(3);
    sync.show({});
    from = proxy.paths.length;
    await settle(2500);
    expect(since(from).filter((p) => p.includes('/tasks'))).toEqual([]);
    expect(store.getSnapshot().serviceTasks.size).toBe(0);
  });
});
