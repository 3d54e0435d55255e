import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { failure, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
beforeEach(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterEach(() => swarm.close());

/** Splits a multiplexed log body into frames. */
function frames(body: Buffer): { stream: number; text: string }[] {
  const out = [];
  for (let at = 0; at + 8 <= body.length;) {
    const length = body.readUInt32BE(at + 4);
    out.push({ stream: body[at], text: body.subarray(at + 8, at + 8 + length).toString('utf8') });
    at += 8 + length;
  }
  return out;
}

describe('tasks', () => {
  test("the service filter takes a name and returns that service's tasks", async () => {
    const tasks = await swarm.docker.listTasks({ filters: { service: ['redis'] } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0].Labels).toEqual({});
  });

  test('the node filter takes a hostname', async () => {
    const core1 = await swarm.docker.getNode('core-01').inspect();
    const tasks = await swarm.docker.listTasks({ filters: { node: ['core-01'] } });
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t: any) => t.NodeID === core1.ID)).toBe(true);
  });

  test("the label filter matches the service's labels (how `docker stack ps` works)", async () => {
    const tasks = await swarm.docker.listTasks({ filters: { label: ['com.docker.stack.namespace=getstartedlab'] } });
    expect(tasks.filter((t: any) => t.DesiredState === 'running')).toHaveLength(5);
  });

  test('desired-state filters running and shutdown tasks apart', async () => {
    const shutdown = await swarm.docker.listTasks({ filters: { service: ['web'], 'desired-state': ['shutdown'] } });
    const running = await swarm.docker.listTasks({ filters: { service: ['web'], 'desired-state': ['running'] } });
    expect(shutdown.map((t: any) => t.Spec.ContainerSpec.Image)).toEqual(['nginx:1.25-alpine', 'nginx:1.25-alpine']);
    expect(running).toHaveLength(3);
  });

  test('a task is found by id and prefix; an unknown one is 404', async () => {
    const [task] = await swarm.docker.listTasks({ filters: { service: ['redis'] } });
    expect((await swarm.docker.getTask(task.ID!.slice(0, 8)).inspect()).ID).toBe(task.ID);
    expect(await failure(swarm.docker.getTask('doesnotexist').inspect())).toEqual({ status: 404, message: 'task doesnotexist not found' });
  });

  test('an unknown task filter is refused', async () => {
    const res = await swarm.raw('GET', `/tasks?filters=${encodeURIComponent('{"bogus":{"1":true}}')}`);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ message: "Invalid filter 'bogus'" });
  });
});

describe('logs', () => {
  test('service logs are multiplexed frames, stdout and stderr, tail counted per task', async () => {
    const body = (await swarm.docker.getService('counter').logs({ stdout: true, stderr: true, tail: 2 } as any)) as unknown as Buffer;
    const lines = frames(body);
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.text.endsWith('\n'))).toBe(true);
    expect(lines.some((l) => /^counter: \d+/.test(l.text))).toBe(true);
  });

  test('flask access lines go to stderr, and stdout=0 keeps them', async () => {
    const res = await swarm.raw('GET', '/services/flaskontesting/logs?stderr=1&tail=1');
    const lines = frames(res.body);
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => l.stream === 2 && /"GET \S+ HTTP\/1.1" \d{3} -/.test(l.text))).toBe(true);
  });

  test('timestamps and details prefix each line as the daemon does', async () => {
    const body = (await swarm.docker.getService('redis').logs({ stdout: true, tail: 1, timestamps: true, details: true } as any)) as unknown as Buffer;
    const [line] = frames(body);
    const [task] = await swarm.docker.listTasks({ filters: { service: ['redis'], 'desired-state': ['running'] } });
    expect(line.text).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z com\.docker\.swarm\.node\.id=\w+,com\.docker\.swarm\.service\.id=\w+,com\.docker\.swarm\.task\.id=\w+ /,
    );
    expect(line.text).toContain(`com.docker.swarm.task.id=${task.ID}`);
  });

  test("with no stream chosen the daemon's 500 is returned", async () => {
    const res = await swarm.raw('GET', '/services/redis/logs');
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Bad parameters: you must choose at least one stream' });
  });

  test('logs of an unknown service are 404', async () => {
    const res = await swarm.raw('GET', '/services/doesnotexist/logs?stdout=1');
    expect(res.json()).toEqual({ message: 'service doesnotexist not found' });
  });

  test('follow streams new lines as the clock moves', async () => {
    const stream = (await swarm.docker.getService('counter').logs({ stdout: true, follow: true, tail: 0 } as any)) as unknown as IncomingMessage;
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((r) => setTimeout(r, 50));
    expect(chunks).toHaveLength(0);
    swarm.advance(5000);
    await new Promise((r) => setTimeout(r, 50));
    const lines = frames(Buffer.concat(chunks));
    expect(lines.length).toBeGreaterThanOrEqual(12);
    stream.destroy();
  });

  test("task logs carry only that task's lines", async () => {
    const [task] = await swarm.docker.listTasks({ filters: { service: ['counter'], 'desired-state': ['running'] } });
    const res = await swarm.raw('GET', `/tasks/${task.ID}/logs?stdout=1&tail=3&details=1`);
    const lines = frames(res.body);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.text.includes(`task.id=${task.ID}`))).toBe(true);
  });

  test("a TTY service's logs have no frame headers and end lines in CRLF", async () => {
    await swarm.docker.createService({ Name: 'tty', TaskTemplate: { ContainerSpec: { Image: 'busybox:1', TTY: true } } } as any);
    swarm.advance(30_000);
    const res = await swarm.raw('GET', '/services/tty/logs?stdout=1&stderr=1&tail=2');
    expect(res.text).toMatch(/^tick \d+\r\n/);
  });
});

describe('events', () => {
  test('a scale emits a service update event with replicas.new and .old', async () => {
    const since = Math.floor(swarm.sim.swarm.now / 1000);
    const s = await swarm.docker.getService('redis').inspect();
    await swarm.docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 4 } } });
    const res = await swarm.raw('GET', `/events?since=${since}&until=${since}&filters=${encodeURIComponent('{"type":{"service":true}}')}`);
    const events = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toEqual([
      expect.objectContaining({
        Type: 'service',
        Action: 'update',
        scope: 'swarm',
        Actor: { ID: s.ID, Attributes: { name: 'redis', 'replicas.new': '4', 'replicas.old': '1' } },
      }),
    ]);
  });

  test('history is filtered by type and by service name', async () => {
    const res = await swarm.raw(
      'GET',
      `/events?since=0&until=${Math.ceil(swarm.sim.swarm.now / 1000)}&filters=${encodeURIComponent('{"service":{"web":true}}')}`,
    );
    const events = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ Type: 'service', Action: 'create', Actor: { Attributes: { name: 'web' } } });
    expect(events.filter((e) => e.Type === 'service').every((e) => e.Actor.Attributes.name === 'web')).toBe(true);
    expect(events.map((e) => e.Actor.Attributes['updatestate.new']).filter(Boolean)).toEqual(['updating', 'completed']);
  });

  test('the stream delivers live events as they happen', async () => {
    const stream = (await swarm.docker.getEvents({ filters: { type: ['node'] } } as any)) as unknown as IncomingMessage;
    const got: any[] = [];
    stream.on('data', (c: Buffer) =>
      got.push(
        ...c
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ),
    );
    const n = await swarm.docker.getNode('core-04').inspect();
    await swarm.docker.getNode(n.ID).update({ ...n.Spec, Availability: 'pause', version: n.Version.Index });
    await new Promise((r) => setTimeout(r, 50));
    stream.destroy();
    expect(got).toEqual([
      expect.objectContaining({
        Type: 'node',
        Actor: { ID: n.ID, Attributes: { name: 'core-04', 'availability.new': 'pause', 'availability.old': 'active' } },
      }),
    ]);
  });

  test('an unknown event filter is refused', async () => {
    const res = await swarm.raw('GET', `/events?filters=${encodeURIComponent('{"bogus":{"x":true}}')}`);
    expect(res.status).toBe(400);
  });
});
