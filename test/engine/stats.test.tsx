import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';
import { host, image, nodesDir, sockets } from '../helpers/realswarm-nodes.js';

// The tasks view's MEM on a real swarm against `docker stats --no-stream` for the same container,
// read from that container's node (each realswarm node's socket beside the manager's, mapped by --node-host).
const hasCli = spawnSync('docker', ['--version'], { stdio: 'ignore' }).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** MiB from a docker stats size: 712KiB, 20.34MiB, 1.2GiB. */
const mib = (text: string) => {
  const n = Number.parseFloat(text);
  if (/GiB$/.test(text)) return n * 1024;
  if (/KiB$/.test(text)) return n / 1024;
  if (/MiB$/.test(text)) return n;
  return n / 1024 ** 2;
};

if (host && sockets.length > 0 && hasCli) {
  describe('CPU and MEM on a real swarm', () => {
    const docker = new Docker({ socketPath: host!.slice(7) });
    const nodeHosts = sockets.map((name) => `${name}=unix://${join(nodesDir!, name, 'docker.sock')}`);
    const name = `stats-${process.pid}`;
    let serviceId = '';
    let nodeName = '';
    let containerId = '';
    let c: MountedConsole | undefined;

    beforeAll(async () => {
      process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-engine-stats-'));
      // 20 MiB in the container's /dev/shm: memory it holds (not page cache docker stats leaves out), steady.
      const { id } = (await docker.createService({
        Name: name,
        TaskTemplate: {
          ContainerSpec: { Image: image, Args: ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/f bs=1M count=20 2>/dev/null; sleep 100000'], StopSignal: 'SIGKILL' },
        },
        Mode: { Replicated: { Replicas: 1 } },
      } as never)) as { id: string };
      serviceId = id;
      for (let i = 0; i < 150 && !containerId; i++) {
        const [task] = (await docker.listTasks({ filters: { service: [id] } })).filter((t) => t.Status?.State === 'running');
        if (task) {
          const n = (await docker.getNode(task.NodeID!).inspect()) as { Description: { Hostname: string } };
          nodeName = n.Description.Hostname;
          containerId = task.Status!.ContainerStatus!.ContainerID!;
        } else await sleep(200);
      }
      // The dd is done before the figures are compared.
      await sleep(2000);
    });
    afterAll(async () => {
      await c?.close();
      await docker
        .getService(serviceId)
        .remove()
        .catch(() => undefined);
    });

    test("the tasks view's MEM is what docker stats --no-stream says of the same container, within 1 MiB", async () => {
      expect(containerId).not.toBe('');
      c = await mountConsole(host!, { width: 200, nodeHosts });
      await c.waitFor(name, 20_000);
      await c.press(':', ...`tasks ${name}`, KEY.enter);
      const frame = await c.waitFor((f) => new RegExp(`^${name}\\.1 .*\\d+\\.\\d%\\s+\\S+iB`, 'm').test(f), 20_000);
      const head = frame.split('\n').find((l) => /^NAME\s/.test(l))!;
      const row = frame.split('\n').find((l) => l.startsWith(`${name}.1 `))!;
      const mem = row
        .slice(0, head.indexOf('MEM') + 3)
        .split(/\s+/)
        .at(-1)!;
      const socket = nodeHosts.find((h) => h.startsWith(`${nodeName}=`))!.slice(nodeName.length + 1);
      const cli = execFileSync('docker', ['-H', socket, 'stats', '--no-stream', '--format', '{{.MemUsage}}', containerId], { encoding: 'utf8' });
      const used = cli.split('/')[0].trim();
      expect(mib(mem)).toBeGreaterThan(19);
      expect(Math.abs(mib(mem) - mib(used))).toBeLessThanOrEqual(1);
    });

    test("the services view's MEM is the sum of docker stats --no-stream over the service's replicas, on their nodes", async () => {
      const service = docker.getService(serviceId);
      const spec = (await service.inspect()) as { Version: { Index: number }; Spec: Record<string, any> };
      await service.update({ version: spec.Version.Index, ...spec.Spec, Mode: { Replicated: { Replicas: 3 } } });
      let running: { container: string; node: string }[] = [];
      for (let i = 0; i < 150 && running.length < 3; i++) {
        await sleep(200);
        const tasks = (await docker.listTasks({ filters: { service: [serviceId], 'desired-state': ['running'] } })).filter(
          (t) => t.Status?.State === 'running',
        );
        const nodes = new Map(((await docker.listNodes()) as { ID: string; Description: { Hostname: string } }[]).map((n) => [n.ID, n.Description.Hostname]));
        running = tasks.map((t) => ({ container: t.Status!.ContainerStatus!.ContainerID!, node: nodes.get(t.NodeID!)! }));
      }
      expect(running).toHaveLength(3);
      await sleep(2000);
      await c?.close();
      c = await mountConsole(host!, { width: 220, nodeHosts });
      const frame = await c.waitFor((f) => new RegExp(`^${name} .*\\S+iB max \\S+iB$`, 'm').test(f), 30_000);
      const mem = frame
        .split('\n')
        .find((l) => l.startsWith(`${name} `))!
        .trim()
        .split(/\s{2,}/)
        .at(-1)!
        .split(' max ')[0];
      let sum = 0;
      for (const { container, node } of running) {
        const socket = nodeHosts.find((h) => h.startsWith(`${node}=`))!.slice(node.length + 1);
        sum += mib(
          execFileSync('docker', ['-H', socket, 'stats', '--no-stream', '--format', '{{.MemUsage}}', container], { encoding: 'utf8' }).split('/')[0].trim(),
        );
      }
      expect(sum).toBeGreaterThan(3 * 19);
      expect(Math.abs(mib(mem) - sum)).toBeLessThanOrEqual(2);
    });
  });
} else {
  console.warn(
    'SKIP: CPU and MEM on a real swarm need SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket (its nodes sockets beside it) and a docker CLI',
  );
  describe('CPU and MEM on a real swarm (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket', () => {});
  });
}
