// Node engines: stats one-shot round trips, the cost of sampling every container of a node, and exec's time to the first prompt byte,
// on the simulator's large scenario (each node reached through the simulator's directory) and, given SWARMDECK_TEST_DOCKER_HOST at a
// realswarm manager socket, on a real node (its socket beside the manager's, mapped as --node-host maps it).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { parseHost } from '../build/docker/connection.js';
import { NodeReach } from '../build/docker/node-reach.js';
import { StatsSampler } from '../build/docker/node-stats.js';
import { chooseShell } from '../build/docker/exec-shell.js';

const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((list.length * p) / 100))];

/** The busiest node of a swarm (most running containers) as a NodeRef. */
async function busiestNode(docker) {
  const tasks = await docker.listTasks({ filters: { 'desired-state': ['running'] } });
  const count = new Map();
  for (const t of tasks) if (t.Status?.State === 'running' && t.NodeID) count.set(t.NodeID, (count.get(t.NodeID) ?? 0) + 1);
  const [id] = [...count].sort((a, b) => b[1] - a[1])[0];
  const node = await docker.getNode(id).inspect();
  return { id, hostname: node.Description.Hostname, addr: node.Status.Addr };
}

async function measure({ row, round, label, reach, node }) {
  const engine = await reach.engine(node);
  const containers = await engine.containers();
  const target = containers[0].id;
  const trips = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await engine.stats(target, true);
    trips.push(performance.now() - t0);
  }
  row('engines', `stats one-shot round trip p95 (${label})`, round(pct(trips, 95), 1), 'ms', `p50 ${round(pct(trips, 50), 1)} ms`, '', true);
  const sampler = new StatsSampler(reach, { perNode: Infinity, concurrency: 4 });
  const targets = containers.map((c) => ({ node, containerId: c.id }));
  await sampler.sample(targets);
  const t0 = performance.now();
  const sweep = await sampler.sample(targets);
  const ms = performance.now() - t0;
  row(
    'engines',
    `sample every container of a node (${label}, ${containers.length} containers)`,
    round(ms),
    'ms',
    `${sweep.requests} requests, ${round(sweep.bytes / 1024, 1)} KiB`,
    '',
    true,
  );
  const first = [];
  for (let i = 0; i < 20; i++) {
    const t1 = performance.now();
    const session = await engine.exec(target, ['sh'], { tty: true, rows: 24, cols: 80 });
    await new Promise((resolve) => session.stream.once('data', resolve));
    first.push(performance.now() - t1);
    session.stream.write('exit\r');
    await session.exitCode();
  }
  row('engines', `exec: request to first prompt byte p50 / p95 (${label})`, `${round(pct(first, 50), 1)} / ${round(pct(first, 95), 1)}`, 'ms', '', '', true);
  // What s in the tasks view costs before the terminal is handed over: the bash-or-sh probe (an exec of its own), then the shell's first byte.
  const shell = [];
  for (let i = 0; i < 20; i++) {
    const t1 = performance.now();
    const chosen = await chooseShell(engine, target);
    const session = await engine.exec(target, chosen.cmd, { tty: true, rows: 24, cols: 80 });
    await new Promise((resolve) => session.stream.once('data', resolve));
    shell.push(performance.now() - t1);
    session.stream.write('exit\r');
    await session.exitCode();
  }
  row(
    'engines',
    `shell (s): to the prompt, shell probe included, p50 / p95 (${label})`,
    `${round(pct(shell, 50), 1)} / ${round(pct(shell, 95), 1)}`,
    'ms',
    '',
    '',
    true,
  );
}

/** Runs the engine rows. */
export async function engineRows({ startSim, row, round, log }) {
  const sim = await startSim('engines', ['--scenario', 'large']);
  const docker = new Docker({ socketPath: sim.socket });
  const reach = new NodeReach({ manager: parseHost(sim.host, {}, undefined) });
  try {
    await measure({ row, round, label: 'simulator, large scenario', reach, node: await busiestNode(docker) });
  } finally {
    reach.close();
    sim.stop();
  }
  const real = process.env.SWARMDECK_TEST_DOCKER_HOST;
  const nodesDir = real?.startsWith('unix://') ? dirname(dirname(real.slice(7))) : undefined;
  if (!nodesDir || !existsSync(nodesDir)) return log('SKIP: set SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket for the real-node engine rows');
  const realDocker = new Docker({ socketPath: real.slice(7) });
  const name = `bench-engines-${process.pid}`;
  await realDocker.createService({
    Name: name,
    TaskTemplate: { ContainerSpec: { Image: process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1', Args: ['sleep', '100000'], StopSignal: 'SIGKILL' } },
    Mode: { Replicated: { Replicas: 1 } },
  });
  await new Promise((r) => setTimeout(r, 8000));
  const map = new Map(readdirSync(nodesDir).map((n) => [n, `unix://${join(nodesDir, n, 'docker.sock')}`]));
  const realReach = new NodeReach({ manager: parseHost(real, {}, undefined), map });
  try {
    await measure({ row, round, label: 'real node', reach: realReach, node: await busiestNode(realDocker) });
  } finally {
    realReach.close();
    await realDocker
      .getService(name)
      .remove()
      .catch(() => {});
  }
}
