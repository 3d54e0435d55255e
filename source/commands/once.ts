import { SwarmClient, type DockerError } from '../docker/client.js';
import type { Endpoint } from '../docker/connection.js';
import type { EngineInfo, SwarmNode, SwarmService } from '../docker/types.js';
import type { ViewKind } from '../keymap/bindings.js';
import { load } from '../store/load.js';
import { loadStats } from '../store/load-stats.js';
import { parseLogRange, type LogRange } from '../store/log-range.js';
import type { Scope } from '../store/state.js';
import { createStore, type Store } from '../store/store.js';
import { sanitizeText } from '../ui/sanitize.js';
import { CHROME_ROWS } from '../ui/screen.js';
import { yogaReady } from '../ui/yoga.js';
import { viewRows, viewSpec } from '../ui/views/index.js';
import type { AppFlags } from './run.js';

type FrameModule = typeof import('./once-frame.js');

/** Removes colours and other SGR sequences: --once prints plain text. */
export const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

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

/** The service or node --service / --node names, or why there is none. */
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

/** --since and --tail, for --view logs: the range asked of the manager; or why the values are wrong. */
function logRangeFromFlags(flags: AppFlags, kind: ViewKind): LogRange | string | undefined {
  if (flags.since === undefined && flags.tail === undefined) return undefined;
  if (kind !== 'logs') return '--since and --tail go with --view logs';
  const words = [...(flags.since !== undefined ? ['--since', flags.since] : []), ...(flags.tail !== undefined ? ['--tail', flags.tail] : [])];
  return parseLogRange(words);
}

/** What --once ends with: the frame to print, or a message and the exit code (2 for bad input, 1 when the manager fails). */
export type OnceResult = { frame: string } | { message: string; code: 1 | 2 };

/**
 * --once: one frame of a view, printed as plain text. The view is the console's own (its spec),
 * and what it needs is fetched once with load(), as the console's Sync keeps it current.
 */
export async function runOnce(
  endpoints: Endpoint[],
  flags: AppFlags,
  kind: ViewKind,
  fixedScope: Scope | undefined,
  frame: Promise<FrameModule>,
): Promise<OnceResult> {
  const connected = await connectWithData(endpoints);
  if ('error' in connected) return { message: connected.error.message, code: 1 };
  const { client, info, nodes, services } = connected;
  const store = createStore(client.endpoint.label);
  store.dispatch({ type: 'info', info });
  store.dispatch({ type: 'nodes', nodes, at: Date.now() });
  store.dispatch({ type: 'services', services, at: Date.now() });
  const spec = viewSpec(kind);
  const named = fixedScope ?? scopeFromFlags(flags, store);
  if (typeof named === 'string') return { message: named, code: 2 };
  if (spec.onceScope && (!named || !spec.onceScope.kinds.includes(named.kind))) return { message: spec.onceScope.missing, code: 2 };
  const made = spec.fromCommand ? spec.fromCommand({ named }) : { kind, scope: named };
  if (typeof made === 'string') return { message: made, code: 2 };
  const range = logRangeFromFlags(flags, kind);
  if (typeof range === 'string') return { message: range, code: 2 };
  const view = range ? { ...made, range } : made;
  const width = flags.width ?? 120;
  const height = flags.height ?? 40;
  try {
    const { onceFrame, onceUi } = await frame;
    await yogaReady;
    const env = { view, state: store.getSnapshot(), ui: onceUi(view), now: Date.now(), width, bodyHeight: height - CHROME_ROWS };
    await load(client, store, spec.needs(env, viewRows(env)), { tail: height, nodeHosts: flags.nodeHost });
    // Which containers are sampled follows from what was just listed (the running tasks on screen): asked of the loaded state.
    const loaded = { ...env, state: store.getSnapshot() };
    if (flags.stats !== false) await loadStats(client, store, spec.needs(loaded, viewRows(loaded)).stats ?? [], flags.nodeHost);
    const text = stripAnsi(onceFrame(store.getSnapshot(), view, width, height, Boolean(flags.readOnly)));
    // The frame's own colours are gone: whatever control is left came from the swarm, and goes through the console's sanitiser.
    return {
      frame: `${text
        .split('\n')
        .map((l) => sanitizeText(l).trimEnd())
        .join('\n')}\n`,
    };
  } catch (error) {
    return { message: (error as Error).message, code: 1 };
  }
}
