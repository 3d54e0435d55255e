import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LEAK_TO_LIMIT, usageAt } from '../../source/simulator/model/runtime.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// The node engines' runtime: what containers use (stats, top), exec's shell, df, and the leak and hog drills.
let swarm: TestSwarm;
beforeEach(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial', engines: undefined });
});
afterEach(() => swarm.close());

const MIB = 1024 * 1024;
/** Raw HTTP as the named engine (the simulator's engine header), as node reach does with --sim. */
const on = (hostname: string, method: string, path: string, body?: string) =>
  swarm.raw(method, path, body, { 'X-Swarmdeck-Engine': hostname, ...(body ? { 'Content-Type': 'application/json' } : {}) });

async function createService(name: string, labels: Record<string, string>, limits: { NanoCPUs?: number; MemoryBytes?: number } = {}) {
  await swarm.docker.createService({
    Name: name,
    Labels: labels,
    TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1d'], Env: ['APP=demo'] }, Resources: { Limits: limits } },
    Mode: { Replicated: { Replicas: 1 } },
  } as never);
  swarm.advance(5000);
  const task = [...swarm.sim.swarm.tasks.values()].find((t) => swarm.sim.swarm.services.get(t.serviceId)?.spec.Name === name && t.state === 'running')!;
  const node = swarm.sim.swarm.nodes.get(task.nodeId!)!;
  return { task, host: node.hostname, id: task.containerId! };
}

/** docker stats' CPU %: from cpu_stats and precpu_stats, as the CLI computes it. */
const cpuPercent = (s: any) =>
  ((s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage) / (s.cpu_stats.system_cpu_usage - s.precpu_stats.system_cpu_usage)) *
  s.cpu_stats.online_cpus *
  100;

describe('container stats', () => {
  test('are the same figures for the same seed and clock, within the limits, and the CLI percentage is the model rate', async () => {
    const { host, id, task } = await createService('steady', { 'swarmdeck.sim.profile': 'steady' }, { NanoCPUs: 500_000_000, MemoryBytes: 64 * MIB });
    const a = (await on(host, 'GET', `/containers/${id}/stats?stream=false`)).json();
    const b = (await on(host, 'GET', `/containers/${id}/stats?stream=false`)).json();
    expect(a).toEqual(b);
    expect(a.memory_stats.limit).toBe(64 * MIB);
    expect(a.memory_stats.usage).toBeLessThanOrEqual(64 * MIB);
    const percent = cpuPercent(a);
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThanOrEqual(50);
    expect(percent).toBeCloseTo(usageAt(swarm.sim.swarm, task).cpuCores * 100, 0);
    expect(Object.keys(a)).toEqual([
      'read',
      'preread',
      'pids_stats',
      'blkio_stats',
      'num_procs',
      'storage_stats',
      'cpu_stats',
      'precpu_stats',
      'memory_stats',
      'name',
      'id',
      'networks',
    ]);
  });

  test('one-shot has no previous sample, as dockerd sends it', async () => {
    const { host, id } = await createService('one', {});
    const s = (await on(host, 'GET', `/containers/${id}/stats?stream=false&one-shot=true`)).json();
    expect(s.preread).toBe('0001-01-01T00:00:00Z');
    expect(s.precpu_stats.cpu_usage.total_usage).toBe(0);
  });

  test('a stream sends a sample a second, the first without a previous one', async () => {
    const { host, id } = await createService('streamed', {});
    const lines: any[] = [];
    await new Promise<void>((resolve) => {
      const req = request({ socketPath: swarm.sim.socketPath, path: `/v1.41/containers/${id}/stats`, headers: { 'X-Swarmdeck-Engine': host } }, (res) => {
        expect(res.headers['content-type']).toBeUndefined();
        res.on('data', (chunk: Buffer) => {
          lines.push(
            ...chunk
              .toString()
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l)),
          );
          if (lines.length === 3) {
            req.destroy();
            resolve();
          } else swarm.advance(1000);
        });
      });
      req.end();
    });
    expect(lines[0].preread).toBe('0001-01-01T00:00:00Z');
    expect(lines[1].preread).toBe(lines[0].read);
    expect(Date.parse(lines[2].read) - Date.parse(lines[1].read)).toBe(1000);
  });

  test('the cpu-hog drill runs the container at its CPU limit', async () => {
    const { host, id } = await createService('hog', { 'swarmdeck.sim.profile': 'steady' }, { NanoCPUs: 500_000_000 });
    expect((await swarm.raw('POST', '/swarmdeck/drills/cpu-hog?target=hog')).status).toBe(200);
    swarm.advance(3000);
    expect(cpuPercent((await on(host, 'GET', `/containers/${id}/stats?stream=false`)).json())).toBeCloseTo(50, 1);
    await swarm.raw('POST', '/swarmdeck/drills/fix-hog?target=hog');
    swarm.advance(3000);
    expect(cpuPercent((await on(host, 'GET', `/containers/${id}/stats?stream=false`)).json())).toBeLessThan(30);
  });

  test('the memory-leak drill grows to the limit, then the kernel kills the container: exit 137, OOMKilled, restarted by policy', async () => {
    const { host, id, task } = await createService('leaky', { 'swarmdeck.sim.profile': 'steady' }, { MemoryBytes: 64 * MIB });
    await swarm.raw('POST', '/swarmdeck/drills/memory-leak?target=leaky');
    swarm.advance(LEAK_TO_LIMIT / 2);
    const half = (await on(host, 'GET', `/containers/${id}/stats?stream=false`)).json();
    expect(half.memory_stats.usage).toBeGreaterThan(32 * MIB * 0.9);
    swarm.advance(LEAK_TO_LIMIT / 2 + 200);
    expect(task.state).toBe('failed');
    const [tasked] = (await swarm.docker.listTasks({ filters: { id: [task.id] } })) as any[];
    expect(tasked.Status.Err).toBe('task: non-zero exit (137)');
    expect(tasked.Status.ContainerStatus.ExitCode).toBe(137);
    const container = (await on(host, 'GET', `/containers/${id}/json`)).json();
    expect(container.State).toMatchObject({ OOMKilled: true, ExitCode: 137, Status: 'exited' });
    swarm.advance(10_000);
    const running = [...swarm.sim.swarm.tasksOf(task.serviceId)].filter((t) => t.state === 'running');
    expect(running).toHaveLength(1);
  });
});

describe('OOM kills', () => {
  /** The events an engine streams from the epoch to its clock's last whole second (the stream ends there), as objects. */
  async function eventsOf(host: string | undefined, filters?: Record<string, string[]>) {
    const query = `since=0&until=${Math.floor(swarm.sim.swarm.now / 1000)}${filters ? `&filters=${encodeURIComponent(JSON.stringify(filters))}` : ''}`;
    const answer = host ? await on(host, 'GET', `/events?${query}`) : await swarm.raw('GET', `/events?${query}`);
    return answer.body
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line: string) => JSON.parse(line));
  }

  test("a leaking service's container is OOM-killed as dockerd does it: its node's engine streams oom, then die with exit code 137", async () => {
    const { host, id, task } = await createService('leaks', { 'swarmdeck.sim.profile': 'leaking' }, { MemoryBytes: 32 * MIB });
    swarm.advance(LEAK_TO_LIMIT + 1000);
    const [tasked] = (await swarm.docker.listTasks({ filters: { id: [task.id] } })) as any[];
    expect(tasked.Status).toMatchObject({ State: 'failed', Err: 'task: non-zero exit (137)', ContainerStatus: { ExitCode: 137 } });
    expect((await on(host, 'GET', `/containers/${id}/json`)).json().State).toMatchObject({ OOMKilled: true, ExitCode: 137 });
    const events = (await eventsOf(host, { type: ['container'] })).filter((e: any) => e.id === id);
    expect(events.map((e: any) => e.Action)).toEqual(['oom', 'die']);
    expect(events[0]).toMatchObject({ status: 'oom', from: 'busybox:1', Type: 'container', scope: 'local', Actor: { ID: id } });
    expect(events[0].Actor.Attributes).toMatchObject({ 'com.docker.swarm.task.id': task.id, 'com.docker.swarm.service.name': 'leaks', image: 'busybox:1' });
    expect(events[1].Actor.Attributes).toMatchObject({ exitCode: '137', name: `leaks.1.${task.id}` });
    // The restart policy starts another, which leaks in turn.
    swarm.advance(10_000);
    expect([...swarm.sim.swarm.tasksOf(task.serviceId)].filter((t) => t.state === 'running')).toHaveLength(1);
  });

  test("a container's events are streamed by its own node's engine only, not by the others", async () => {
    const { host, id } = await createService('leaks', { 'swarmdeck.sim.profile': 'leaking' }, { MemoryBytes: 32 * MIB });
    swarm.advance(LEAK_TO_LIMIT + 1000);
    const other = [...swarm.sim.swarm.nodes.values()].find((n) => n.hostname !== host)!;
    expect((await eventsOf(host)).some((e: any) => e.id === id)).toBe(true);
    expect((await eventsOf(other.hostname)).some((e: any) => e.id === id)).toBe(false);
  });
});

describe('top and df', () => {
  test('top lists the container process with ps columns; a stopped container is refused', async () => {
    const { host, id } = await createService('topped', {});
    const t = (await on(host, 'GET', `/containers/${id}/top`)).json();
    expect(t.Titles).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    expect(t.Processes[0].at(-1)).toBe('sleep 1d');
    expect((await on(host, 'GET', `/containers/${id}/top?ps_args=aux`)).json().Titles[2]).toBe('%CPU');
    expect((await on(host, 'GET', '/containers/nope/top')).json()).toEqual({ message: 'No such container: nope' });
  });

  test('system df counts the engine images and containers', async () => {
    const { host } = await createService('dfd', {});
    const df = (await on(host, 'GET', '/system/df')).json();
    expect(df.Containers.length).toBeGreaterThan(0);
    expect(df.Images.some((i: any) => i.RepoTags[0] === 'busybox:1' && i.Containers >= 1)).toBe(true);
    expect(df).toMatchObject({ Volumes: [], BuildCache: null, BuilderSize: 0 });
  });

  test('the container list filters by name (a pattern in the name), label and id, and refuses an unknown filter', async () => {
    const a = await createService('filtered-a', {});
    const b = await createService('filtered-b', {});
    const list = async (filters: object, host = a.host) =>
      (await on(host, 'GET', `/containers/json?filters=${encodeURIComponent(JSON.stringify(filters))}`)).json();
    expect((await list({ name: ['filtered-a'] })).map((c: any) => c.Id)).toEqual([a.id]);
    expect((await list({ name: ['^/filtered-b\\.1\\.'] }, b.host)).map((c: any) => c.Id)).toEqual([b.id]);
    expect((await list({ label: [`com.docker.swarm.service.name=filtered-b`] }, b.host)).map((c: any) => c.Id)).toEqual([b.id]);
    expect((await list({ id: [a.id.slice(0, 12)] })).map((c: any) => c.Id)).toEqual([a.id]);
    expect(await list({ name: ['no-such-service'] })).toEqual([]);
    expect(await list({ bogus: ['x'] })).toEqual({ message: "Invalid filter 'bogus'" });
  });

  test('a container keeps the name it was made with after its service is removed', async () => {
    const { host, id, task } = await createService('named', {});
    const name = `/named.1.${task.id}`;
    expect((await on(host, 'GET', `/containers/${id}/json`)).json().Name).toBe(name);
    await swarm.docker.getService(task.serviceId).remove();
    // Not advanced: the container is still there, stopping; dockerd does not rename it meanwhile.
    expect((await on(host, 'GET', `/containers/${id}/json`)).json().Name).toBe(name);
  });
});

describe('exec', () => {
  test("a hijacked exec's output comes after its 101 on the wire, not in the same read: a client that reads the 101 through a buffer (docker-py) would lose it", async () => {
    const { host, id } = await createService('hijacked', {});
    const created = await on(host, 'POST', `/containers/${id}/exec`, JSON.stringify({ AttachStdout: true, Cmd: ['echo', 'hello'] }));
    const body = JSON.stringify({ Detach: false, Tty: false });
    const reads: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const socket = connect(swarm.sim.socketPath!);
      socket.on('error', reject);
      socket.on('data', (chunk) => reads.push(chunk.toString('latin1')));
      socket.on('end', () => resolve());
      socket.write(
        `POST /exec/${created.json().Id}/start HTTP/1.1\r\nHost: docker\r\nX-Swarmdeck-Engine: ${host}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    });
    expect(reads[0]).toMatch(/^HTTP\/1\.1 101 UPGRADED\r\n[\s\S]*\r\n\r\n$/);
    expect(reads.slice(1).join('')).toContain('hello');
  });

  /** Creates and starts an exec (no hijack), returning the demultiplexed output and the exit code. */
  async function exec(host: string, id: string, cmd: string[]) {
    const created = await on(host, 'POST', `/containers/${id}/exec`, JSON.stringify({ AttachStdout: true, AttachStderr: true, Cmd: cmd }));
    expect(created.status).toBe(201);
    const execId = created.json().Id;
    const started = await on(host, 'POST', `/exec/${execId}/start`, JSON.stringify({ Detach: false }));
    const out = { stdout: '', stderr: '' };
    for (let at = 0; at < started.body.length;) {
      const size = started.body.readUInt32BE(at + 4);
      const text = started.body.subarray(at + 8, at + 8 + size).toString();
      if (started.body[at] === 1) out.stdout += text;
      else out.stderr += text;
      at += 8 + size;
    }
    const inspect = (await on(host, 'GET', `/exec/${execId}/json`)).json();
    return { ...out, code: inspect.ExitCode, running: inspect.Running };
  }

  test('hostname is the container id first 12 characters; env is the task environment; bash is not there; sh -c runs a script', async () => {
    const { host, id } = await createService('shelled', {});
    expect(await exec(host, id, ['hostname'])).toMatchObject({ stdout: `${id.slice(0, 12)}\n`, code: 0, running: false });
    expect((await exec(host, id, ['env'])).stdout).toContain('APP=demo\n');
    const bash = await exec(host, id, ['bash']);
    expect(bash.code).toBe(126);
    expect(bash.stdout).toContain('exec: "bash": executable file not found in $PATH');
    const script = await exec(host, id, ['sh', '-c', 'cat /etc/hostname; nope; exit 3']);
    expect(script).toMatchObject({ stdout: `${id.slice(0, 12)}\n`, stderr: 'sh: nope: not found\n', code: 3 });
    expect((await exec(host, id, ['sh', '-c', 'nope'])).code).toBe(127);
  });

  test('secrets and configs are where the spec mounts them', async () => {
    const secret = await swarm.docker.createSecret({ Name: 'pw', Data: Buffer.from('s3cret\n').toString('base64') } as never);
    const config = await swarm.docker.createConfig({ Name: 'conf', Data: Buffer.from('listen 80;\n').toString('base64') } as never);
    await swarm.docker.createService({
      Name: 'mounted',
      TaskTemplate: {
        ContainerSpec: {
          Image: 'busybox:1',
          Secrets: [{ SecretID: (secret as any).id, SecretName: 'pw', File: { Name: 'pw', UID: '0', GID: '0', Mode: 292 } }],
          Configs: [{ ConfigID: (config as any).id, ConfigName: 'conf', File: { Name: '/etc/app.conf', UID: '0', GID: '0', Mode: 292 } }],
        },
      },
    } as never);
    swarm.advance(5000);
    const task = [...swarm.sim.swarm.tasks.values()].find((t) => swarm.sim.swarm.services.get(t.serviceId)?.spec.Name === 'mounted' && t.state === 'running')!;
    const host = swarm.sim.swarm.nodes.get(task.nodeId!)!.hostname;
    expect((await exec(host, task.containerId!, ['cat', '/run/secrets/pw', '/etc/app.conf'])).stdout).toBe('s3cret\nlisten 80;\n');
    expect((await exec(host, task.containerId!, ['ls', '/run/secrets'])).stdout).toBe('pw\n');
  });

  test('exec on a missing container or with no command is refused in dockerd words', async () => {
    const { host, id } = await createService('refused', {});
    expect((await on(host, 'POST', `/containers/${id}/exec`, JSON.stringify({ Cmd: [] }))).json()).toEqual({ message: 'No exec command specified' });
    expect((await on(host, 'GET', '/exec/nope/json')).json()).toEqual({ message: 'No such exec instance: nope' });
  });
});
