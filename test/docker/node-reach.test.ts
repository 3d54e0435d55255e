import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { nodeMap, NodeReach, NodeUnreachable, parseNodeHosts, readNodeConfig, type NodeRef } from '../../source/docker/node-reach.js';
import { StatsSampler } from '../../source/docker/node-stats.js';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

// Node reach against the simulator: every node with no configuration (the simulator's directory), the
// explicit map and contexts, the identity check, and why a node cannot be reached.
let sim: Simulator;
let dir: string;
let nodes: NodeRef[];
const manager = () => parseHost(sim.host, {}, undefined);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-reach-'));
  sim = await startSimulator({ scenario: 'tutorial', clock: 'real' });
  nodes = [...sim.swarm.nodes.values()].map((n) => ({ id: n.id, hostname: n.hostname, addr: n.addr }));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('with the simulator, every node with no configuration', () => {
  test('each node resolves through the simulator, answers as itself, and lists its tasks containers', async () => {
    const reach = new NodeReach({ manager: manager() });
    try {
      for (const node of nodes) {
        const engine = await reach.engine(node);
        expect(reach.status(node.id)).toMatchObject({ state: 'reachable', source: 'simulator' });
        expect((await engine.info()).nodeId).toBe(node.id);
        const containers = await engine.containers();
        const onNode = [...sim.swarm.tasksOn(node.id)].filter((t) => t.state === 'running' && t.containerId);
        expect(containers.map((c) => c.id).sort()).toEqual(onNode.map((t) => t.containerId).sort());
      }
      // Reused, not reconnected.
      expect(await reach.engine(nodes[0])).toBe(await reach.engine(nodes[0]));
    } finally {
      reach.close();
    }
  });

  test('the typed client: stats, top, df, and a TTY exec with resize and its exit code', async () => {
    const reach = new NodeReach({ manager: manager() });
    try {
      const node = nodes.find((n) => [...sim.swarm.tasksOn(n.id)].some((t) => t.state === 'running'))!;
      const engine = await reach.engine(node);
      const [container] = await engine.containers();
      const stats = await engine.stats(container.id);
      expect(stats.memory_stats.usage).toBeGreaterThan(0);
      expect((await engine.top(container.id)).Titles).toContain('PID');
      expect((await engine.df()).Containers.length).toBeGreaterThan(0);
      const session = await engine.exec(container.id, ['sh'], { tty: true, rows: 40, cols: 120 });
      let out = '';
      session.stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
      session.stream.write('stty size\rhostname\rexit 3\r');
      expect(await session.exitCode()).toBe(3);
      expect(out).toContain('40 120\r\n');
      expect(out).toContain(`${container.id.slice(0, 12)}\r\n`);
    } finally {
      reach.close();
    }
  });

  test('the sampler reads every container of a node within its budget and defers the rest', async () => {
    const reach = new NodeReach({ manager: manager() });
    try {
      const targets = nodes.flatMap((node) =>
        [...sim.swarm.tasksOn(node.id)].filter((t) => t.state === 'running').map((t) => ({ node, containerId: t.containerId! })),
      );
      const sampler = new StatsSampler(reach, { perNode: 2 });
      const first = await sampler.sample(targets, { first: 'wait' });
      expect(first.unreachable.size).toBe(0);
      const perNode = new Map<string, number>();
      for (const t of targets) if (first.figures.has(t.containerId)) perNode.set(t.node.id, (perNode.get(t.node.id) ?? 0) + 1);
      expect(Math.max(...perNode.values())).toBeLessThanOrEqual(2);
      expect(first.figures.size + first.deferred.length).toBe(targets.length);
      for (const figures of first.figures.values()) expect(figures.cpuPercent).toBeGreaterThan(0);
      const second = await sampler.sample(targets);
      // What the budget left out last time goes first now.
      expect(first.deferred.every((t) => second.figures.has(t.containerId) || second.deferred.includes(t))).toBe(true);
      expect(second.requests).toBeLessThanOrEqual(perNode.size * 2);
    } finally {
      reach.close();
    }
  });
});

describe('resolution order and its failures', () => {
  test('--node-host maps a node to an engine, and an engine that is another node is refused in words', async () => {
    const engines = join(dir, 'engines');
    const withSockets = await startSimulator({ scenario: 'tutorial', clock: 'real', engines, seed: 1 });
    try {
      const [a, b] = [...withSockets.swarm.nodes.values()];
      const map = parseNodeHosts([`${a.hostname}=unix://${withSockets.engineSockets[a.hostname]}`, `${b.id}=unix://${withSockets.engineSockets[a.hostname]}`]);
      const reach = new NodeReach({ manager: parseHost(withSockets.host, {}, undefined), map });
      await reach.engine({ id: a.id, hostname: a.hostname });
      expect(reach.status(a.id)).toMatchObject({ state: 'reachable', source: 'map' });
      const wrong = await reach.engine({ id: b.id, hostname: b.hostname }).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(NodeUnreachable);
      expect((wrong as Error).message).toContain(`is node ${a.id.slice(0, 12)} (${a.hostname}), not ${b.hostname}: fix its --node-host`);
      reach.close();
    } finally {
      await withSockets.close();
    }
  });

  test('a docker context named as the node hostname is used when no map entry is', async () => {
    const engines = join(dir, 'ctx-engines');
    const withSockets = await startSimulator({ scenario: 'tutorial', clock: 'real', engines });
    try {
      const node = [...withSockets.swarm.nodes.values()][1];
      const configDir = join(dir, 'docker-config');
      const meta = join(configDir, 'contexts', 'meta', createHash('sha256').update(node.hostname).digest('hex'));
      mkdirSync(meta, { recursive: true });
      writeFileSync(
        join(meta, 'meta.json'),
        JSON.stringify({ Name: node.hostname, Endpoints: { docker: { Host: `unix://${withSockets.engineSockets[node.hostname]}` } } }),
      );
      const reach = new NodeReach({ manager: parseHost('unix:///nonexistent/manager.sock', {}, undefined), configDir });
      await reach.engine({ id: node.id, hostname: node.hostname });
      expect(reach.status(node.id)).toMatchObject({ state: 'reachable', source: 'context' });
      reach.close();
    } finally {
      await withSockets.close();
    }
  });

  test('no endpoint says what to add; ssh managers lend their user to the node address', async () => {
    const reach = new NodeReach({ manager: parseHost('unix:///nonexistent/manager.sock', {}, undefined), configDir: join(dir, 'none') });
    const why = await reach.resolve({ id: 'x'.repeat(25), hostname: 'worker3', addr: '10.0.0.7' });
    expect(why.endpoint).toBeUndefined();
    expect((why as { why: string }).why).toMatch(/^no endpoint for worker3: add --node-host worker3=ssh:\/\/\S+@10\.0\.0\.7/);
    const viaSsh = new NodeReach({ manager: parseHost('ssh://ops@manager1', {}, undefined), configDir: join(dir, 'none') });
    const ssh = await viaSsh.resolve({ id: 'y'.repeat(25), hostname: 'worker3', addr: '10.0.0.7' });
    expect(ssh).toMatchObject({ source: 'ssh', endpoint: { url: 'ssh://ops@10.0.0.7', ssh: { host: '10.0.0.7', user: 'ops' } } });
    reach.close();
    viaSsh.close();
  });

  test('an unreachable node costs one attempt, then fails at once during its back-off', async () => {
    const node = { id: 'z'.repeat(25), hostname: 'gone' };
    const reach = new NodeReach({ manager: manager(), map: parseNodeHosts(['gone=unix:///nonexistent/gone.sock']), backoffMs: 60_000 });
    await expect(reach.engine(node)).rejects.toThrow(/gone: cannot reach unix:\/\/\/nonexistent\/gone.sock: no such socket/);
    const status = reach.status(node.id);
    expect(status.state).toBe('unreachable');
    expect(status.retryAt).toBeGreaterThan(Date.now() + 50_000);
    await expect(reach.engine(node)).rejects.toThrow(/no such socket/);
    reach.close();
  });

  test('--node-host and config.yaml nodes: are checked, with the mistake named', async () => {
    expect(() => parseNodeHosts(['worker1'])).toThrow('--node-host takes NODE=URL');
    expect(() => parseNodeHosts(['worker1=ftp://x'])).toThrow('unsupported scheme ftp');
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'nodes:\n  worker1: ssh://ops@10.0.0.5\n  abcdef123456: unix:///run/w2.sock\n');
    expect([...(await readNodeConfig(file))]).toEqual([
      ['worker1', 'ssh://ops@10.0.0.5'],
      ['abcdef123456', 'unix:///run/w2.sock'],
    ]);
    expect((await nodeMap(['worker1=unix:///run/w1.sock'], file)).get('worker1')).toBe('unix:///run/w1.sock');
    writeFileSync(file, 'nodes:\n  worker1: 3\n');
    await expect(readNodeConfig(file)).rejects.toThrow('nodes.worker1: must be an engine URL');
  });
});
