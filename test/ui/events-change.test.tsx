import { afterEach, describe, expect, test } from 'vitest';
import { startConsole, type TestConsole } from '../helpers/console.js';

// The events view's CHANGE column for the updates dockerd's events name no field of (they carry only the name):
// the console compares the spec it held before with the one after.
let c: TestConsole;
afterEach(() => c?.close());

const node = (hostname: string) => [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === hostname)!;
const service = (name: string) => [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name)!;
/** The timeline's rows, newest first. */
const rows = (frame: string) => frame.split('\n').filter((l) => /^\d{4}-/.test(l));

describe('events view: CHANGE', () => {
  test('a node label update names the label added, changed or removed', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
    const n = node('core-03');
    c.swarm.sim.swarm.updateNode(n.id, n.version, { ...n.spec, Labels: { ...n.spec.Labels, gpu: 'true' } });
    const frame = await c.waitFor(/node\s+update\s+core-03\s+label gpu=true/);
    expect(rows(frame)[0]).toMatch(/core-03\s+label gpu=true\s*$/);
    const m = node('core-03');
    c.swarm.sim.swarm.updateNode(m.id, m.version, { ...m.spec, Labels: { zone: 'c' } });
    const after = await c.waitFor(/core-03\s+label zone b -> c, label -gpu/);
    expect(rows(after)[0]).toMatch(/core-03\s+label zone b -> c, label -gpu\s*$/);
  });

  test('a service args update shows the arguments before and after', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
    const redis = service('redis');
    const spec = structuredClone(redis.spec);
    spec.TaskTemplate!.ContainerSpec!.Args = ['redis-server', '--appendonly', 'yes'];
    c.swarm.sim.swarm.updateService(redis.id, redis.version, spec, false);
    const frame = await c.waitFor(/service\s+update\s+redis\s+args \(none\) -> redis-server --appendonly yes/);
    expect(frame).not.toMatch(/updatestate.*args/);
  });

  test('a placement update names the constraints added and removed', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
    const redis = service('redis');
    const spec = structuredClone(redis.spec);
    spec.TaskTemplate!.Placement = { Constraints: ['node.role==worker'] };
    c.swarm.sim.swarm.updateService(redis.id, redis.version, spec, false);
    await c.waitFor(/service\s+update\s+redis\s+placement \+node.role==worker/);
    const again = service('redis');
    const moved = structuredClone(again.spec);
    moved.TaskTemplate!.Placement = { Constraints: ['node.labels.zone==b'] };
    c.swarm.sim.swarm.updateService(again.id, again.version, moved, false);
    const frame = await c.waitFor(/redis\s+placement \+node.labels.zone==b -node.role==worker/);
    // The older event keeps what it changed.
    expect(frame).toMatch(/redis\s+placement \+node.role==worker\s*$/m);
  });

  test("an image update keeps the engine's words and adds nothing twice; secret-looking env values are masked", async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
    const redis = service('redis');
    const spec = structuredClone(redis.spec);
    spec.TaskTemplate!.ContainerSpec!.Image = 'redis:7';
    spec.TaskTemplate!.ContainerSpec!.Env = ['REDIS_PASSWORD=hunter2', 'MODE=a'];
    c.swarm.sim.swarm.updateService(redis.id, redis.version, spec, false);
    const frame = await c.waitFor(/service\s+update\s+redis\s+image redis:latest -> redis:7, env \+REDIS_PASSWORD=\*+ \+MODE=a/);
    expect(frame).not.toContain('hunter2');
    expect(frame.match(/redis:latest -> redis:7/g)).toHaveLength(1);
  });
});
