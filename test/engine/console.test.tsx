import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';

// The console on a real manager: it shows the real nodes and services, and scales with the key.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const NAME = `sdk-console-${process.pid.toString(36)}`;

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
    await docker?.getService(NAME).remove().catch(() => {});
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
});
