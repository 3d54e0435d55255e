import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure, runningTasks, serviceId, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
beforeEach(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterEach(() => swarm.close());

const spec = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  Name: name,
  TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1000'] }, ...extra },
  Mode: { Replicated: { Replicas: replicas } },
});

async function inspect(name: string) {
  return swarm.docker.getService(name).inspect();
}

describe('listing', () => {
  test('the tutorial services are listed with replica counts when status=true', async () => {
    const services = await swarm.docker.listServices({ status: true } as {});
    const flask = services.find((s: any) => s.Spec.Name === 'flaskontesting') as any;
    expect(flask.ServiceStatus).toEqual({ RunningTasks: 5, DesiredTasks: 5, CompletedTasks: 0 });
    expect(flask.Endpoint.Ports[0]).toMatchObject({ PublishedPort: 80, TargetPort: 80, PublishMode: 'ingress' });
  });

  test('ServiceStatus is left out without status=true', async () => {
    const services = await swarm.docker.listServices();
    expect(services.every((s: any) => s.ServiceStatus === undefined)).toBe(true);
  });

  test('a global service desires one task per node', async () => {
    const [global] = (await swarm.docker.listServices({ status: true, filters: { mode: ['global'] } } as {})) as any[];
    expect(global.Spec.Name).toBe('node-exporter');
    expect(global.ServiceStatus).toMatchObject({ RunningTasks: 5, DesiredTasks: 5 });
  });

  test('the name filter is a prefix match', async () => {
    const services = await swarm.docker.listServices({ filters: { name: ['getstarted'] } });
    expect(services.map((s: any) => s.Spec.Name)).toEqual(['getstartedlab_web']);
  });

  test('the label filter finds a stack by its namespace label', async () => {
    const services = await swarm.docker.listServices({ filters: { label: ['com.docker.stack.namespace=getstartedlab'] } });
    expect(services.map((s: any) => s.Spec.Name)).toEqual(['getstartedlab_web']);
  });

  test('legacy array filters are accepted too', async () => {
    const res = await swarm.raw('GET', `/services?filters=${encodeURIComponent('{"name":["redis"]}')}`);
    expect(res.json().map((s: any) => s.Spec.Name)).toEqual(['redis']);
  });

  test("an unknown filter is refused with dockerd's message", async () => {
    const res = await swarm.raw('GET', `/services?filters=${encodeURIComponent('{"bogus":{"x":true}}')}`);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ message: "Invalid filter 'bogus'" });
  });
});

describe('lookup', () => {
  test('a service is found by name, full id and id prefix', async () => {
    const id = await serviceId(swarm.docker, 'redis');
    expect((await inspect('redis')).ID).toBe(id);
    expect((await inspect(id)).ID).toBe(id);
    expect((await inspect(id.slice(0, 6))).ID).toBe(id);
  });

  test("an unknown service is 404 with the engine's wording", async () => {
    expect(await failure(inspect('doesnotexist'))).toEqual({ status: 404, message: 'service doesnotexist not found' });
  });

  test('an ambiguous id prefix is refused, naming the match count', async () => {
    // Add services until two ids share a first character (at most 37 are needed for 36 characters).
    const shared = () => {
      const ids = [...swarm.sim.swarm.services.keys()];
      return ids.map((id) => id[0]).find((c, i, all) => all.indexOf(c) !== i);
    };
    for (let i = 0; !shared() && i < 40; i++) await swarm.docker.createService(spec(`amb-${i}`, 0) as any);
    const prefix = shared()!;
    const count = [...swarm.sim.swarm.services.keys()].filter((id) => id.startsWith(prefix)).length;
    expect(await failure(inspect(prefix))).toEqual({ status: 400, message: `service ${prefix} is ambiguous (${count} matches found)` });
  });

  test('insertDefaults writes the engine defaults into the spec', async () => {
    const plain = (await swarm.raw('GET', '/services/redis?insertDefaults=false')).json();
    const full = (await swarm.raw('GET', '/services/redis?insertDefaults=true')).json();
    expect(plain.Spec.UpdateConfig).toBeUndefined();
    // As the engine writes them: zero durations (Delay, Window) are left out.
    expect(full.Spec.UpdateConfig).toEqual({ Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' });
    expect(full.Spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'any', Delay: 5e9, MaxAttempts: 0 });
  });
});

describe('create and remove', () => {
  test('a created service converges: its tasks run once the clock moves', async () => {
    const created = await swarm.docker.createService(spec('probe', 3) as any);
    expect(created.id).toMatch(/^[0-9a-z]{25}$/);
    expect(await runningTasks(swarm.docker, 'probe')).toHaveLength(0);
    swarm.advance(2000);
    const tasks = await runningTasks(swarm.docker, 'probe');
    expect(tasks.map((t: any) => t.Slot).sort()).toEqual([1, 2, 3]);
  });

  test('tasks are spread across nodes', async () => {
    await swarm.docker.createService(spec('spread', 5) as any);
    swarm.advance(2000);
    const nodes = new Set((await runningTasks(swarm.docker, 'spread')).map((t: any) => t.NodeID));
    expect(nodes.size).toBe(5);
  });

  test('a duplicate name is a 409 conflict', async () => {
    expect(await failure(swarm.docker.createService(spec('redis', 1) as any))).toMatchObject({ status: 409 });
  });

  test('a spec with no image is refused', async () => {
    const bad = { Name: 'noimage', TaskTemplate: { ContainerSpec: {} } };
    expect(await failure(swarm.docker.createService(bad as any))).toEqual({
      status: 400,
      message: 'rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided',
    });
  });

  test('a removed service is gone and its tasks go with it', async () => {
    const id = await serviceId(swarm.docker, 'counter');
    await swarm.docker.getService('counter').remove();
    expect(await failure(inspect('counter'))).toMatchObject({ status: 404 });
    swarm.advance(2000);
    expect(await swarm.docker.listTasks({ filters: { service: [id] } })).toHaveLength(0);
    expect([...swarm.sim.swarm.tasks.values()].some((t) => t.serviceId === id)).toBe(false);
  });
});

describe('scale', () => {
  test('scaling up adds slots and ServiceStatus follows', async () => {
    const s = await inspect('redis');
    await swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 3 } } });
    swarm.advance(2000);
    expect(await runningTasks(swarm.docker, 'redis')).toHaveLength(3);
    const [listed] = (await swarm.docker.listServices({ status: true, filters: { name: ['redis'] } } as {})) as any[];
    expect(listed.ServiceStatus).toMatchObject({ RunningTasks: 3, DesiredTasks: 3 });
  });

  test('scaling down marks the highest slots for removal, then deletes them', async () => {
    const s = await inspect('flaskontesting');
    await swarm.docker.getService('flaskontesting').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 2 } } });
    const all = await swarm.docker.listTasks({ filters: { service: ['flaskontesting'] } });
    const removing = all
      .filter((t: any) => t.DesiredState === 'remove')
      .map((t: any) => t.Slot)
      .sort();
    expect(removing).toEqual([3, 4, 5]);
    swarm.advance(2000);
    const after = await swarm.docker.listTasks({ filters: { service: ['flaskontesting'] } });
    expect(after.map((t: any) => t.Slot).sort()).toEqual([1, 2]);
  });

  test('a scale clears an earlier UpdateStatus and sets PreviousSpec', async () => {
    expect((await inspect('web')).UpdateStatus?.State).toBe('completed');
    const s = await inspect('web');
    await swarm.docker.getService('web').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 4 } } });
    const after = await inspect('web');
    expect(after.UpdateStatus).toBeUndefined();
    expect(after.PreviousSpec.Mode.Replicated.Replicas).toBe(3);
  });

  test('changing a global service to replicated is 501, as the engine answers', async () => {
    const s = await inspect('node-exporter');
    const result = await failure(
      swarm.docker.getService('node-exporter').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 2 } } }),
    );
    expect(result).toEqual({ status: 501, message: 'rpc error: code = Unimplemented desc = service mode change is not allowed' });
  });
});

describe('versions', () => {
  test('a stale version is refused: update out of sequence, and nothing changes', async () => {
    const s = await inspect('redis');
    await swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Labels: { a: '1' } });
    const stale = await failure(swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Labels: { b: '2' } }));
    expect(stale).toEqual({ status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' });
    expect((await inspect('redis')).Spec.Labels).toEqual({ a: '1' });
  });

  test('a future version is refused the same way', async () => {
    const s = await inspect('redis');
    const future = await failure(swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index + 1000 }));
    expect(future.message).toBe('rpc error: code = Unknown desc = update out of sequence');
  });

  test('a missing version is a 400 parse error', async () => {
    const res = await swarm.raw('POST', '/services/redis/update', JSON.stringify({ Name: 'redis' }), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.json().message).toBe('invalid service version \'\': strconv.ParseUint: parsing "": invalid syntax');
  });

  test('the version index is global: every write moves it past all earlier ones', async () => {
    const before = Math.max(...(await swarm.docker.listServices()).map((s: any) => s.Version.Index));
    const s = await inspect('redis');
    await swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Labels: { x: 'y' } });
    expect((await inspect('redis')).Version.Index).toBeGreaterThan(before);
  });
});

describe('rolling updates', () => {
  test('a forced update replaces every task, one at a time, and reports updating then completed', async () => {
    const s = await inspect('counter');
    const template = { ...s.Spec.TaskTemplate, ForceUpdate: (s.Spec.TaskTemplate.ForceUpdate ?? 0) + 1 };
    await swarm.docker.getService('counter').update({ ...s.Spec, TaskTemplate: template, version: s.Version.Index });
    const during = await inspect('counter');
    expect(during.UpdateStatus).toMatchObject({ State: 'updating', Message: 'update in progress' });
    const upToDate = () => swarm.docker.listTasks({ filters: { service: ['counter'], '_up-to-date': ['true'] } });
    // Slot by slot: the first old task stops (300 ms), then its replacement is made; the others wait.
    swarm.advance(500);
    expect((await upToDate()).length).toBe(1);
    swarm.advance(20_000);
    const done = await inspect('counter');
    expect(done.UpdateStatus).toMatchObject({ State: 'completed', Message: 'update completed' });
    expect(done.UpdateStatus.CompletedAt).toBeDefined();
    const fresh = (await upToDate()).filter((t: any) => t.Status.State === 'running');
    expect(fresh).toHaveLength(3);
    expect(fresh.every((t: any) => t.Spec.ForceUpdate === 1)).toBe(true);
    const history = (await swarm.docker.listTasks({ filters: { service: ['counter'] } })).filter((t: any) => t.DesiredState === 'shutdown');
    expect(history).toHaveLength(3);
    expect(history.every((t: any) => t.Status.State === 'shutdown')).toBe(true);
  });

  test('rollback swaps Spec and PreviousSpec and reports rollback_started then rollback_completed', async () => {
    const before = await inspect('web');
    expect(before.Spec.TaskTemplate.ContainerSpec.Image).toBe('nginx:1.27-alpine');
    const res = await swarm.raw('POST', `/services/web/update?rollback=previous&version=${before.Version.Index}`, JSON.stringify(before.Spec));
    expect(res.status).toBe(200);
    const during = await inspect('web');
    expect(during.Spec).toEqual(before.PreviousSpec);
    expect(during.PreviousSpec).toEqual(before.Spec);
    expect(during.UpdateStatus).toMatchObject({ State: 'rollback_started', Message: 'manually requested rollback' });
    swarm.advance(30_000);
    const after = await inspect('web');
    expect(after.UpdateStatus).toMatchObject({ State: 'rollback_completed', Message: 'rollback completed' });
    const images = (await runningTasks(swarm.docker, 'web')).map((t: any) => t.Spec.ContainerSpec.Image);
    expect(images).toEqual(['nginx:1.25-alpine', 'nginx:1.25-alpine']);
  });

  test('rolling back twice re-applies the update', async () => {
    for (let i = 0; i < 2; i++) {
      const s = await inspect('web');
      await swarm.raw('POST', `/services/web/update?rollback=previous&version=${s.Version.Index}`, '{}');
      swarm.advance(30_000);
    }
    expect((await inspect('web')).Spec.TaskTemplate.ContainerSpec.Image).toBe('nginx:1.27-alpine');
  });

  test('rollback without a previous spec is refused with FailedPrecondition', async () => {
    const s = await inspect('redis');
    const res = await swarm.raw('POST', `/services/redis/update?rollback=previous&version=${s.Version.Index}`, '{}');
    expect(res.status).toBe(400);
    expect(res.json().message).toBe(`rpc error: code = FailedPrecondition desc = service ${s.ID} does not have a previous spec`);
  });

  test('an update to an image that fails pauses the rollout (failure action pause)', async () => {
    swarm.sim.swarm.breakImage('redis:broken');
    const s = await inspect('redis');
    const template = { ...s.Spec.TaskTemplate, ContainerSpec: { ...s.Spec.TaskTemplate.ContainerSpec, Image: 'redis:broken' } };
    await swarm.docker.getService('redis').update({ ...s.Spec, TaskTemplate: template, version: s.Version.Index });
    swarm.advance(5000);
    const after = await inspect('redis');
    expect(after.UpdateStatus.State).toBe('paused');
    expect(after.UpdateStatus.Message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
    const rejected = (await swarm.docker.listTasks({ filters: { service: ['redis'] } })).filter((t: any) => t.Status.State === 'rejected');
    expect(rejected[0].Status.Err).toBe('No such image: redis:broken');
  });

  test('failure action rollback rolls the service back by itself', async () => {
    swarm.sim.swarm.breakImage('p0bailey/get-started:broken');
    const s = await inspect('getstartedlab_web');
    const template = { ...s.Spec.TaskTemplate, ContainerSpec: { ...s.Spec.TaskTemplate.ContainerSpec, Image: 'p0bailey/get-started:broken' } };
    await swarm.docker.getService('getstartedlab_web').update({ ...s.Spec, TaskTemplate: template, version: s.Version.Index });
    swarm.advance(60_000);
    const started = swarm.sim.swarm.events.find((e) => e.Actor.Attributes['updatestate.new'] === 'rollback_started');
    expect(started?.Actor.Attributes['updatestate.old']).toBe('updating');
    const after = await inspect('getstartedlab_web');
    expect(after.UpdateStatus.State).toBe('rollback_completed');
    expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe('p0bailey/get-started:part2');
    expect(await runningTasks(swarm.docker, 'getstartedlab_web')).toHaveLength(5);
  });

  test('start-first updates start the new task before stopping the old one', async () => {
    const s = await inspect('web');
    const template = { ...s.Spec.TaskTemplate, ForceUpdate: 7 };
    await swarm.docker.getService('web').update({ ...s.Spec, TaskTemplate: template, version: s.Version.Index });
    swarm.advance(1000);
    // web updates two at a time, start-first: 3 old tasks still run beside the 2 new ones.
    const tasks = await swarm.docker.listTasks({ filters: { service: ['web'] } });
    const running = tasks.filter((t: any) => t.Status.State === 'running');
    expect(running).toHaveLength(5);
    expect(running.filter((t: any) => t.Spec.ForceUpdate === 7)).toHaveLength(2);
  });
});

describe('placement and restarts', () => {
  test('node.role==manager constraints place tasks only on managers', async () => {
    await swarm.docker.createService(spec('mgr-only', 4, { Placement: { Constraints: ['node.role==manager'] } }) as any);
    swarm.advance(2000);
    const managers = new Set((await swarm.docker.listNodes({ filters: JSON.stringify({ role: ['manager'] }) })).map((n: any) => n.ID));
    const tasks = await runningTasks(swarm.docker, 'mgr-only');
    expect(tasks).toHaveLength(4);
    expect(tasks.every((t: any) => managers.has(t.NodeID))).toBe(true);
  });

  test("a constraint no node meets leaves tasks pending with the scheduler's reason", async () => {
    await swarm.docker.createService(spec('nowhere', 1, { Placement: { Constraints: ['node.labels.zone==mars'] } }) as any);
    swarm.advance(2000);
    const [task] = await swarm.docker.listTasks({ filters: { service: ['nowhere'] } });
    expect(task.Status.State).toBe('pending');
    expect(task.Status.Err).toBe('no suitable node (scheduling constraints not satisfied on 5 nodes)');
  });

  test('max replicas per node caps placement', async () => {
    await swarm.docker.createService(spec('capped', 7, { Placement: { MaxReplicas: 1 } }) as any);
    swarm.advance(2000);
    expect(await runningTasks(swarm.docker, 'capped')).toHaveLength(5);
    const pending = (await swarm.docker.listTasks({ filters: { service: ['capped'] } })).filter((t: any) => t.Status.State === 'pending');
    expect(pending[0].Status.Err).toBe('no suitable node (max replicas per node limit exceed)');
  });

  test('a broken image is rejected again and again, history capped at 5 tasks per slot', async () => {
    swarm.sim.swarm.breakImage('busybox:1');
    await swarm.docker.createService(spec('crashy', 1) as any);
    swarm.advance(120_000);
    const tasks = await swarm.docker.listTasks({ filters: { service: ['crashy'] } });
    expect(tasks.length).toBe(5);
    expect(tasks.filter((t: any) => t.Status.State === 'rejected').length).toBeGreaterThanOrEqual(4);
  });

  test('restart condition none leaves a failed slot empty', async () => {
    swarm.sim.swarm.breakImage('busybox:1');
    await swarm.docker.createService(spec('once', 1, { RestartPolicy: { Condition: 'none' } }) as any);
    swarm.advance(60_000);
    const tasks = await swarm.docker.listTasks({ filters: { service: ['once'] } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0].Status.State).toBe('rejected');
  });
});

describe('the crash-loop drill', () => {
  test('containers exit 1 three seconds after each start and are restarted by policy, until fix-crash', async () => {
    const crash = await swarm.raw('POST', '/swarmdeck/drills/crash-loop?target=redis');
    expect(crash.json().message).toBe('redis now exits 1 three seconds after each start: its restart policy restarts it');
    swarm.advance(30_000);
    const tasks = (await swarm.docker.listTasks({ filters: { service: ['redis'] } })) as any[];
    const failed = tasks.filter((t) => t.Status.State === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0].Status.Err).toBe('task: non-zero exit (1)');
    expect(failed[0].Status.ContainerStatus.ExitCode).toBe(1);
    await swarm.raw('POST', '/swarmdeck/drills/fix-crash?target=redis');
    swarm.advance(60_000);
    const after = (await swarm.docker.listTasks({ filters: { service: ['redis'] } })) as any[];
    expect(after.filter((t) => t.Status.State === 'failed').length).toBeLessThanOrEqual(failed.length + 1);
    expect(after.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running')).toHaveLength(1);
  });
});
