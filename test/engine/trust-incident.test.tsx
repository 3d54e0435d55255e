import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';
import { removeServicesNamed } from '../helpers/docker-cli.js';

// Issue 23 on a real swarm: what dockerd does in several steps (the simulator does it in one).
// SWARMDECK_TEST_DOCKER_HOST is a manager; SWARMDECK_TEST_NODE_CTL the realswarm.sh that says each node's own engine.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const ctl = process.env.SWARMDECK_TEST_NODE_CTL;
const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
const PREFIX = `sdk-inc-${process.pid.toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const engineOf = (node: string) => {
  const [cmd, ...pre] = ctl!.split(' ');
  return new Docker({
    socketPath: execFileSync(cmd, [...pre, 'host', node], { encoding: 'utf8' })
      .trim()
      .replace(/^unix:\/\//, ''),
  });
};

describe.skipIf(!host || !ctl)('nothing on the screen lies during an incident, on a real swarm', () => {
  let docker: Docker;
  let c: MountedConsole;

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    c = await mountConsole(host!, { width: 200 });
    await c.waitFor(/managers \d/, 60_000);
  });

  afterAll(async () => {
    await c?.close();
    await removeServicesNamed(docker, PREFIX);
  });

  /** The replica count `docker service ls` shows for a service now (the listing with status, as the CLI asks). */
  const cliCount = async (name: string) => {
    const [s] = (await docker.listServices({ filters: { name: [name] }, status: true } as any)) as unknown as any[];
    return `${s.ServiceStatus.RunningTasks}/${s.ServiceStatus.DesiredTasks}`;
  };

  test('after a rollout pauses, the row follows the tasks as docker service ls does (a task that dies later is not left counted for a minute)', async () => {
    const name = `${PREFIX}-paused`;
    await docker.createService({
      Name: name,
      TaskTemplate: {
        ContainerSpec: { Image: IMAGE, Args: ['sleep', '100000'] },
        RestartPolicy: { Condition: 'none' },
        Placement: { Constraints: ['node.role==worker'] },
      },
      Mode: { Replicated: { Replicas: 2 } },
      UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, Order: 'start-first' },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    await c.waitFor(new RegExp(`${name}\\s+replicated\\s+2/2`), 60_000);
    // The new spec fails at once: the update pauses with both old tasks still running (2/2).
    const service = docker.getService(name);
    const spec = (await service.inspect()).Spec;
    spec.TaskTemplate.ContainerSpec.Args = ['sh', '-c', 'exit 3'];
    await service.update({ version: (await service.inspect()).Version.Index, ...spec });
    for (let i = 0; i < 120 && (await service.inspect()).UpdateStatus?.State !== 'paused'; i++) await sleep(500);
    expect((await service.inspect()).UpdateStatus?.State).toBe('paused');
    // dockerd says paused while the old tasks still run (desired state shutdown, or not yet replaced):
    // 2/2 now. One of them dies (its stop grace period runs out, or it is killed here): dockerd's
    // listing says fewer from then on, and no service event says so.
    await c.waitFor(new RegExp(`${name}\\s+replicated\\s+2/2`), 30_000);
    const task = (await docker.listTasks({ filters: { service: [name] } })).find((t) => t.Status?.State === 'running');
    if (task) {
      const node = ((await docker.getNode(task.NodeID!).inspect()) as any).Description.Hostname;
      const engine = engineOf(node);
      const [container] = await engine.listContainers({ filters: { label: [`com.docker.swarm.task.id=${task.ID}`] } });
      if (container)
        await engine
          .getContainer(container.Id)
          .kill()
          .catch(() => {});
    }
    let count = '2/2';
    for (let i = 0; i < 120 && count === '2/2'; i++) {
      await sleep(500);
      count = await cliCount(name);
    }
    expect(count).not.toBe('2/2');
    await c.waitFor(new RegExp(`${name}\\s+replicated\\s+${count}`), 6_000);
  }, 240_000);

  test('a crash loop fixed by an update stops being flagged once the new task runs, though its old exits are in the window', async () => {
    const name = `${PREFIX}-loop`;
    await docker.createService({
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ['sh', '-c', 'sleep 1; exit 3'] }, RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    await c.waitFor(new RegExp(`${name}\\s+replicated\\s+[01]/1 \\(.*restarts in 10m.*crash loop`), 120_000);
    const service = docker.getService(name);
    const inspected = await service.inspect();
    inspected.Spec.TaskTemplate.ContainerSpec.Args = ['sleep', '100000'];
    await service.update({ version: inspected.Version.Index, ...inspected.Spec });
    const frame = await c.waitFor((f) => new RegExp(`${name}\\s+replicated\\s+1/1`).test(f) && !new RegExp(`${name}.*(restarts|crash)`).test(f), 60_000);
    expect(frame).not.toMatch(new RegExp(`${name}.*crash loop`));
  }, 240_000);

  test("the why-block names the placement constraint no node matches, from dockerd's own scheduler message", async () => {
    const name = `${PREFIX}-gpu`;
    await docker.createService({
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ['sleep', '100000'] }, Placement: { Constraints: ['node.labels.gpu==true', 'node.role!=nothing'] } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    await c.waitFor(new RegExp(`${name}\\s+replicated\\s+0/1`), 60_000);
    await c.selectRow(name);
    await c.press(KEY.enter);
    const frame = await c.waitFor('node.labels.gpu==true: no node matches', 60_000);
    expect(frame).not.toContain('node.role!=nothing: no node matches');
    await c.press('q');
  }, 120_000);
});
