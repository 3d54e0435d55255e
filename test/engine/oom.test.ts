import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { NodeReach } from '../../source/docker/node-reach.js';
import { host, image, nodesDir, sockets } from '../helpers/realswarm-nodes.js';

// What a real dockerd says of a swarm task the kernel's OOM killer ended: the shapes the simulator's
// `leaking` profile and memory-leak drill copy, and what the console's OOM probe reads (each
// realswarm node's socket beside the manager's).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIB = 1024 * 1024;

if (host && sockets.length > 0) {
  describe('an OOM-killed swarm task (real swarm)', () => {
    const docker = new Docker({ socketPath: host!.slice(7) });
    const map = new Map(sockets.map((name) => [name, `unix://${join(nodesDir!, name, 'docker.sock')}`]));
    const reach = new NodeReach({ manager: parseHost(host!, {}, undefined), map });
    let serviceId = '';
    afterAll(async () => {
      await docker
        .getService(serviceId)
        .remove()
        .catch(() => undefined);
      reach.close();
    });

    test('fails with exit 137; its node says OOMKilled in the inspect, and streamed oom then die (exitCode 137)', async () => {
      const since = Math.floor(Date.now() / 1000) - 1;
      // A shell doubling a string: past 16MiB within a second; restarted once at most, so the swarm stays calm.
      const { id } = (await docker.createService({
        Name: `oom-${process.pid}`,
        TaskTemplate: {
          ContainerSpec: { Image: image, Args: ['sh', '-c', 'x=a; while true; do x=$x$x; done'] },
          Resources: { Limits: { MemoryBytes: 16 * MIB } },
          RestartPolicy: { Condition: 'on-failure', MaxAttempts: 1 },
        },
        Mode: { Replicated: { Replicas: 1 } },
      } as never)) as { id: string };
      serviceId = id;
      type Task = { ID: string; NodeID?: string; Status?: { State?: string; Err?: string; ContainerStatus: { ContainerID: string; ExitCode: number } } };
      let failed: Task | undefined;
      for (let i = 0; i < 300 && !failed; i++) {
        failed = ((await docker.listTasks({ filters: { service: [id] } })) as Task[]).find((t) => t.Status?.State === 'failed');
        if (!failed) await sleep(200);
      }
      const status = failed!.Status!;
      expect(status.Err).toBe('task: non-zero exit (137)');
      expect(status.ContainerStatus.ExitCode).toBe(137);
      const node = (await docker.getNode(failed!.NodeID!).inspect()) as { ID: string; Description: { Hostname: string }; Status: { Addr: string } };
      const engine = await reach.engine({ id: node.ID, hostname: node.Description.Hostname, addr: node.Status.Addr });
      const containerId = status.ContainerStatus.ContainerID;
      expect(await engine.containerEnd(containerId)).toMatchObject({ oomKilled: true, exitCode: 137 });
      const events = (await engine.docker.getEvents({
        since,
        until: Math.ceil(Date.now() / 1000),
        filters: JSON.stringify({ container: [containerId] }),
      })) as unknown as NodeJS.ReadableStream;
      let text = '';
      for await (const chunk of events) text += chunk.toString();
      const actions = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { Action: string; Actor: { Attributes: Record<string, string> } });
      const oom = actions.findIndex((e) => e.Action === 'oom');
      const die = actions.findIndex((e) => e.Action === 'die');
      expect(oom).toBeGreaterThanOrEqual(0);
      expect(die).toBeGreaterThan(oom);
      expect(actions[die].Actor.Attributes).toMatchObject({ exitCode: '137', 'com.docker.swarm.task.id': failed!.ID });
    });
  });
} else {
  console.warn('SKIP: the OOM engine test needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket');
  describe('OOM (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket', () => {});
  });
}
