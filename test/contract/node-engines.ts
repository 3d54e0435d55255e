import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Endpoint } from '../../source/docker/connection.js';
import type { NodeEngine } from '../../source/docker/node-engine.js';
import { NodeReach, type NodeRef } from '../../source/docker/node-reach.js';

/** A swarm whose nodes' engines the contract reaches: its manager, how nodes are mapped, and an image with sh. */
export interface NodeEnginesSide {
  manager: Endpoint;
  docker: Docker;
  map?: Map<string, string>;
  configDir?: string;
  image: string;
  /** How the nodes are expected to resolve. */
  source: 'map' | 'context' | 'simulator';
  close(): Promise<void>;
}

const MIB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same requests against the simulator's node engines and a real swarm's: shapes and behaviour compared. */
export function defineNodeEnginesContract(label: string, setup: () => Promise<NodeEnginesSide>): void {
  describe(`node engines (${label})`, () => {
    let side: NodeEnginesSide;
    let reach: NodeReach;
    let engine: NodeEngine;
    let container: string;
    let serviceId: string;

    beforeAll(async () => {
      side = await setup();
      reach = new NodeReach({ manager: side.manager, map: side.map, configDir: side.configDir });
      const created = (await side.docker.createService({
        Name: `contract-engines-${process.pid}`,
        TaskTemplate: {
          ContainerSpec: { Image: side.image, Args: ['sleep', '100000'], Env: ['CONTRACT=1'], StopSignal: 'SIGKILL' },
          Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 64 * MIB } },
        },
        Mode: { Replicated: { Replicas: 1 } },
      } as never)) as { id: string };
      serviceId = created.id;
      let task: { NodeID?: string; Status?: { State?: string; ContainerStatus?: { ContainerID?: string } } } | undefined;
      for (let i = 0; i < 150; i++) {
        const tasks = await side.docker.listTasks({ filters: { service: [serviceId] } });
        task = tasks.find((t) => t.Status?.State === 'running' && t.Status?.ContainerStatus?.ContainerID);
        if (task) break;
        await sleep(200);
      }
      const node = (await side.docker.getNode(task!.NodeID!).inspect()) as { ID: string; Description: { Hostname: string }; Status: { Addr: string } };
      const ref: NodeRef = { id: node.ID, hostname: node.Description.Hostname, addr: node.Status.Addr };
      engine = await reach.engine(ref);
      expect(reach.status(ref.id)).toMatchObject({ state: 'reachable', source: side.source });
      container = task!.Status!.ContainerStatus!.ContainerID!;
    });
    afterAll(async () => {
      await side?.docker
        .getService(serviceId)
        .remove()
        .catch(() => undefined);
      reach?.close();
      await side?.close();
    });

    test('every node resolves and answers as itself', async () => {
      const nodes = (await side.docker.listNodes()) as { ID: string; Description: { Hostname: string }; Status: { Addr: string } }[];
      for (const n of nodes) {
        const e = await reach.engine({ id: n.ID, hostname: n.Description.Hostname, addr: n.Status.Addr });
        const info = await e.info();
        expect(info.nodeId).toBe(n.ID);
        expect(info.ncpu).toBeGreaterThan(0);
        expect(info.memTotal).toBeGreaterThan(0);
      }
    });

    test('the task container is listed with its swarm labels', async () => {
      const listed = (await engine.containers()).find((c) => c.id === container);
      expect(listed).toMatchObject({ state: 'running', serviceName: `contract-engines-${process.pid}` });
      expect(listed!.taskId).toMatch(/^\w{25}$/);
    });

    test('stats: the JSON dockerd sends, its limit, and one-shot without a previous sample', async () => {
      const raw = await engine.stats(container);
      expect(Object.keys(raw)).toEqual([
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
      expect(Object.keys(raw.cpu_stats).sort()).toEqual(['cpu_usage', 'online_cpus', 'system_cpu_usage', 'throttling_data']);
      expect(raw.memory_stats.limit).toBe(64 * MIB);
      expect(raw.memory_stats.usage).toBeGreaterThan(0);
      expect(raw.cpu_stats.system_cpu_usage).toBeGreaterThan(raw.precpu_stats.system_cpu_usage!);
      const oneShot = await engine.stats(container, true);
      expect(oneShot.preread).toBe('0001-01-01T00:00:00Z');
      expect(oneShot.precpu_stats.cpu_usage.total_usage).toBe(0);
      const missing = await engine.stats('nope').catch((e: unknown) => e as { message: string; status: number });
      expect(missing).toMatchObject({ message: 'No such container: nope', status: 404 });
    });

    test('a stats stream: a sample a second, the first without a previous one', async () => {
      const samples: { preread: string; read: string }[] = [];
      const stop = await engine.statsStream(container, (raw) => samples.push(raw));
      for (let i = 0; i < 40 && samples.length < 2; i++) await sleep(100);
      stop();
      expect(samples[0].preread).toBe('0001-01-01T00:00:00Z');
      expect(samples[1].preread).toBe(samples[0].read);
    });

    test('top lists the container process with the default ps columns', async () => {
      const top = await engine.top(container);
      expect(top.Titles).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
      expect(top.Processes[0].at(-1)).toBe('sleep 100000');
    });

    test('exec: hostname, the environment, exit codes, bash not there, and a TTY shell', async () => {
      const run = async (cmd: string[]) => {
        const session = await engine.exec(container, cmd, { stdin: false });
        const chunks: Buffer[] = [];
        session.stream.on('data', (c: Buffer) => chunks.push(c));
        const code = await session.exitCode();
        return { code, out: Buffer.concat(chunks) };
      };
      const hostname = await run(['hostname']);
      expect(hostname.code).toBe(0);
      // Multiplexed without a TTY: stream 1, then the length.
      expect(hostname.out[0]).toBe(1);
      expect(hostname.out.subarray(8).toString()).toBe(`${container.slice(0, 12)}\n`);
      expect((await run(['env'])).out.toString()).toContain('CONTRACT=1');
      expect((await run(['sh', '-c', 'exit 3'])).code).toBe(3);
      expect((await run(['sh', '-c', 'nope'])).code).toBe(127);
      expect((await run(['bash'])).code).toBe(126);
      const tty = await engine.exec(container, ['sh'], { tty: true, rows: 30, cols: 90 });
      let out = '';
      tty.stream.on('data', (c: Buffer) => (out += c.toString()));
      for (let i = 0; i < 30 && !out.includes('#'); i++) await sleep(100);
      tty.stream.write('hostname\r');
      for (let i = 0; i < 30 && !out.includes(`${container.slice(0, 12)}\r\n`); i++) await sleep(100);
      tty.stream.write('exit 5\r');
      expect(await tty.exitCode()).toBe(5);
      expect(out).toContain(`${container.slice(0, 12)}\r\n`);
    });

    test('system df lists the images and containers', async () => {
      const df = await engine.df();
      expect(Object.keys(df).sort()).toEqual(['BuildCache', 'BuilderSize', 'Containers', 'Images', 'LayersSize', 'Volumes']);
      expect((df.Containers as { Id: string }[]).some((c) => c.Id === container)).toBe(true);
    });
  });
}
