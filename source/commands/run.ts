import { ConfigError, parseHost, resolveEndpoints, type Endpoint } from '../docker/connection.js';
import { VIEW_COMMANDS, type ViewKind } from '../keymap/bindings.js';
import { SWARM_SCOPE } from '../store/state.js';

type ConsoleModule = typeof import('./console.js');
type FrameModule = typeof import('./once-frame.js');

/** Flags of the console (see cli.tsx). */
export interface AppFlags {
  host?: string[];
  /** NODE=URL: where a node's own engine answers (node reach). */
  nodeHost?: string[];
  context?: string;
  readOnly?: boolean;
  sim?: boolean;
  scenario?: string;
  engines?: string;
  names?: string;
  composeFile?: string[];
  dryRun?: boolean;
  prune?: boolean;
  detach?: boolean;
  seed?: number;
  nodes?: number;
  services?: number;
  replicas?: number;
  once?: boolean;
  /** --no-stats (false): --once does not sample the nodes' engines for CPU and MEM. */
  stats?: boolean;
  view?: string;
  service?: string;
  node?: string;
  /** --view logs: how far back (10m, 2h, an RFC 3339 time) and how many lines per task. */
  since?: string;
  tail?: string;
  width?: number;
  height?: number;
  as?: string;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

// Every view --once can print: the command line's (contexts aside: they are this machine's, not the swarm's).
const VIEWS = VIEW_COMMANDS.filter((c) => c.view !== 'contexts');
const fail = (message: string, code = 2) => {
  process.stderr.write(`swarmdeck: ${message}\n`);
  return code;
};

/** Checks the flags; a mistake is a sentence and exit 2, before anything is started. */
function refusal(flags: AppFlags): string | undefined {
  if (flags.view !== undefined && !VIEWS.some((c) => c.name === flags.view))
    return `--view must be one of ${VIEWS.map((c) => c.name).join(', ')}, not "${flags.view}"`;
  if (flags.view && !flags.once) return '--view goes with --once';
  if (flags.stats === false && !flags.once) return '--no-stats goes with --once (the console samples only what is on screen)';
  if (flags.width !== undefined && flags.width < 40) return '--width must be at least 40';
  if (flags.height !== undefined && flags.height < 10) return '--height must be at least 10';
  if (flags.sim && (flags.host?.length || flags.context)) return '--sim starts its own swarm: leave out -H and --context';
  if (!flags.sim && (flags.scenario || flags.seed !== undefined)) return '--scenario and --seed go with --sim';
  if (flags.engines !== undefined || flags.names !== undefined) return '--engines and --names go with swarmdeck sim (the simulator for the docker CLI)';
  if (flags.composeFile?.length || flags.dryRun || flags.prune || flags.detach)
    return '-c, --dry-run, --prune and --detach go with swarmdeck deploy -c FILE STACK';
  return undefined;
}

/** Runs the console, or prints one frame with --once. Returns the exit code. */
export async function runApp(flags: AppFlags): Promise<number> {
  // React, Ink and the panes load while the connection's first requests are in flight: start-up
  // costs the larger of the two, not their sum. --once loads the frame renderer only.
  const frame: Promise<FrameModule> | undefined = flags.once ? import('./once-frame.js') : undefined;
  const ui: Promise<ConsoleModule> | undefined = flags.once ? undefined : import('./console.js');
  frame?.catch(() => {});
  ui?.catch(() => {});
  const wrong = refusal(flags);
  if (wrong) return fail(wrong);
  if (flags.nodeHost?.length) {
    // Checked now, so a typo is a sentence before anything starts; the console reaches nodes on demand.
    const { parseNodeHosts } = await import('../docker/node-reach.js');
    try {
      parseNodeHosts(flags.nodeHost);
    } catch (error) {
      return fail((error as Error).message);
    }
  }

  let endpoints: Endpoint[];
  let closeSim: (() => Promise<void>) | undefined;
  try {
    if (flags.sim) {
      const { startSimulator } = await import('../simulator/server.js');
      const { scenario, seed, nodes, services, replicas } = flags;
      // A large swarm takes seconds to build, in one synchronous stretch: say what is happening on
      // the terminal (a TTY's writes are synchronous, so each stage shows as it starts).
      const tty = process.stderr.isTTY && !flags.once;
      const onProgress = tty ? (text: string) => process.stderr.write(`\r\u001b[K${text}`) : undefined;
      const sim = await startSimulator({
        onProgress,
        scenario,
        seed,
        nodes,
        services,
        replicas,
        as: flags.as as 'manager' | 'worker' | 'inactive' | undefined,
        clock: 'real',
      });
      if (onProgress) process.stderr.write('\r\u001b[K');
      closeSim = () => sim.close();
      endpoints = [{ ...parseHost(sim.host, {}, undefined), label: `simulated swarm (${scenario ?? 'tutorial'})` }];
    } else {
      const tls = { verify: flags.tlsverify, ca: flags.tlscacert, cert: flags.tlscert, key: flags.tlskey };
      endpoints = resolveEndpoints({ hosts: flags.host, context: flags.context, tls });
    }
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : (error as Error).message);
  }
  try {
    if (!frame) return await ui!.then(({ runConsole }) => runConsole(endpoints, Boolean(flags.readOnly), flags.nodeHost));
    const name = flags.view ?? 'services';
    const command = VIEWS.find((c) => c.name === name)!;
    const { runOnce } = await import('./once.js');
    const result = await runOnce(endpoints, flags, command.view as ViewKind, command.scope === 'swarm' ? SWARM_SCOPE : undefined, frame);
    if ('message' in result) return fail(result.message, result.code);
    process.stdout.write(result.frame);
    return 0;
  } finally {
    await closeSim?.();
  }
}
