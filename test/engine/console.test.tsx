import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';

// The console on a real manager: it shows the real nodes and services, and scales with the key.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const NAME = `sdk-console-${process.pid.toString(36)}`;
// Stops and starts nodes (realswarm.sh): the manager-loss test needs it.
const ctl = process.env.SWARMDECK_TEST_NODE_CTL;
const control = (action: 'stop' | 'start', node: string) => {
  const [cmd, ...pre] = ctl!.split(' ');
  execFileSync(cmd, [...pre, action, node], { stdio: 'ignore', timeout: 120_000 });
};

describe.skipIf(!host)('the console on a real swarm', () => {
  let docker: Docker;
  let c: MountedConsole;

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    await docker.createService({
      Name: NAME,
      TaskTemplate: { ContainerSpec: { Image: process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1', Args: ['sleep', '100000'], StopSignal: 'SIGKILL' } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    c = await mountConsole(host!, { width: 140 });
  });

  afterAll(async () => {
    await c?.close();
    await docker
      ?.getService(NAME)
      .remove()
      .catch(() => {});
  });

  test('shows the real nodes', async () => {
    const nodes = (await docker.listNodes()) as any[];
    await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
    const frame = await c.waitFor(`Nodes (${nodes.length})`);
    for (const node of nodes) expect(frame).toContain(node.Description.Hostname);
    expect(frame).toMatch(/Leader/);
  });

  test('shows the services, and s scales one on the real manager', async () => {
    await c.press(':', 's', 'e', 'r', 'v', 'i', 'c', 'e', 's', KEY.enter, '/', ...NAME, KEY.enter);
    await c.waitFor(new RegExp(`${NAME}\\s+replicated\\s+1/1`), 30_000);
    await c.press('s');
    await c.waitFor(`scale ${NAME} (now 1) to:`);
    await c.press('3', KEY.enter);
    await c.waitFor(`scale ${NAME} to 3: done`, 30_000);
    await c.waitFor(new RegExp(`${NAME}\\s+replicated\\s+3/3`), 60_000);
    const service = await docker.getService(NAME).inspect();
    expect(service.Spec.Mode.Replicated.Replicas).toBe(3);
  });

  test.skipIf(!ctl)('when the manager stops the console says so and keeps its data; when it is back it reconnects', async () => {
    const manager = ((await docker.info()) as any).Name as string;
    await c.waitFor(new RegExp(`${NAME}\\s+replicated\\s+3/3`), 60_000);
    control('stop', manager);
    try {
      const lost = await c.waitFor(/x disconnected \(retry in \d+s\): cannot reach/, 60_000);
      expect(lost).toMatch(new RegExp(`${NAME}\\s+replicated\\s+3/3`));
      expect(lost).toMatch(/data from .* ago: managers/);
      expect(c.store.getSnapshot().connection).toMatchObject({ status: 'disconnected', retryAt: expect.any(Number), lastOk: expect.any(Number) });
    } finally {
      control('start', manager);
    }
    await c.waitFor('* connected', 120_000);
    // Leave the swarm as the next suites expect it: every node ready again.
    for (let i = 0; i < 240; i++) {
      const nodes = (await docker.listNodes().catch(() => [])) as any[];
      if (nodes.length > 0 && nodes.every((n) => n.Status.State === 'ready')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await c.waitFor(new RegExp(`${NAME}\\s+replicated\\s+3/3`), 120_000);
  });
});
