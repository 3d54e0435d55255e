import { VIEW_COMMANDS } from './keymap/bindings.js';
import { ConfigError, parseHost, resolveEndpoints, type Endpoint } from './docker/connection.js';
import { type DockerError, SwarmClient } from './docker/client.js';
import type { EngineInfo, SwarmNode, SwarmService, SwarmTask } from './docker/types.js';
import { ActionLog } from './store/action-log.js';
import { naturalCompare } from './ui/present/format.js';
import { readObject } from './store/inspect.js';
import { createStore, type Store } from './store/store.js';
import type { View } from './ui/ui-state.js';
import { EVENT_HISTORY_SECONDS, SWARM_SCOPE, type Scope } from './store/state.js';

type UiModule = typeof import('./app-ui.js');
type FrameModule = typeof import('./once-frame.js');

/** Flags of the console (see cli.tsx). */
export interface AppFlags {
  host?: string[];
  context?: string;
  readOnly?: boolean;
  sim?: boolean;
  scenario?: string;
  seed?: number;
  nodes?: number;
  services?: number;
  replicas?: number;
  once?: boolean;
  view?: string;
  service?: string;
  node?: string;
  width?: number;
  height?: number;
  as?: string;
}

// Every view --once can print: the command line's (contexts aside: they are this machine's, not the swarm's).
const VIEWS = VIEW_COMMANDS.filter((c) => c.view !== 'contexts').map((c) => c.name);
const fail = (message: string, code = 2) => {
  process.stderr.write(`swarmdeck: ${message}\n`);
  return code;
};

/** Removes colours and other SGR sequences: --once prints plain text. */
export const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Runs the console, or prints one frame with --once. Returns the exit code. */
export async function runApp(flags: AppFlags): Promise<number> {
  // React, Ink and the panes load while the connection's first requests are in flight: start-up
  // costs the larger of the two, not their sum. --once loads the frame renderer only.
  const frame = flags.once ? import('./once-frame.js') : undefined;
  const ui = flags.once ? undefined : import('./app-ui.js');
  frame?.catch(() => {});
  ui?.catch(() => {});
  if (flags.view !== undefined && !VIEWS.includes(flags.view)) return fail(`--view must be one of ${VIEWS.join(', ')}, not "${flags.view}"`);
  if (flags.view && !flags.once) return fail('--view goes with --once');
  if (flags.width !== undefined && flags.width < 40) return fail('--width must be at least 40');
  if (flags.height !== undefined && flags.height < 10) return fail('--height must be at least 10');
  if (flags.sim && (flags.host?.length || flags.context)) return fail('--sim starts its own swarm: leave out -H and --context');

  let endpoints: Endpoint[];
  let closeSim: (() => Promise<void>) | undefined;
  try {
    if (flags.sim) {
      const { startSimulator } = await import('./simulator/server.js');
      const sim = await startSimulator({
        scenario: flags.scenario,
        seed: flags.seed,
        nodes: flags.nodes,
        services: flags.services,
        replicas: flags.replicas,
        as: flags.as as 'manager' | 'worker' | 'inactive' | undefined,
        clock: 'real',
      });
      closeSim = () => sim.close();
      endpoints = [{ ...parseHost(sim.host, {}, undefined), label: `simulated swarm (${flags.scenario ?? 'tutorial'})` }];
    } else {
      if (flags.scenario || flags.seed !== undefined) return fail('--scenario and --seed go with --sim');
      endpoints = resolveEndpoints({ hosts: flags.host, context: flags.context });
    }
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    const message = (error as Error).message;
    return fail(message, 2);
  }
  try {
    return frame ? await once(endpoints, flags, frame) : await live(endpoints, flags, ui!);
  } finally {
    await closeSim?.();
  }
}

/** Finds the first endpoint that answers as a manager; every endpoint keeps its client, to fail over to later. */
async function connect(endpoints: Endpoint[]): Promise<{ clients: SwarmClient[]; current: number } | { error: DockerError }> {
  const clients = endpoints.map((endpoint) => new SwarmClient(endpoint));
  let last: DockerError | undefined;
  for (const [current, client] of clients.entries()) {
    try {
      await client.checkManager();
      return { clients, current };
    } catch (error) {
      last = error as DockerError;
    }
  }
  return { error: last! };
}

function scopeFromFlags(flags: AppFlags, store: Store): Scope | string | undefined {
  const state = store.getSnapshot();
  if (flags.service) {
    const service = state.services.find((s) => s.Spec.Name === flags.service || s.ID === flags.service || s.ID.startsWith(flags.service!));
    if (!service) return `no service "${flags.service}"`;
    return { kind: 'service', id: service.ID, name: service.Spec.Name ?? service.ID };
  }
  if (flags.node) {
    const node = state.nodes.find((n) => n.Description?.Hostname === flags.node || n.ID === flags.node || n.ID.startsWith(flags.node!));
    if (!node) return `no node "${flags.node}"`;
    return { kind: 'node', id: node.ID, name: node.Description?.Hostname ?? node.ID };
  }
  return undefined;
}

/** Connects for --once: /info, nodes and services asked at once, so that the frame waits for one round trip, not three. */
async function connectWithData(
  endpoints: Endpoint[],
): Promise<{ client: SwarmClient; info: EngineInfo; nodes: SwarmNode[]; services: SwarmService[] } | { error: DockerError }> {
  let last: DockerError | undefined;
  for (const endpoint of endpoints) {
    const client = new SwarmClient(endpoint);
    const data = Promise.all([client.listNodes(), client.listServices()]);
    data.catch(() => {});
    try {
      const info = await client.checkManager();
      const [nodes, services] = await data;
      return { client, info, nodes, services };
    } catch (error) {
      last = error as DockerError;
    }
  }
  return { error: last! };
}

async function once(endpoints: Endpoint[], flags: AppFlags, frameModule: Promise<FrameModule>): Promise<number> {
  const connected = await connectWithData(endpoints);
  if ('error' in connected) return fail(connected.error.message, 1);
  const { client, info, nodes, services } = connected;
  const store = createStore(client.endpoint.label);
  try {
    store.dispatch({ type: 'info', info });
    store.dispatch({ type: 'nodes', nodes, at: Date.now() });
    store.dispatch({ type: 'services', services, at: Date.now() });
    const name = flags.view ?? 'services';
    const kind = (name === 'swarm' ? 'inspect' : name) as View['kind'];
    const scope = name === 'swarm' ? SWARM_SCOPE : scopeFromFlags(flags, store);
    if (typeof scope === 'string') return fail(scope);
    if ((kind === 'tasks' || kind === 'logs') && !scope) return fail(`--view ${kind} needs --service NAME${kind === 'tasks' ? ' or --node NAME' : ''}`);
    if (kind === 'logs' && scope?.kind !== 'service') return fail('--view logs needs --service NAME');
    const width = flags.width ?? 120;
    const height = flags.height ?? 40;
    if (scope && (kind === 'tasks' || kind === 'logs')) {
      store.dispatch({ type: 'tasks/scope', scope });
      const items = await client.listTasks(scope.kind === 'service' ? { service: scope.id } : { node: scope.id });
      store.dispatch({ type: 'tasks', scope, items, at: Date.now() });
    }
    if (kind === 'nodes' || kind === 'map') {
      // The tasks of the nodes the frame shows only, as the live console does.
      const sorted = [...nodes].sort((a, b) => naturalCompare(a.Description?.Hostname ?? '', b.Description?.Hostname ?? ''));
      const shown = sorted.slice(0, kind === 'map' ? Math.max(1, Math.floor(width / 20)) : height - 6);
      const tasks = await client.listTasks({ node: shown.map((n) => n.ID), desired: 'running' });
      const counts = new Map<string, number>(shown.map((n) => [n.ID, 0]));
      const byNode = new Map<string, SwarmTask[]>(shown.map((n) => [n.ID, []]));
      for (const t of tasks) {
        if (!t.NodeID) continue;
        byNode.get(t.NodeID)?.push(t);
        if (t.Status.State === 'running') counts.set(t.NodeID, (counts.get(t.NodeID) ?? 0) + 1);
      }
      store.dispatch({ type: 'counts', counts, tasks: byNode });
    }
    if (kind === 'networks' || kind === 'configs' || kind === 'secrets') {
      store.dispatch({ type: 'resource', kind, items: await client.listResources(kind) });
    }
    if (kind === 'events') {
      // The engine's clock, not ours: the two may disagree, and events carry the engine's times.
      const now = Math.floor((Date.parse(info.SystemTime ?? '') || Date.now()) / 1000);
      store.dispatch({ type: 'events', events: await client.eventsBetween(now - EVENT_HISTORY_SECONDS, now) });
    }
    if (kind === 'inspect') {
      const target = scope ?? SWARM_SCOPE;
      store.dispatch({ type: 'inspect', scope: target, object: await readObject(client, target) });
    }
    if (kind === 'actions') store.dispatch({ type: 'actions/load', records: new ActionLog().read() });
    if (kind === 'logs' && scope) {
      store.dispatch({ type: 'logs/reset', scope, status: 'loading' });
      await new Promise<void>((resolve, reject) => {
        void client
          .logs(
            { service: scope.id },
            { follow: false, tail: height, tty: false },
            (lines) => store.dispatch({ type: 'logs/append', lines, limit: 5000 }),
            (error) => (error ? reject(error) : resolve()),
          )
          .catch(reject);
      });
      store.dispatch({ type: 'logs/status', status: 'ended' });
    }
    const { onceFrame } = await frameModule;
    const frame = onceFrame(store.getSnapshot(), { kind, scope: kind === 'inspect' ? (scope ?? SWARM_SCOPE) : scope }, width, height, Boolean(flags.readOnly));
    process.stdout.write(
      `${stripAnsi(frame)
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')}\n`,
    );
    return 0;
  } catch (error) {
    return fail((error as Error).message, 1);
  }
}

async function live(endpoints: Endpoint[], flags: AppFlags, ui: Promise<UiModule>): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    return fail('the console needs a terminal; for scripts use --once --view NAME');
  }
  const connected = await connect(endpoints);
  if ('error' in connected) return fail(connected.error.message, 1);
  const { runLive } = await ui;
  return runLive(connected.clients, connected.current, Boolean(flags.readOnly));
}
