import { afterEach, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { SwarmClient } from '../../source/docker/client.js';
import { ActionLog } from '../../source/store/action-log.js';
import { READ_ONLY_MESSAGE, runAction, type ActionContext } from '../../source/store/run-action.js';
import { createStore } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { serviceId, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let swarm: TestSwarm;
let proxy: RecordingProxy;
let sync: Sync;
afterEach(async () => {
  sync?.stop();
  await proxy?.close();
  await swarm?.close();
});

/** An action context on the simulator, through a recording proxy, with its own action log file. */
async function setUp(readOnly = false): Promise<ActionContext & { log: ActionLog }> {
  swarm = await startTestSwarm();
  proxy = await recordingProxy(swarm.sim.socketPath!);
  const client = new SwarmClient({ ...parseHost(proxy.host, {}, undefined), label: 'test' });
  const store = createStore('test');
  sync = new Sync(client, store);
  await sync.start();
  const log = new ActionLog(join(mkdtempSync(join(tmpdir(), 'swarmdeck-log-')), 'actions.log'));
  return { store, sync, readOnly, log };
}

describe('runAction', () => {
  test('scales the service, says so, and records the docker command in the action log', async () => {
    const ctx = await setUp();
    const id = await serviceId(swarm.docker, 'redis');
    expect(await runAction(ctx, { verb: 'scale', service: { id, name: 'redis' }, replicas: 3 })).toBe(true);
    expect((await swarm.docker.getService(id).inspect()).Spec.Mode.Replicated.Replicas).toBe(3);
    expect(ctx.store.getSnapshot().status?.text).toBe('scale redis to 3: done');
    expect(ctx.log.read().at(-1)).toMatchObject({ target: 'service redis', result: 'done', command: 'docker service scale redis=3' });
  });

  test('in read-only mode nothing is sent, the refusal is said and recorded', async () => {
    const ctx = await setUp(true);
    const id = await serviceId(swarm.docker, 'redis');
    const sent = proxy.paths.length;
    expect(await runAction(ctx, { verb: 'scale', service: { id, name: 'redis' }, replicas: 3 })).toBe(false);
    expect(proxy.paths.slice(sent)).toEqual([]);
    expect(ctx.store.getSnapshot().status?.text).toBe(READ_ONLY_MESSAGE);
    expect(ctx.log.read().at(-1)?.result).toBe('refused: read-only mode');
  });

  test("the daemon's refusal is reported word for word and recorded as failed", async () => {
    const ctx = await setUp();
    const manager = (await swarm.docker.listNodes()).find((n) => n.ManagerStatus?.Leader)!;
    const workers = (await swarm.docker.listNodes()).filter((n) => n.Spec?.Role === 'worker');
    for (const w of workers) swarm.sim.swarm.removeNode(w.ID!, true);
    const others = (await swarm.docker.listNodes()).filter((n) => n.ID !== manager.ID);
    for (const o of others) swarm.sim.swarm.updateNode(o.ID!, swarm.sim.swarm.node(o.ID!).version, { Role: 'worker', Availability: 'active', Labels: {} });
    expect(await runAction(ctx, { verb: 'role', node: { id: manager.ID!, name: 'core-01' }, role: 'worker' })).toBe(false);
    const { status } = ctx.store.getSnapshot();
    expect(status?.kind).toBe('error');
    expect(status?.text).toMatch(/^demote core-01: .*last manager/i);
    expect(ctx.log.read().at(-1)?.result).toMatch(/^failed: /);
  });

  test('a scale refetches the services only: the event stream brings the rest', async () => {
    const ctx = await setUp();
    const id = await serviceId(swarm.docker, 'redis');
    const sent = proxy.paths.length;
    await runAction(ctx, { verb: 'scale', service: { id, name: 'redis' }, replicas: 2 });
    const after = proxy.paths.slice(sent).filter((p) => !p.includes('/events'));
    expect(after.filter((p) => /\/services\/[^/?]+(\?|$)/.test(p) && !p.includes('update'))).toHaveLength(1); // the fresh read
    expect(after.filter((p) => p.includes('/services/') && p.includes('/update'))).toHaveLength(1);
    expect(after.filter((p) => /\/nodes(\?|$)/.test(p) || /\/tasks(\?|$)/.test(p))).toEqual([]);
  });

  test('a change made under us between read and write is read again and applied once on top of it', async () => {
    const ctx = await setUp();
    const id = await serviceId(swarm.docker, 'redis');
    // Someone else's update lands between our read and our write, once.
    const original = ctx.sync.client.updateService.bind(ctx.sync.client);
    let raced = false;
    ctx.sync.client.updateService = async (service, change) => {
      if (!raced) {
        raced = true;
        const current = await swarm.docker.getService(id).inspect();
        await swarm.docker.getService(id).update({ ...current.Spec, version: current.Version.Index, Labels: { by: 'someone else' } });
      }
      return original(service, change);
    };
    expect(await runAction(ctx, { verb: 'scale', service: { id, name: 'redis' }, replicas: 4 })).toBe(true);
    const spec = (await swarm.docker.getService(id).inspect()).Spec;
    expect(spec.Mode.Replicated.Replicas).toBe(4);
    expect(spec.Labels).toEqual({ by: 'someone else' });
  });
});
