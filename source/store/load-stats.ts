import type { SwarmClient } from '../docker/client.js';
import type { StatsFigures } from '../docker/node-engine.js';
import type { Needs } from './needs.js';
import type { Store } from './store.js';
import { nodeRef, STATS_BUDGET } from './sync/stats.js';

/** Nodes --once samples at once: as many as node reach keeps open (the console keeps half for its shell and views). */
const ONCE_NODES = 32;

/** How long --once waits for stats, ms: a node that has not answered by then is `-` (one not asked yet, blank), and the frame is printed. */
export const ONCE_STATS_TIMEOUT = 8000;

/**
 * Samples once, for --once, the containers a view shows (as `docker stats --no-stream`: one request
 * each, dockerd's own two samples giving the CPU), each node within the console's per-node budget
 * and ONCE_STATS_TIMEOUT; nodes are asked ONCE_NODES at a time through a node reach made for it (and closed after).
 */
export async function loadStats(
  client: SwarmClient,
  store: Store,
  targets: NonNullable<Needs['stats']>,
  nodeHosts: string[] = [],
  timeoutMs = ONCE_STATS_TIMEOUT,
): Promise<void> {
  if (targets.length === 0) return;
  const [{ NodeReach, nodeMap }, { StatsSampler }, { NODE_MAX_SOCKETS }] = await Promise.all([
    import('../docker/node-reach.js'),
    import('../docker/node-stats.js'),
    import('../docker/node-engine.js'),
  ]);
  const reach = new NodeReach({ manager: client.endpoint, map: await nodeMap(nodeHosts) });
  const nodes = new Map(store.getSnapshot().nodes.map((n) => [n.ID, n]));
  const byNode = new Map<string, string[]>();
  for (const t of targets) {
    const list = byNode.get(t.nodeId);
    if (list) list.push(t.containerId);
    else byNode.set(t.nodeId, [t.containerId]);
  }
  const figures = new Map<string, StatsFigures>();
  const unreachable = new Map<string, string>();
  // Nodes are sampled ONCE_NODES at a time, and none is started after the deadline: at 1,000
  // nodes the frame comes in seconds (with blanks where no sample came), as no node can hold it.
  const deadline = Date.now() + timeoutMs;
  const queue = [...byNode];
  const sampleNode = async ([nodeId, containers]: [string, string[]]) => {
    const node = nodes.get(nodeId);
    if (!node) return;
    const ref = nodeRef(node);
    let timer: NodeJS.Timeout | undefined;
    const wait = Math.max(0, deadline - Date.now());
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), wait)));
    // (As many in flight as the node's engine has connections: one tick serves them all.)
    const sampler = new StatsSampler(reach, { ...STATS_BUDGET, concurrency: NODE_MAX_SOCKETS });
    const targets = containers.map((containerId) => ({ node: ref, containerId }));
    // Rounds of the per-node budget, as the console's sweeps, until every container has a sample (false: the node failed, or time is up).
    const pass = async (list: typeof targets) => {
      for (let left = list; left.length > 0;) {
        const result = await sampler.sample(left, { first: 'wait' });
        // (Received now: SAMPLED's age is the console's clock, not the engine's.)
        const seen = Date.now();
        for (const [id, f] of result.figures) figures.set(id, { ...f, seen });
        const why = result.unreachable.get(nodeId);
        if (why) return !unreachable.set(nodeId, why);
        left = result.deferred;
        if (Date.now() >= deadline) return false;
      }
      return true;
    };
    // (dockerd answers a stats request on its collector's next tick, a second, one-shot or not: its own two samples cost no more.)
    const done = await Promise.race([pass(targets).then(() => true), late]).finally(() => clearTimeout(timer));
    if (!done) unreachable.set(nodeId, `${ref.hostname}: no stats within ${timeoutMs / 1000} s`);
  };
  const worker = async () => {
    for (let next = queue.shift(); next && Date.now() < deadline; next = queue.shift()) await sampleNode(next);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ONCE_NODES, queue.length) }, worker));
  } finally {
    reach.close();
  }
  store.dispatch({ type: 'stats', stats: { figures, unreachable } });
}
