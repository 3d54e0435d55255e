import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from './backend.js';
import { raw as rawRequest } from './wire.js';

/**
 * The contract between swarmdeck and a Swarm manager, written once and run against both the
 * simulator and a real dockerd: what the app reads, and how the engine behaves when it acts.
 * Services it makes carry a name prefix and are removed afterwards; nodes are put back as found.
 */
export function defineContract(label: string, open: () => Promise<Backend>) {
  const PREFIX = `sdk-${process.pid.toString(36)}-`;
  const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
  const LOOP = 'i=0; while true; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); sleep 1; done';
  let b: Backend;

  const spec = (name: string, replicas: number, labels: Record<string, string> = {}) => ({
    Name: `${PREFIX}${name}`,
    Labels: { 'swarmdeck.test': 'contract', ...labels },
    TaskTemplate: {
      ContainerSpec: { Image: IMAGE, Args: ['sh', '-c', LOOP], StopSignal: 'SIGKILL', StopGracePeriod: 1_000_000_000 },
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: replicas } },
    // Real test swarms here have no IPVS: DNS round robin works everywhere.
    EndpointSpec: { Mode: 'dnsrr' },
  });

  /** Polls until `check` passes, letting time pass between tries. */
  async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeout = 90_000): Promise<T> {
    const step = 250;
    for (let waited = 0; ; waited += step) {
      const result = await check();
      if (result) return result;
      if (waited >= timeout) throw new Error(`${label}: timed out after ${timeout / 1000}s waiting for ${what}`);
      await b.tick(step);
    }
  }

  const raw = (method: string, path: string, body?: unknown) => rawRequest(b.docker, method, path, body);
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const e = error as { statusCode?: number; json?: { message?: string } };
      return { status: e.statusCode, message: e.json?.message };
    }
    throw new Error('expected a failure');
  };
  const inspect = (name: string) => b.docker.getService(`${PREFIX}${name}`).inspect();
  const tasksOf = async (name: string, filters: Record<string, string[]> = {}) =>
    (await b.docker.listTasks({ filters: { service: [`${PREFIX}${name}`], ...filters } })) as any[];
  const running = async (name: string) => (await tasksOf(name, { 'desired-state': ['running'] })).filter((t) => t.Status.State === 'running');
  const workers = async () => (await b.docker.listNodes()).filter((n: any) => n.Spec.Role === 'worker' && n.Status.State === 'ready') as any[];
  async function update(name: string, change: (spec: any) => any, query = '') {
    const s = await inspect(name);
    const path = `/services/${s.ID}/update?version=${s.Version.Index}${query}`;
    return raw('POST', path, change(structuredClone(s.Spec)));
  }
  async function setNode(id: string, change: Record<string, string>) {
    const n = await b.docker.getNode(id).inspect();
    return raw('POST', `/nodes/${id}/update?version=${n.Version.Index}`, { ...n.Spec, ...change });
  }
  async function converged(name: string, replicas: number) {
    return eventually(async () => {
      const list = await running(name);
      const [service] = (await b.docker.listServices({ status: true, filters: { name: [`${PREFIX}${name}`] } } as {})) as any[];
      return list.length === replicas && service?.ServiceStatus?.RunningTasks === replicas && list;
    }, `${name} to run ${replicas} tasks`);
  }
  /** The event history between `since` and the server's now, with filters. */
  async function eventsSince(since: number, filters: Record<string, string[]>) {
    // `until` must be in the past, or the engine waits for it: let a second pass, then ask up to now.
    await b.tick(1000);
    const until = Math.floor(Date.parse(((await b.docker.info()) as any).SystemTime) / 1000);
    const res = await raw('GET', `/events?since=${since}&until=${until}&filters=${encodeURIComponent(JSON.stringify(filters))}`);
    const text = Buffer.isBuffer(res.body) ? res.body.toString() : typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    return text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l: string) => JSON.parse(l));
  }
  const nowSeconds = async () => Math.floor(Date.parse(((await b.docker.info()) as any).SystemTime) / 1000) - 1;

  describe(`the swarm contract (${label})`, () => {
    beforeAll(async () => {
      b = await open();
      await Promise.all([
        b.docker.createService(spec('web', 2, { 'com.docker.stack.namespace': `${PREFIX}stack` }) as any),
        b.docker.createService(spec('db', 1) as any),
        b.docker.createService({ ...spec('agent', 0), Mode: { Global: {} } } as any),
      ]);
      await converged('web', 2);
      await converged('db', 1);
    }, 180_000);

    afterAll(async () => {
      if (!b) return;
      for (const s of (await b.docker.listServices()) as any[]) {
        if (s.Spec.Name.startsWith(PREFIX))
          await b.docker
            .getService(s.ID)
            .remove()
            .catch(() => {});
      }
      for (const n of (await b.docker.listNodes()) as any[]) {
        if (n.Spec.Availability !== 'active') await setNode(n.ID, { Availability: 'active' });
      }
      await b.close();
    }, 120_000);

    describe('listings the console reads', () => {
      test('nodes carry id, version, role, availability, hostname, status, resources and manager status', async () => {
        const nodes = (await b.docker.listNodes()) as any[];
        expect(nodes.length).toBeGreaterThanOrEqual(3);
        for (const n of nodes) {
          expect(n.ID).toMatch(/^[0-9a-z]{25}$/);
          expect(n.Version.Index).toBeGreaterThan(0);
          expect(['manager', 'worker']).toContain(n.Spec.Role);
          expect(['active', 'pause', 'drain']).toContain(n.Spec.Availability);
          expect(typeof n.Description.Hostname).toBe('string');
          expect(n.Description.Resources.NanoCPUs).toBeGreaterThan(0);
          expect(n.Description.Engine.EngineVersion).toMatch(/^20\.10\./);
          expect(n.Status.State).toBe('ready');
          if (n.Spec.Role === 'manager') expect(n.ManagerStatus.Reachability).toBe('reachable');
          else expect(n.ManagerStatus).toBeUndefined();
        }
        expect(nodes.filter((n) => n.ManagerStatus?.Leader)).toHaveLength(1);
      });

      test('info names this node, says it is an active manager, and counts nodes and managers', async () => {
        const info = (await b.docker.info()) as any;
        const nodes = (await b.docker.listNodes()) as any[];
        expect(info.Swarm).toMatchObject({ LocalNodeState: 'active', ControlAvailable: true, Nodes: nodes.length });
        expect(nodes.map((n) => n.ID)).toContain(info.Swarm.NodeID);
        expect(info.ServerVersion).toMatch(/^20\.10\./);
      });

      test('services with status=true carry ServiceStatus; without it they do not', async () => {
        const [withStatus] = (await b.docker.listServices({ status: true, filters: { name: [`${PREFIX}web`] } } as {})) as any[];
        expect(withStatus.ServiceStatus).toEqual({ RunningTasks: 2, DesiredTasks: 2, CompletedTasks: 0 });
        // No published ports: the engine leaves Endpoint.Spec empty, whatever the endpoint mode.
        expect(withStatus.Endpoint).toEqual({ Spec: {} });
        expect(withStatus.UpdateStatus).toBeUndefined();
        expect(withStatus.PreviousSpec).toBeUndefined();
        const [without] = (await b.docker.listServices({ filters: { name: [`${PREFIX}web`] } })) as any[];
        expect(without.ServiceStatus).toBeUndefined();
      });

      test('a global service desires one task per eligible node', async () => {
        const nodes = (await b.docker.listNodes()) as any[];
        const [agent] = await eventually(async () => {
          const list = (await b.docker.listServices({ status: true, filters: { name: [`${PREFIX}agent`] } } as {})) as any[];
          return list[0]?.ServiceStatus?.RunningTasks === nodes.length && list;
        }, 'the global service on every node');
        expect(agent.ServiceStatus.DesiredTasks).toBe(nodes.length);
      });

      test('tasks carry the fields the tasks view shows', async () => {
        const [task] = await running('db');
        expect(task).toMatchObject({ ServiceID: expect.any(String), Slot: 1, NodeID: expect.any(String), DesiredState: 'running', Labels: {} });
        expect(task.Status).toMatchObject({ State: 'running', Message: 'started' });
        expect(Date.parse(task.Status.Timestamp)).not.toBeNaN();
        expect(task.Spec.ContainerSpec.Image).toBe(IMAGE);
        expect(task.Status.ContainerStatus.ContainerID).toMatch(/^[0-9a-f]{64}$/);
      });
    });

    describe('filters and lookup', () => {
      test('the service name filter is a prefix match', async () => {
        const list = (await b.docker.listServices({ filters: { name: [PREFIX] } })) as any[];
        expect(list.map((s) => s.Spec.Name).sort()).toEqual([`${PREFIX}agent`, `${PREFIX}db`, `${PREFIX}web`]);
      });

      test('the service id filter is a prefix match', async () => {
        const web = await inspect('web');
        const list = (await b.docker.listServices({ filters: { id: [web.ID.slice(0, 10)] } })) as any[];
        expect(list.map((s) => s.ID)).toEqual([web.ID]);
      });

      test("the label filter matches key=value on services, and tasks by their service's labels", async () => {
        const label = `com.docker.stack.namespace=${PREFIX}stack`;
        const services = (await b.docker.listServices({ filters: { label: [label] } })) as any[];
        expect(services.map((s) => s.Spec.Name)).toEqual([`${PREFIX}web`]);
        const tasks = (await b.docker.listTasks({ filters: { label: [label], 'desired-state': ['running'] } })) as any[];
        expect(tasks).toHaveLength(2);
        expect(tasks.every((t) => JSON.stringify(t.Labels) === '{}')).toBe(true);
      });

      test('the tasks service filter takes the name; node takes the hostname', async () => {
        const byName = await tasksOf('db');
        expect(byName.length).toBeGreaterThanOrEqual(1);
        const node = (await b.docker.getNode(byName[0].NodeID).inspect()) as any;
        const onNode = (await b.docker.listTasks({ filters: { node: [node.Description.Hostname] } })) as any[];
        expect(onNode.map((t) => t.ID)).toContain(byName[0].ID);
      });

      test('an unknown filter is 400 Invalid filter', async () => {
        for (const path of ['/services', '/tasks']) {
          const res = await raw('GET', `${path}?filters=${encodeURIComponent('{"bogus":{"x":true}}')}`);
          expect(res, path).toEqual({ status: 400, body: { message: "Invalid filter 'bogus'" } });
        }
      });

      test('a service is found by id, name and id prefix; a missing one is 404', async () => {
        const web = await inspect('web');
        for (const ref of [web.ID, `${PREFIX}web`, web.ID.slice(0, 8)]) expect((await b.docker.getService(ref).inspect()).ID).toBe(web.ID);
        expect(await failure(b.docker.getService(`${PREFIX}missing`).inspect())).toEqual({ status: 404, message: `service ${PREFIX}missing not found` });
        expect(await failure(b.docker.getNode('doesnotexist').inspect())).toEqual({ status: 404, message: 'node doesnotexist not found' });
        expect(await failure(b.docker.getTask('doesnotexist').inspect())).toEqual({ status: 404, message: 'task doesnotexist not found' });
      });

      test('insertDefaults writes the update and restart defaults', async () => {
        const res = await raw('GET', `/services/${PREFIX}db?insertDefaults=true`);
        expect(res.body.Spec.UpdateConfig).toEqual({ Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' });
        expect(res.body.Spec.RollbackConfig).toEqual({
          Parallelism: 1,
          FailureAction: 'pause',
          Monitor: 5_000_000_000,
          MaxFailureRatio: 0,
          Order: 'stop-first',
        });
      });
    });

    describe('errors the console shows', () => {
      test('a stale version is 500 update out of sequence', async () => {
        const s = await inspect('db');
        await raw('POST', `/services/${s.ID}/update?version=${s.Version.Index}`, { ...s.Spec, Labels: { ...s.Spec.Labels, touched: '1' } });
        const res = await raw('POST', `/services/${s.ID}/update?version=${s.Version.Index}`, s.Spec);
        expect(res).toEqual({ status: 500, body: { message: 'rpc error: code = Unknown desc = update out of sequence' } });
      });

      test('a missing version is a 400 parse error', async () => {
        const s = await inspect('db');
        const res = await raw('POST', `/services/${s.ID}/update`, s.Spec);
        expect(res).toEqual({ status: 400, body: { message: 'invalid service version \'\': strconv.ParseUint: parsing "": invalid syntax' } });
      });

      test('changing the mode is 501', async () => {
        const res = await update('db', (spec) => ({ ...spec, Mode: { Global: {} } }));
        expect(res).toEqual({ status: 501, body: { message: 'rpc error: code = Unimplemented desc = service mode change is not allowed' } });
      });

      test('rollback with no previous spec is 400 FailedPrecondition', async () => {
        await b.docker.createService(spec('fresh', 0) as any);
        const s = await inspect('fresh');
        const res = await raw('POST', `/services/${s.ID}/update?rollback=previous&version=${s.Version.Index}`, s.Spec);
        expect(res).toEqual({ status: 400, body: { message: `rpc error: code = FailedPrecondition desc = service ${s.ID} does not have a previous spec` } });
      });

      test('logs with no stream chosen is 500', async () => {
        const res = await raw('GET', `/services/${PREFIX}db/logs`);
        expect(res).toEqual({ status: 500, body: { message: 'Bad parameters: you must choose at least one stream' } });
      });

      test('an unknown route is 404 page not found', async () => {
        expect(await raw('GET', '/bogus/route')).toEqual({ status: 404, body: { message: 'page not found' } });
      });
    });

    describe('scale', () => {
      test('scaling up converges; scaling down marks tasks for removal and deletes them', async () => {
        const since = await nowSeconds();
        expect((await update('web', (spec) => ({ ...spec, Mode: { Replicated: { Replicas: 4 } } }))).status).toBe(200);
        await converged('web', 4);
        const events = await eventsSince(since, { type: ['service'], service: [`${PREFIX}web`] });
        expect(events).toContainEqual(
          expect.objectContaining({
            Type: 'service',
            Action: 'update',
            Actor: expect.objectContaining({ Attributes: { name: `${PREFIX}web`, 'replicas.new': '4', 'replicas.old': '2' } }),
          }),
        );
        await update('web', (spec) => ({ ...spec, Mode: { Replicated: { Replicas: 2 } } }));
        // A real manager's orchestrator marks the surplus tasks a moment after the call returns.
        const marked = await eventually(async () => {
          const found = (await tasksOf('web')).filter((t) => t.DesiredState === 'remove');
          return found.length > 0 && found;
        }, 'surplus tasks to be marked for removal');
        expect(marked.map((t) => t.Slot).sort()).toEqual([3, 4]);
        await eventually(async () => (await tasksOf('web')).every((t) => t.Slot <= 2), 'scaled-down tasks to be deleted');
        await converged('web', 2);
      });
    });

    describe('updates and rollback', () => {
      test('a forced update replaces the tasks, reports updating then completed, and keeps the old tasks as history', async () => {
        const before = (await running('web')).map((t) => t.ID);
        const since = await nowSeconds();
        await update(
          'web',
          (spec) => ({ ...spec, TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: (spec.TaskTemplate.ForceUpdate ?? 0) + 1 } }),
          '&registryAuthFrom=spec',
        );
        // A real manager's updater writes UpdateStatus a moment after the update call returns.
        const during = await eventually(async () => {
          const s = await inspect('web');
          return s.UpdateStatus !== undefined && s;
        }, 'the update to start');
        expect(during.UpdateStatus).toMatchObject({ State: 'updating', Message: 'update in progress' });
        expect(during.PreviousSpec.TaskTemplate.ForceUpdate ?? 0).toBe(0);
        const done = await eventually(async () => {
          const s = await inspect('web');
          return s.UpdateStatus?.State === 'completed' && s;
        }, 'the update to complete');
        expect(done.UpdateStatus).toMatchObject({ Message: 'update completed', StartedAt: expect.any(String), CompletedAt: expect.any(String) });
        const now = await running('web');
        expect(now.map((t) => t.ID).some((id) => before.includes(id))).toBe(false);
        expect(now.every((t) => t.Spec.ForceUpdate === 1)).toBe(true);
        const upToDate = (await tasksOf('web', { '_up-to-date': ['true'] })).filter((t) => t.DesiredState === 'running');
        expect(upToDate).toHaveLength(2);
        const history = (await tasksOf('web')).filter((t) => before.includes(t.ID));
        expect(history.every((t) => t.DesiredState === 'shutdown' && t.Status.State === 'shutdown')).toBe(true);
        const events = await eventsSince(since, { type: ['service'], service: [`${PREFIX}web`] });
        const states = events.map((e: any) => e.Actor.Attributes['updatestate.new']).filter(Boolean);
        expect(states).toEqual(['updating', 'completed']);
      });

      test('rollback swaps Spec and PreviousSpec and reports rollback_started then rollback_completed', async () => {
        const before = await inspect('web');
        expect(before.PreviousSpec).toBeDefined();
        const res = await raw('POST', `/services/${before.ID}/update?rollback=previous&version=${before.Version.Index}`, before.Spec);
        expect(res.status).toBe(200);
        const during = await inspect('web');
        expect(during.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(0);
        expect(during.PreviousSpec.TaskTemplate.ForceUpdate).toBe(1);
        expect(during.UpdateStatus).toMatchObject({ State: 'rollback_started', Message: 'manually requested rollback' });
        const done = await eventually(async () => {
          const s = await inspect('web');
          return s.UpdateStatus?.State === 'rollback_completed' && s;
        }, 'the rollback to complete');
        expect(done.UpdateStatus.Message).toBe('rollback completed');
        await converged('web', 2);
      });
    });

    describe('logs', () => {
      test('service logs are multiplexed frames with timestamps and the three swarm ids as details', async () => {
        await b.tick(3000);
        const body = (await b.docker
          .getService(`${PREFIX}db`)
          .logs({ stdout: true, stderr: true, timestamps: true, details: true, tail: 5 } as any)) as unknown as Buffer;
        const frames: { stream: number; text: string }[] = [];
        for (let at = 0; at + 8 <= body.length;) {
          const length = body.readUInt32BE(at + 4);
          expect(body[at + 1] + body[at + 2] + body[at + 3]).toBe(0);
          frames.push({ stream: body[at], text: body.subarray(at + 8, at + 8 + length).toString() });
          at += 8 + length;
        }
        expect(frames.length).toBeGreaterThan(0);
        const [task] = await running('db');
        for (const f of frames) {
          expect([1, 2]).toContain(f.stream);
          expect(f.text.endsWith('\n')).toBe(true);
          expect(f.text).toMatch(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z com\.docker\.swarm\.node\.id=\w+,com\.docker\.swarm\.service\.id=\w+,com\.docker\.swarm\.task\.id=\w+ /,
          );
        }
        expect(frames.some((f) => f.text.includes(`com.docker.swarm.task.id=${task.ID}`))).toBe(true);
      });

      test('follow keeps streaming new lines', async () => {
        const stream = (await b.docker
          .getService(`${PREFIX}db`)
          .logs({ stdout: true, stderr: true, follow: true, tail: 0 } as any)) as unknown as IncomingMessage;
        let bytes = 0;
        stream.on('data', (c: Buffer) => (bytes += c.length));
        await eventually(async () => bytes > 0, 'a followed log line', 30_000);
        stream.destroy();
      });
    });

    describe('nodes', () => {
      test('drain moves the tasks off a worker and emits availability events; active takes it back', async () => {
        const [worker] = await workers();
        const since = await nowSeconds();
        expect((await setNode(worker.ID, { Availability: 'drain' })).status).toBe(200);
        await eventually(async () => {
          const on = (await b.docker.listTasks({ filters: { node: [worker.ID], 'desired-state': ['running'] } })) as any[];
          return on.length === 0;
        }, 'the drained worker to have no running tasks');
        await converged('web', 2);
        await converged('db', 1);
        const events = await eventsSince(since, { type: ['node'] });
        expect(events).toContainEqual(
          expect.objectContaining({
            Type: 'node',
            Action: 'update',
            Actor: {
              ID: worker.ID,
              Attributes: expect.objectContaining({ 'availability.new': 'drain', 'availability.old': 'active', name: worker.Description.Hostname }),
            },
          }),
        );
        expect((await setNode(worker.ID, { Availability: 'active' })).status).toBe(200);
      });

      test('promote and demote a worker; demoting the last manager is refused', async () => {
        const [worker] = (await workers()).sort((x, y) => x.Description.Hostname.localeCompare(y.Description.Hostname));
        expect((await setNode(worker.ID, { Role: 'manager' })).status).toBe(200);
        await eventually(
          async () => ((await b.docker.getNode(worker.ID).inspect()) as any).ManagerStatus?.Reachability === 'reachable',
          'the promoted node to be reachable',
        );
        // Right after a raft change a second one can be refused until it settles: retry, as an operator would.
        await eventually(async () => (await setNode(worker.ID, { Role: 'worker' })).status === 200, 'the demotion to be accepted', 60_000);
        await eventually(async () => ((await b.docker.getNode(worker.ID).inspect()) as any).ManagerStatus === undefined, 'the node to be a worker again');
        // Raft drops the member a little later: until then, stopping that node would cost the swarm its quorum.
        const managerCount = ((await b.docker.listNodes()) as any[]).filter((n) => n.Spec.Role === 'manager').length;
        await eventually(async () => ((await b.docker.info()) as any).Swarm.RemoteManagers?.length === managerCount, 'raft to drop the demoted member');
        const managers = (await b.docker.listNodes({ filters: JSON.stringify({ role: ['manager'] }) })) as any[];
        if (managers.length === 1) {
          const res = await setNode(managers[0].ID, { Role: 'worker' });
          expect(res).toEqual({
            status: 400,
            body: { message: 'rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm' },
          });
        }
      });

      test('a worker that stops goes down, its tasks are rescheduled, and it comes back', async (context) => {
        if (!b.nodeControl) {
          console.warn(`SKIP (${label}): set SWARMDECK_TEST_NODE_CTL to stop and start nodes`);
          context.skip();
        }
        // The last worker: the first one was promoted and demoted above, and raft may still be settling.
        const worker = (await workers()).sort((x, y) => x.Description.Hostname.localeCompare(y.Description.Hostname)).at(-1);
        const hostname = worker.Description.Hostname;
        const placed = async () => (await running('web')).concat(await running('db')).filter((t) => t.NodeID === worker.ID);
        if ((await placed()).length === 0) {
          await update('web', (spec) => ({ ...spec, Mode: { Replicated: { Replicas: 3 } } }));
          await converged('web', 3);
        }
        const replicas = (await inspect('web')).Spec.Mode.Replicated.Replicas;
        await b.nodeControl!.stop(hostname);
        try {
          await eventually(async () => ((await b.docker.getNode(worker.ID).inspect()) as any).Status.State === 'down', `${hostname} to be down`, 120_000);
          await eventually(
            async () => {
              const list = (await running('web')).filter((t) => t.NodeID !== worker.ID);
              return list.length === replicas;
            },
            'web to be rescheduled off the down node',
            120_000,
          );
        } finally {
          await b.nodeControl!.start(hostname);
        }
        await eventually(async () => ((await b.docker.getNode(worker.ID).inspect()) as any).Status.State === 'ready', `${hostname} to be ready again`, 120_000);
      }, 300_000);
    });
  });
}
