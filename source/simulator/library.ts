import { drill as runDrill } from './api/handlers/drills.js';
import { SCENARIOS } from './scenarios/index.js';
import { startSimulator } from './server.js';
import type { Drill } from '../swarm/drills.js';

export type { Drill } from '../swarm/drills.js';

/** How to start a simulated swarm: a scenario, its sizes and seed, and where to listen. */
export interface SimulatedSwarmOptions {
  /** `tutorial` (default: 5 nodes, a handful of services), `empty` (nodes, no services), `large`, or `blank` (engines not in a swarm yet). */
  scenario?: 'tutorial' | 'empty' | 'large' | 'blank';
  /** For `blank`: the engines' hostnames (default node-01..node-05). */
  names?: string[];
  /** Also serve each node's own engine at DIR/<hostname>.sock. */
  engines?: string;
  /** The same seed gives the same ids and history. */
  seed?: number;
  /** Sizes of the `large` scenario. */
  nodes?: number;
  services?: number;
  replicas?: number;
  /** A unix socket path; default: a fresh one under the temp dir. */
  socket?: string;
  /** Listen on 127.0.0.1:port instead (0 picks a free one). */
  port?: number;
}

/** A running simulated swarm: its manager speaks the Docker Engine API, so any Docker client drives it. */
export interface SimulatedSwarm {
  /** The DOCKER_HOST that reaches its manager (unix:///... or tcp://127.0.0.1:PORT). */
  host: string;
  /** With `engines`: each engine's DOCKER_HOST, by hostname. */
  engineHosts: Record<string, string>;
  /** The scenarios there are, with what each holds. */
  readonly scenarios: Record<string, string>;
  /**
   * Stages an incident: a node down or back (`target` a node's name or id), an image that fails
   * to pull or works again (`target` a service), raft quorum lost or regained. Resolves with what
   * happened, in words.
   */
  drill(name: Drill, target?: string): Promise<string>;
  /** Stops the manager and removes its socket. */
  close(): Promise<void>;
}

/**
 * Starts a simulated Docker Swarm on a private socket, on the wall clock, for another project's
 * tests: point DOCKER_HOST (or any SDK) at `host`.
 */
export async function startSimulatedSwarm(options: SimulatedSwarmOptions = {}): Promise<SimulatedSwarm> {
  const sim = await startSimulator({ ...options, clock: 'real' });
  return {
    host: sim.host,
    engineHosts: Object.fromEntries(Object.entries(sim.engineSockets).map(([name, path]) => [name, `unix://${path}`])),
    scenarios: SCENARIOS,
    drill: async (name, target = '') => runDrill({ swarm: sim.swarm, fleet: sim.fleet }, name, target).message,
    close: () => sim.close(),
  };
}
