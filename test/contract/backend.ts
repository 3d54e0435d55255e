import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import type { EnginePair } from './lifecycle.js';
import { dockerFor } from './wire.js';

/** One side of the contract: a swarm manager the suite can drive, and the few things it needs beyond the API. */
export interface Backend {
  name: 'simulator' | 'engine';
  host: string;
  docker: Docker;
  /** Lets time pass: the simulator's clock moves, a real swarm is waited for. */
  tick(ms: number): Promise<void>;
  /** Stops and starts a worker node (a real dockerd, or the simulator's drill); undefined when not available. */
  nodeControl?: { stop(hostname: string): Promise<void>; start(hostname: string): Promise<void> };
  close(): Promise<void>;
}

/** The simulator, on a manual clock that the suite moves in small steps. */
export async function simulatorBackend(): Promise<Backend> {
  // A 1 manager + 2 workers swarm, the shape CI's real swarm has.
  const sim: Simulator = await startSimulator({ clock: 'manual', scenario: 'empty' });
  sim.swarm.addNode({ hostname: 'worker1', role: 'worker' });
  sim.swarm.addNode({ hostname: 'worker2', role: 'worker' });
  return {
    name: 'simulator',
    host: sim.host,
    docker: new Docker({ socketPath: sim.socketPath }),
    async tick(ms) {
      sim.advance(ms);
      // Yield to I/O too, so that streamed answers (follow, events) reach the client between steps.
      await new Promise((r) => setTimeout(r, 2));
    },
    nodeControl: {
      async stop(hostname) {
        sim.swarm.nodeDown(hostname);
      },
      async start(hostname) {
        sim.swarm.nodeUp(hostname);
      },
    },
    close: () => sim.close(),
  };
}

/** A real manager from SWARMDECK_TEST_DOCKER_HOST; node control from SWARMDECK_TEST_NODE_CTL (e.g. realswarm.sh). */
export function engineBackend(host: string): Backend {
  const ctl = process.env.SWARMDECK_TEST_NODE_CTL;
  const docker = host.startsWith('unix://')
    ? new Docker({ socketPath: host.slice(7) })
    : new Docker({ host: new URL(host.replace(/^tcp:/, 'http:')).hostname, port: Number(new URL(host.replace(/^tcp:/, 'http:')).port) });
  const run = (...args: string[]) => {
    const [cmd, ...pre] = ctl!.split(' ');
    execFileSync(cmd, [...pre, ...args], { stdio: 'ignore', timeout: 120_000 });
  };
  return {
    name: 'engine',
    host,
    docker,
    tick: (ms) => new Promise((r) => setTimeout(r, ms)),
    nodeControl: ctl
      ? {
          async stop(hostname) {
            run('stop', hostname);
          },
          async start(hostname) {
            run('start', hostname);
          },
        }
      : undefined,
    close: async () => {},
  };
}

/** Two simulated engines not in a swarm (scenario blank, served by sim --engines), on a manual clock. */
export async function simulatorEnginePair(): Promise<EnginePair> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-engines-'));
  const sim = await startSimulator({ clock: 'manual', scenario: 'blank', names: ['manager1', 'worker1'], engines: dir });
  const docker = (name: string) => new Docker({ socketPath: sim.engineSockets[name] });
  return {
    a: docker('manager1'),
    b: docker('worker1'),
    addrA: sim.fleet.engines.get('manager1')!.addr,
    async tick(ms) {
      sim.advance(ms);
      await new Promise((r) => setTimeout(r, 2));
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two spare real engines from SWARMDECK_TEST_SPARE ("unix:///a.sock=10.0.0.1,unix:///b.sock=10.0.0.2": each engine's DOCKER_HOST and address). */
export async function engineSparePair(spec: string): Promise<EnginePair> {
  const [first, second] = spec.split(',').map((entry) => entry.split('='));
  return {
    a: await dockerFor(first[0]),
    b: await dockerFor(second[0]),
    addrA: first[1],
    tick: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => {},
  };
}
