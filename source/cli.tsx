#!/usr/bin/env node
import packageJson from '../package.json' with { type: 'json' };
// Stack traces name our source files (the bundle ships its source maps).
process.setSourceMapsEnabled(true);
// No colours where the user or the terminal says so (https://no-color.org): chalk reads only
// FORCE_COLOR, so it is told before anything loads it. FORCE_COLOR, if set, still wins.
if ((process.env.NO_COLOR || process.env.TERM === 'dumb') && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
// What the run will need starts loading now, alongside meow: start-up then pays for the largest of
// these imports (file reads overlap with compiling), not for all of them one after another.
if (process.argv[2] !== 'sim') {
  const once = process.argv.includes('--once');
  for (const preload of [
    import('./commands/run.js'),
    ...(once ? [import('./commands/once.js'), import('./commands/once-frame.js')] : [import('./commands/console.js')]),
  ]) {
    preload.catch(() => {});
  }
}
/** Parses the command line and runs what it asks for (a function, not top-level await: the single executable's build is CommonJS). */
async function main(): Promise<void> {
  const { default: meow } = await import('meow');
  const { VIEW_COMMANDS } = await import('./keymap/bindings.js');
  const views = VIEW_COMMANDS.filter((c) => c.view !== 'contexts').map((c) => c.name);

  const flags = {
    host: { type: 'string', shortFlag: 'H', isMultiple: true },
    nodeHost: { type: 'string', isMultiple: true },
    context: { type: 'string' },
    tlsverify: { type: 'boolean' },
    tlscacert: { type: 'string' },
    tlscert: { type: 'string' },
    tlskey: { type: 'string' },
    readOnly: { type: 'boolean', default: false },
    sim: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    seed: { type: 'number' },
    nodes: { type: 'number' },
    services: { type: 'number' },
    replicas: { type: 'number' },
    socket: { type: 'string' },
    as: { type: 'string', choices: ['manager', 'worker', 'inactive'] as string[] },
    engines: { type: 'string' },
    composeFile: { type: 'string', shortFlag: 'c', isMultiple: true },
    dryRun: { type: 'boolean' },
    prune: { type: 'boolean' },
    yes: { type: 'boolean', shortFlag: 'y' },
    detach: { type: 'boolean' },
    withRegistryAuth: { type: 'boolean' },
    resolveImage: { type: 'string' },
    names: { type: 'string' },
    offline: { type: 'boolean' },
    port: { type: 'number' },
    once: { type: 'boolean', default: false },
    stats: { type: 'boolean', default: true },
    view: { type: 'string' },
    service: { type: 'string' },
    node: { type: 'string' },
    since: { type: 'string' },
    tail: { type: 'string' },
    width: { type: 'number' },
    height: { type: 'number' },
  } as const;
  const cli = meow(
    `
  Usage
    $ swarmdeck [options]            open the console on a Swarm manager
    $ swarmdeck --sim                open it on a simulated swarm (no cluster needed)
    $ swarmdeck sim [options]        run the simulated manager for the docker CLI
    $ swarmdeck deploy -c FILE STACK deploy a stack from compose files, with its plan first

  Connection (as the docker CLI)
    -H, --host URL        unix:///path, tcp://host:port or ssh://user@host (else DOCKER_HOST)
    --context NAME        a docker context (else DOCKER_CONTEXT, else the current one)
    --tlsverify           TLS to a tcp:// host, verified against --tlscacert (else DOCKER_TLS_VERIFY)
    --tlscacert --tlscert --tlskey FILE   the CA and client certificate (else DOCKER_CERT_PATH, ~/.docker)
    --node-host NODE=URL  a node's own engine (repeatable; else config.yaml nodes:, a context named as the node, ssh)
    --read-only           refuse every action that would change the swarm

  Simulator
    --sim                 start a simulated swarm in-process and connect to it
    --scenario NAME       tutorial (default), empty, large, blank (engines not in a swarm yet)
    --seed N              ids and history are the same for the same seed
    --nodes N --services M --replicas R     sizes for the large scenario
    --socket PATH         (sim) listen on this unix socket; default: a fresh one under the temp dir
    --port N              (sim) listen on 127.0.0.1:N instead
    --as ROLE             answer as a manager (default), a worker, or an engine not in a swarm (inactive)
    --engines DIR         (sim) also serve each node's own engine at DIR/<hostname>.sock
    --names a,b,c         (sim) the blank scenario's hostnames (default node-01..node-05)
    --offline             (sim) no simulated registry: pulls and pushes fail as without network

  Deploy (swarmdeck deploy -c FILE [-c FILE2] STACK)
    -c, --compose-file    a compose file; several are merged in order
    --dry-run             print the plan (create, update with the changed fields, unchanged) and stop
    --prune               also remove the stack's services that left the files
    -y, --yes             apply without asking;  --detach  do not wait for the services to converge
    --with-registry-auth  send the registry credentials of ~/.docker/config.json with each service
    --resolve-image MODE  always (default), changed or never: pin images to the registry's digest

  One frame, for scripts
    --once --view VIEW [--service NAME] [--node NAME] [--width W] [--height H]
      VIEW: ${views.join(', ')}
      --view logs also takes --since 10m|2h|RFC3339 and --tail N: what the manager is asked for
      --no-stats  no CPU and MEM: the nodes' engines are not asked (their figures cost a second,
                  and up to 8 s on a large swarm)
`,
    {
      importMeta: import.meta,
      // Given, not looked up: the single executable has no package.json beside it.
      pkg: { name: packageJson.name, version: packageJson.version, bin: packageJson.bin },
      // Unknown flags are refused below, in a sentence with the valid ones (meow's own refusal is a bare "Unknown flag").
      allowUnknownFlags: true,
      flags,
    },
  );

  // Every flag given must be one of ours; a mistake is a sentence, the valid flags, and exit 2.
  const known = new Set(['help', 'version', ...Object.keys(flags).map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))]);
  const unknown = process.argv
    .slice(2)
    .filter((a) => a.startsWith('-') && a !== '-' && a !== '--')
    .map((a) => a.replace(/^--?/, '').split('=')[0])
    .filter((name) => name !== 'H' && name !== 'c' && name !== 'y' && !known.has(name) && !(name.startsWith('no-') && known.has(name.slice(3))));
  if (unknown.length > 0) {
    const flags = [...known].filter((k) => k !== 'help' && k !== 'version').map((k) => `--${k}`);
    process.stderr.write(
      `swarmdeck: unknown flag ${unknown.map((u) => (u.length === 1 ? `-${u}` : `--${u}`)).join(', ')}; the flags are ${flags.join(', ')}, -H, --help, --version\n`,
    );
    process.exit(2);
  }

  const [command, ...rest] = cli.input;
  if (command === 'deploy' && rest.length <= 1) {
    const { runDeploy } = await import('./commands/deploy.js');
    const code = await runDeploy(cli.flags, rest[0]);
    // As below: an idle keep-alive connection to the manager must not hold the finished command open.
    process.stdout.write('', () => process.exit(code));
    return;
  }
  if (rest.length > 0 || (command !== undefined && command !== 'sim')) {
    process.stderr.write(`swarmdeck: unknown command "${cli.input.join(' ')}"; see swarmdeck --help\n`);
    process.exit(2);
  }

  for (const key of ['seed', 'nodes', 'services', 'replicas', 'port', 'width', 'height'] as const) {
    const value = cli.flags[key];
    if (value !== undefined && (!Number.isFinite(value) || !Number.isInteger(value))) {
      process.stderr.write(`swarmdeck: --${key} must be a whole number\n`);
      process.exit(2);
    }
  }

  if (command === 'sim' && (cli.flags as { help?: boolean }).help === true) {
    // meow answers --help only without a command: the simulator's help is ours, and nothing is started.
    const { SIM_HELP } = await import('./commands/sim.js');
    process.stdout.write(SIM_HELP);
    return;
  }
  if (command === 'sim') {
    // Imported on demand: the console's start-up must not pay for the simulator, nor the reverse.
    const { runSim } = await import('./commands/sim.js');
    process.exitCode = await runSim(cli.flags);
  } else {
    const { runApp } = await import('./commands/run.js');
    const code = await runApp(cli.flags);
    // Done: leave now rather than when the manager's idle keep-alive connection is closed (tens of
    // milliseconds for a script that runs --once in a loop), once what was written has gone out.
    process.stdout.write('', () => process.exit(code));
  }
}

void main();
