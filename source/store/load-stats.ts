import type { SwarmClient } from '../docker/client.js';
import type { StatsFigures } from '../docker/node-engine.js';
import type { NodeRef } from '../docker/node-reach.js';
import type { Store } from './store.js';
import { nodeRef, STATS_BUDGET, type StatsTarget } from './sync/stats.js';

/** How long --once waits for the nodes' figures, ms: a node that has not answered by then shows `-`, and the frame is printed. */
export const ONCE_STATS_TIMEOUT = 5000;

/** Stats requests in flight per node for --once: one sweep, so dockerd's two-sample answers (a second each) overlap. */
const ONCE_CONCURRENCY = 8;

/** Nodes asked at once for --once (fewer than node reach keeps open); the rest wait their turn, within the same timeout. */
const ONCE_NODES = 24;

/**
 * Samples the containers a view needs once, for --once: node by node (ONCE_NODES at a time), each
 * within the per-node budget, all by ONCE_STATS_TIMEOUT; a node that cannot be reached or is too
 * slow is said to be (`-`), and never holds the others, nor the frame, back. Nodes whose turn does
 * not come in time are left blank (not sampled), as the console leaves what it has not sampled yet.
 */
export async function loadStats(client: SwarmClient, store: Store, targets: StatsTarget[], nodeHosts: string[] = []): Promise<void> {
  if (targets.length === 0) return;
  const [{ NodeReach, nodeMap }, { StatsSampler }] = await Promise.all([import('../docker/node-reach.js'), import('../docker/node-stats.js')]);
  const reach = new NodeReach({ manager: client.endpoint, map: await nodeMap(nodeHosts), timeoutMs: ONCE_STATS_TIMEOUT });
  const nodes = new Map(store.getSnapshot().nodes.map((n) => [n.ID, nodeRef(n)]));
  const byNode = new Map<string, string[]>();
  for (const t of targets) {
    const list = byNode.get(t.nodeId);
    if (list) list.push(t.containerId);
    else byNode.set(t.nodeId, [t.containerId]);
  }
  const figures = new Map<string, StatsFigures>();
  const unreachable = new Map<string, string>();
  const budget = { perNode: STATS_BUDGET.perNode, concurrency: ONCE_CONCURRENCY };
  let late = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => ((late = true), resolve('late')), ONCE_STATS_TIMEOUT)));
  const queue = [...byNode];
  const one = async ([nodeId, containers]: [string, string[]]) => {
    const node: NodeRef | undefined = nodes.get(nodeId);
    if (!node) return;
    const sampled = new StatsSampler(reach, budget).sample(
      containers.map((containerId) => ({ node, containerId })),
      { first: 'wait' },
    );
    const result = await Promise.race([sampled, deadline]);
    if (result === 'late') return void unreachable.set(nodeId, `${node.hostname} did not answer within ${ONCE_STATS_TIMEOUT / 1000} s`);
    const why = result.unreachable.get(nodeId);
    if (why) unreachable.set(nodeId, why);
    const seen = Date.now();
    for (const [id, f] of result.figures) figures.set(id, { ...f, seen });
  };
  const worker = async () => {
    for (let next = queue.shift(); next && !late; next = queue.shift()) await one(next);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ONCE_NODES, queue.length) }, worker));
  } finally {
    clearTimeout(timer);
    reach.close();
  }
  store.dispatch({ type: 'stats', stats: { figures, unreachable } });
}
