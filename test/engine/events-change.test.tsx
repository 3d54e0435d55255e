import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mountConsole, type MountedConsole } from '../helpers/console.js';

// The events view's CHANGE column on a real manager: dockerd's update events for a node's labels, a
// service's args or its placement carry the name alone; the console says what changed from the specs it held.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const NAME = `sdk-evchange-${process.pid.toString(36)}`;
const LABEL = `sdk-evchange-${process.pid.toString(36)}`;

describe.skipIf(!host)('events view CHANGE on a real swarm', () => {
  let docker: Docker;
  let c: MountedConsole;
  let nodeId: string;
  let hostname: string;

  /** Updates a service's spec at its current version, as `docker service update` does. */
  const updateService = async (change: (spec: any) => void) => {
    const service = await docker.getService(NAME).inspect();
    const spec = structuredClone(service.Spec);
    change(spec);
    await docker.getService(NAME).update({ version: service.Version.Index, ...spec });
  };
  const updateNode = async (change: (spec: any) => void) => {
    const node = await docker.getNode(nodeId).inspect();
    const spec = structuredClone(node.Spec);
    change(spec);
    await docker.getNode(nodeId).update({ version: node.Version.Index, ...spec });
  };

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    await docker.createService({
      Name: NAME,
      TaskTemplate: { ContainerSpec: { Image: process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1', Args: ['sleep', '100000'], StopSignal: 'SIGKILL' } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    const node = ((await docker.listNodes()) as any[]).find((n) => n.Spec.Role === 'worker') ?? ((await docker.listNodes()) as any[])[0];
    nodeId = node.ID;
    hostname = node.Description.Hostname;
    c = await mountConsole(host!, { width: 200, height: 40 });
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
  });

  afterAll(async () => {
    await c?.close();
    await docker
      ?.getService(NAME)
      .remove()
      .catch(() => {});
    await updateNode((spec) => delete spec.Labels?.[LABEL]).catch(() => {});
  });

  test('a node label added, then removed', async () => {
    await updateNode((spec) => (spec.Labels = { ...spec.Labels, [LABEL]: 'yes' }));
    await c.waitFor(new RegExp(`node\\s+update\\s+${hostname}\\s+label ${LABEL}=yes`), 30_000);
    await updateNode((spec) => delete spec.Labels[LABEL]);
    await c.waitFor(new RegExp(`node\\s+update\\s+${hostname}\\s+label -${LABEL}`), 30_000);
  });

  test("a service's args", async () => {
    await updateService((spec) => (spec.TaskTemplate.ContainerSpec.Args = ['sleep', '200000']));
    await c.waitFor(new RegExp(`service\\s+update\\s+${NAME}\\s+args sleep 100000 -> sleep 200000`), 30_000);
  });

  test("a service's placement", async () => {
    await updateService((spec) => (spec.TaskTemplate.Placement = { Constraints: ['node.role==worker'] }));
    const frame = await c.waitFor(new RegExp(`service\\s+update\\s+${NAME}\\s+placement \\+node.role==worker`), 30_000);
    // The rollout's progress events (updatestate) do not take the change.
    expect(frame).not.toMatch(/updatestate[^\n]*placement/);
  });
});
