import { boundHeapGrowth } from '../heap.js';
import { ApiError } from '../simulator/errors.js';
import { SCENARIOS } from '../simulator/scenarios/index.js';
import { startSimulator, type Simulator } from '../simulator/server.js';

/** Flags of `swarmdeck sim`. */
export interface SimFlags {
  socket?: string;
  port?: number;
  scenario?: string;
  seed?: number;
  nodes?: number;
  services?: number;
  replicas?: number;
  as?: string;
  engines?: string;
  names?: string;
  offline?: boolean;
}

/** What `swarmdeck sim --help` prints: the simulator's own options, and nothing is started. */
export const SIM_HELP = `
  Usage
    $ swarmdeck sim [options]        run a simulated swarm manager for the docker CLI (Ctrl+C stops it)

  Options
    --scenario NAME       tutorial (default), empty, large, blank (engines not in a swarm yet)
    --seed N              ids and history are the same for the same seed
    --nodes N --services M --replicas R     sizes for the large scenario
    --socket PATH         listen on this unix socket; default: a fresh one under the temp dir
    --port N              listen on 127.0.0.1:N instead
    --as ROLE             answer as a manager (default), a worker, or an engine not in a swarm (inactive)
    --engines DIR         also serve each node's own engine at DIR/<hostname>.sock
    --names a,b,c         the blank scenario's hostnames (default node-01..node-05)
    --offline             refuse image pulls and pushes as an engine without a registry does

  Scenarios
${Object.entries(SCENARIOS)
  .map(([k, v]) => `    ${k.padEnd(9)} ${v}`)
  .join('\n')}

  It prints the DOCKER_HOST to export; then docker and swarmdeck work against it as against a manager.
`;

/** The first line `sim` prints: what was started. */
function describe(simulator: Simulator, scenario: string): string {
  const swarms = simulator.fleet.swarms();
  if (swarms.length === 0) {
    const names = [...simulator.fleet.engines.keys()].join(', ');
    return `swarmdeck simulated engines (${scenario}): ${names}, none in a swarm yet: start with docker swarm init`;
  }
  const swarm = simulator.swarm;
  return `swarmdeck simulated swarm (${scenario}): ${swarm.nodes.size} nodes, ${swarm.services.size} services, ${swarm.tasks.size} tasks`;
}

/** `swarmdeck sim`: runs the simulated manager in the foreground until SIGINT/SIGTERM. */
export async function runSim(flags: SimFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (flags.socket !== undefined && flags.port !== undefined) {
    process.stderr.write('swarmdeck sim: give --socket or --port, not both\n');
    return 2;
  }
  if (flags.port !== undefined && (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535)) {
    process.stderr.write(`swarmdeck sim: --port must be a whole number from 0 to 65535, not ${flags.port}\n`);
    return 2;
  }
  // As the console's: the large scenario keeps ~175 MB alive, and a burst of requests (100 log
  // followers at once) would otherwise let the heap grow to several times that before collecting.
  boundHeapGrowth();
  // Handlers go in before anything is printed: a supervisor may signal as soon as it reads DOCKER_HOST.
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, stop);
  let simulator;
  try {
    simulator = await startSimulator({
      ...flags,
      names: flags.names?.split(',').map((n) => n.trim()),
      as: flags.as as 'manager' | 'worker' | 'inactive' | undefined,
      clock: 'real',
    });
  } catch (error) {
    const message = error instanceof ApiError ? error.message : (error as Error).message;
    process.stderr.write(`swarmdeck sim: ${message}\n`);
    if (error instanceof ApiError) {
      process.stderr.write(
        `scenarios:\n${Object.entries(SCENARIOS)
          .map(([k, v]) => `  ${k.padEnd(9)} ${v}`)
          .join('\n')}\n`,
      );
    }
    for (const signal of signals) process.off(signal, stop);
    return 2;
  }
  out.write(`${describe(simulator, flags.scenario ?? 'tutorial')}\n`);
  out.write(`export DOCKER_HOST=${simulator.host}\n`);
  const engines = Object.entries(simulator.engineSockets);
  if (engines.length > 0) {
    out.write(`Each node's own engine (docker -H unix://PATH, or DOCKER_HOST=unix://PATH):\n`);
    for (const [name, path] of engines) out.write(`  ${name.padEnd(12)} unix://${path}\n`);
  }
  out.write(`Point the docker CLI (or swarmdeck) at it with the line above; Ctrl+C stops it.\n`);
  await stopped;
  await simulator.close();
  for (const signal of signals) process.off(signal, stop);
  return 0;
}
