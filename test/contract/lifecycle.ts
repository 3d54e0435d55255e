import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './wire.js';

/** Two engines not in a swarm (each left first), with what the suite needs to move time. */
export interface EnginePair {
  a: Docker;
  b: Docker;
  /** The address engine a advertises (what `swarm init --advertise-addr` is given). */
  addrA: string;
  tick(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A swarm's life from `swarm init` to `swarm leave`, on two fresh engines: the same tests against
 * the simulator (sim --engines) and two spare real dockerds. Each test builds on the one before,
 * in order, as a learner would type them.
 */
export function defineLifecycleContract(label: string, open: () => Promise<EnginePair>) {
  let p: EnginePair;
  const on = (docker: Docker) => (method: string, path: string, body?: unknown) => raw(docker, method, path, body);
  let a: ReturnType<typeof on>;
  let b: ReturnType<typeof on>;
  let tokens: { Worker: string; Manager: string };
  let bNode = '';
  const notInSwarm = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

  async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeout = 60_000): Promise<T> {
    for (let waited = 0; ; waited += 500) {
      const result = await check();
      if (result) return result;
      if (waited >= timeout) throw new Error(`${label}: timed out waiting for ${what}`);
      await p.tick(500);
    }
  }

  describe(`a swarm from init to leave (${label})`, () => {
    beforeAll(async () => {
      p = await open();
      a = on(p.a);
      b = on(p.b);
      await b('POST', '/swarm/leave?force=1');
      await a('POST', '/swarm/leave?force=1');
    }, 60_000);

    afterAll(async () => {
      if (!p) return;
      await b('POST', '/swarm/leave?force=1');
      await a('POST', '/swarm/leave?force=1');
      await p.close();
    }, 60_000);

    test('an engine not in a swarm refuses swarm routes with 503 and says to init or join', async () => {
      expect(await a('GET', '/nodes')).toEqual({ status: 503, body: { message: notInSwarm } });
      expect(await a('POST', '/swarm/leave')).toEqual({ status: 503, body: { message: 'This node is not part of a swarm' } });
      expect(((await a('GET', '/info')).body as any).Swarm).toMatchObject({ LocalNodeState: 'inactive', NodeID: '', ControlAvailable: false });
    });

    test('swarm init answers the node id, makes it the leader, and applies the spec and address pool it is given', async () => {
      const init = await a('POST', '/swarm/init', {
        ListenAddr: '0.0.0.0:2377',
        AdvertiseAddr: p.addrA,
        DefaultAddrPool: ['10.20.0.0/16'],
        SubnetSize: 26,
        Spec: { Labels: { env: 'practice' }, Dispatcher: { HeartbeatPeriod: 5_000_000_000 } },
      });
      expect(init.status).toBe(200);
      expect(init.body).toMatch(/^[0-9a-z]{25}$/);
      const info = ((await a('GET', '/info')).body as any).Swarm;
      expect(info).toMatchObject({ NodeID: init.body, NodeAddr: p.addrA, LocalNodeState: 'active', ControlAvailable: true, Nodes: 1, Managers: 1 });
      const swarm = (await a('GET', '/swarm')).body as any;
      expect(swarm.Spec.Labels).toEqual({ env: 'practice' });
      expect(swarm.Spec.Raft).toMatchObject({ ElectionTick: 10, HeartbeatTick: 1 });
      expect(swarm.DefaultAddrPool).toEqual(['10.20.0.0/16']);
      expect(swarm.SubnetSize).toBe(26);
      expect(swarm.JoinTokens.Worker).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
      tokens = swarm.JoinTokens;
      const [node] = (await a('GET', '/nodes')).body as any[];
      expect(node).toMatchObject({ ID: init.body, Spec: { Role: 'manager' }, ManagerStatus: { Leader: true, Reachability: 'reachable' } });
    });

    test('a second init is refused: the node is already part of a swarm', async () => {
      expect(await a('POST', '/swarm/init', { ListenAddr: '0.0.0.0:2377' })).toEqual({
        status: 503,
        body: { message: 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.' },
      });
    });

    test('a join with a malformed token, or a valid-looking token with the wrong secret, is refused', async () => {
      const remote = [`${p.addrA}:2377`];
      expect(await b('POST', '/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: remote, JoinToken: 'SWMTKN-1-bogus' })).toEqual({
        status: 500,
        body: { message: 'invalid join token' },
      });
      const wrong = `${tokens.Worker.slice(0, -25)}${'a'.repeat(25)}`;
      expect(await b('POST', '/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: remote, JoinToken: wrong })).toEqual({
        status: 400,
        body: { message: 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster' },
      });
      expect(((await b('GET', '/info')).body as any).Swarm.LocalNodeState).toBe('inactive');
    });

    test('a worker joins with the worker token and the manager address, and the manager lists it', async () => {
      expect((await b('POST', '/swarm/join', { ListenAddr: '0.0.0.0:2377', RemoteAddrs: [`${p.addrA}:2377`], JoinToken: tokens.Worker })).status).toBe(200);
      bNode = ((await b('GET', '/info')).body as any).Swarm.NodeID;
      expect(bNode).toMatch(/^[0-9a-z]{25}$/);
      const nodes = await eventually(async () => {
        const list = (await a('GET', '/nodes')).body as any[];
        return list.length === 2 && list.every((n) => n.Status.State === 'ready') && list;
      }, 'two ready nodes');
      expect(nodes.find((n: any) => n.ID === bNode).Spec.Role).toBe('worker');
    });

    test('the worker refuses manager routes with the words dockerd uses, but answers as an engine', async () => {
      const worker =
        "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
      expect(await b('GET', '/nodes')).toEqual({ status: 503, body: { message: worker } });
      expect(await b('GET', '/services')).toEqual({ status: 503, body: { message: worker } });
      expect(await b('POST', '/networks/create', { Name: 'lifecycle-net', Driver: 'overlay' })).toEqual({
        status: 403,
        body: { message: 'Cannot create a multi-host network from a worker node. Please create the network from a manager node.' },
      });
      expect((await b('GET', '/containers/json')).status).toBe(200);
      expect(((await b('GET', '/info')).body as any).Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: false, NodeID: bNode });
    });

    test('rotating the worker token changes it and leaves the manager token as it was', async () => {
      const swarm = (await a('GET', '/swarm')).body as any;
      expect((await a('POST', `/swarm/update?version=${swarm.Version.Index}&rotateWorkerToken=true`, swarm.Spec)).status).toBe(200);
      const after = ((await a('GET', '/swarm')).body as any).JoinTokens;
      expect(after.Worker).not.toBe(tokens.Worker);
      expect(after.Manager).toBe(tokens.Manager);
      expect((await a('POST', `/swarm/update?version=${swarm.Version.Index}`, swarm.Spec)).body.message).toBe(
        'rpc error: code = Unknown desc = update out of sequence',
      );
    });

    test('autolock gives an unlock key; unlocking a swarm that is not locked is a 409', async () => {
      expect((await a('GET', '/swarm/unlockkey')).body).toEqual({ UnlockKey: '' });
      const swarm = (await a('GET', '/swarm')).body as any;
      const locked = { ...swarm.Spec, EncryptionConfig: { AutoLockManagers: true } };
      expect((await a('POST', `/swarm/update?version=${swarm.Version.Index}`, locked)).status).toBe(200);
      expect(((await a('GET', '/swarm/unlockkey')).body as any).UnlockKey).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
      expect(await a('POST', '/swarm/unlock', { UnlockKey: 'SWMKEY-1-x' })).toEqual({ status: 409, body: { message: 'swarm is not locked' } });
      const again = (await a('GET', '/swarm')).body as any;
      expect((await a('POST', `/swarm/update?version=${again.Version.Index}`, { ...again.Spec, EncryptionConfig: { AutoLockManagers: false } })).status).toBe(
        200,
      );
    });

    test('the worker leaves; the manager sees it go down, and then node rm removes it', async () => {
      expect((await b('POST', '/swarm/leave')).status).toBe(200);
      expect(((await b('GET', '/info')).body as any).Swarm.LocalNodeState).toBe('inactive');
      await eventually(async () => ((await a('GET', `/nodes/${bNode}`)).body as any).Status?.State === 'down', 'the node that left to be down', 90_000);
      expect((await a('DELETE', `/nodes/${bNode}`)).status).toBe(200);
      expect(((await a('GET', '/nodes')).body as any[]).map((n) => n.ID)).not.toContain(bNode);
    }, 120_000);

    test('the last manager may leave only with force, which ends the swarm', async () => {
      expect(await a('POST', '/swarm/leave')).toEqual({
        status: 503,
        body: {
          message:
            'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ',
        },
      });
      expect((await a('POST', '/swarm/leave?force=1')).status).toBe(200);
      expect(await a('GET', '/swarm')).toEqual({ status: 503, body: { message: notInSwarm } });
    });
  });
}
