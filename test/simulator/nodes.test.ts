import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure, runningTasks, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
beforeEach(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterEach(() => swarm.close());

async function node(name: string) {
  return swarm.docker.getNode(name).inspect();
}

async function setNode(name: string, change: Record<string, string>) {
  const n = await node(name);
  return swarm.docker.getNode(n.ID).update({ ...n.Spec, ...change, version: n.Version.Index }) as unknown as Promise<unknown>;
}

describe('listing and lookup', () => {
  test('the tutorial has core-01..05, core-01 the leader and core-05 a reachable manager', async () => {
    const nodes = await swarm.docker.listNodes();
    expect(nodes.map((n: any) => n.Description.Hostname).sort()).toEqual(['core-01', 'core-02', 'core-03', 'core-04', 'core-05']);
    expect((await node('core-01')).ManagerStatus).toMatchObject({ Leader: true, Reachability: 'reachable' });
    expect((await node('core-05')).ManagerStatus).toEqual({ Reachability: 'reachable', Addr: expect.stringMatching(/:2377$/) });
    expect((await node('core-02')).ManagerStatus).toBeUndefined();
  });

  test('the role filter lists managers only', async () => {
    const managers = await swarm.docker.listNodes({ filters: JSON.stringify({ role: ['manager'] }) });
    expect(managers.map((n: any) => n.Description.Hostname).sort()).toEqual(['core-01', 'core-05']);
  });

  test('a node is found by hostname and id prefix; an unknown one is 404', async () => {
    const n = await node('core-03');
    expect((await node(n.ID.slice(0, 5))).ID).toBe(n.ID);
    expect(await failure(node('doesnotexist'))).toEqual({ status: 404, message: 'node doesnotexist not found' });
  });

  test('"self" is not resolved by the server (the CLI resolves it via /info)', async () => {
    expect(await failure(node('self'))).toEqual({ status: 404, message: 'node self not found' });
  });
});

describe('availability', () => {
  test('draining a node moves its tasks to other nodes', async () => {
    const core2 = await node('core-02');
    const onCore2 = async () => (await swarm.docker.listTasks({ filters: { node: ['core-02'], 'desired-state': ['running'] } })).length;
    expect(await onCore2()).toBeGreaterThan(0);
    await setNode('core-02', { Availability: 'drain' });
    swarm.advance(3000);
    expect(await onCore2()).toBe(0);
    expect(await runningTasks(swarm.docker, 'flaskontesting')).toHaveLength(5);
    const left = await swarm.docker.listTasks({ filters: { node: [core2.ID] } });
    expect(left.every((t: any) => t.Status.State === 'shutdown')).toBe(true);
  });

  test('drain emits a node event with availability.new and .old', async () => {
    await setNode('core-02', { Availability: 'drain' });
    const event = swarm.sim.swarm.events.at(-1)!;
    expect(event).toMatchObject({
      Type: 'node',
      Action: 'update',
      Actor: { Attributes: { 'availability.new': 'drain', 'availability.old': 'active', name: 'core-02' } },
    });
  });

  test('a paused node keeps its tasks but gets no new ones', async () => {
    await setNode('core-03', { Availability: 'pause' });
    const before = (await swarm.docker.listTasks({ filters: { node: ['core-03'], 'desired-state': ['running'] } })).length;
    await swarm.docker.createService({ Name: 'more', TaskTemplate: { ContainerSpec: { Image: 'busybox:1' } }, Mode: { Replicated: { Replicas: 8 } } } as any);
    swarm.advance(3000);
    const after = await swarm.docker.listTasks({ filters: { node: ['core-03'], 'desired-state': ['running'] } });
    expect(after.length).toBe(before);
  });

  test('a drained node taken back to active gets new tasks again', async () => {
    await setNode('core-04', { Availability: 'drain' });
    swarm.advance(3000);
    await setNode('core-04', { Availability: 'active' });
    await swarm.docker.createService({ Name: 'fill', TaskTemplate: { ContainerSpec: { Image: 'busybox:1' } }, Mode: { Replicated: { Replicas: 5 } } } as any);
    swarm.advance(3000);
    const tasks = await runningTasks(swarm.docker, 'fill');
    const core4 = await node('core-04');
    expect(tasks.some((t: any) => t.NodeID === core4.ID)).toBe(true);
  });

  test('a stale node version is refused with update out of sequence', async () => {
    const n = await node('core-02');
    await swarm.docker.getNode(n.ID).update({ ...n.Spec, Availability: 'pause', version: n.Version.Index });
    const result = await failure(
      swarm.docker.getNode(n.ID).update({ ...n.Spec, Availability: 'drain', version: n.Version.Index }) as unknown as Promise<unknown>,
    );
    expect(result).toEqual({ status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' });
    expect((await node('core-02')).Spec.Availability).toBe('pause');
  });

  test('a node update answers 200 with an empty body and no content type', async () => {
    const n = await node('core-02');
    const res = await swarm.raw('POST', `/v1.41/nodes/${n.ID}/update?version=${n.Version.Index}`, JSON.stringify({ ...n.Spec, Availability: 'pause' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
  });
});

describe('roles', () => {
  test('promote makes a worker a reachable manager', async () => {
    await setNode('core-02', { Role: 'manager' });
    expect((await node('core-02')).ManagerStatus).toMatchObject({ Reachability: 'reachable' });
    expect((await swarm.docker.info()).Swarm.Managers).toBe(3);
  });

  test('demote turns a manager into a worker', async () => {
    await setNode('core-05', { Role: 'worker' });
    expect((await node('core-05')).ManagerStatus).toBeUndefined();
  });

  test("demoting the last manager is refused with the engine's message", async () => {
    await setNode('core-05', { Role: 'worker' });
    const result = await failure(setNode('core-01', { Role: 'worker' }));
    expect(result).toEqual({ status: 400, message: 'rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm' });
  });

  test('demoting a manager when the rest could not keep quorum is refused', async () => {
    await setNode('core-02', { Role: 'manager' });
    swarm.sim.swarm.nodeDown('core-02');
    const result = await failure(setNode('core-05', { Role: 'worker' }));
    expect(result.message).toBe("rpc error: code = FailedPrecondition desc = can't remove member from the raft: this would result in a loss of quorum");
  });

  test('removing a manager is refused until it is demoted', async () => {
    const n = await node('core-05');
    const result = await failure(swarm.docker.getNode(n.ID).remove({}));
    expect(result.message).toBe(
      `rpc error: code = FailedPrecondition desc = node ${n.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
    );
  });

  test('a down worker can be removed', async () => {
    swarm.sim.swarm.nodeDown('core-04');
    const n = await node('core-04');
    await swarm.docker.getNode(n.ID).remove({});
    expect(await failure(node('core-04'))).toMatchObject({ status: 404 });
  });
});

describe('node failure and quorum', () => {
  test('a node that goes down is reported down and its tasks are rescheduled', async () => {
    swarm.sim.swarm.nodeDown('core-03');
    expect((await node('core-03')).Status).toMatchObject({ State: 'down', Message: 'heartbeat failure' });
    swarm.advance(3000);
    expect(await runningTasks(swarm.docker, 'flaskontesting')).toHaveLength(5);
    const core3 = await node('core-03');
    const stranded = (await swarm.docker.listTasks({ filters: { service: ['flaskontesting'] } })).filter((t: any) => t.NodeID === core3.ID);
    // Like the engine: the old task keeps its last known state until the node is back.
    expect(stranded.some((t: any) => t.DesiredState === 'shutdown' && t.Status.State === 'running')).toBe(true);
  });

  test('when the node comes back, its moved tasks are shut down', async () => {
    swarm.sim.swarm.nodeDown('core-03');
    swarm.advance(3000);
    swarm.sim.swarm.nodeUp('core-03');
    swarm.advance(1000);
    expect((await node('core-03')).Status.State).toBe('ready');
    const core3 = await node('core-03');
    const tasks = (await swarm.docker.listTasks({ filters: { service: ['flaskontesting'] } })).filter(
      (t: any) => t.NodeID === core3.ID && t.DesiredState === 'shutdown',
    );
    expect(tasks.every((t: any) => t.Status.State === 'shutdown')).toBe(true);
  });

  test('losing quorum makes swarm calls fail as dockerd does without a leader', async () => {
    swarm.sim.swarm.loseQuorum();
    const result = await failure(swarm.docker.listServices());
    expect(result).toEqual({
      status: 500,
      message:
        "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
    });
    const info = await swarm.docker.info();
    expect(info.Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: true, Error: result.message });
    expect(info.Swarm.Managers).toBeUndefined();
    swarm.sim.swarm.regainQuorum();
    expect((await swarm.docker.listServices()).length).toBe(6);
  });
});
