import type { SwarmClient } from '../docker/client.js';
import type { StatsFigures } from '../docker/node-engine.js';
import type { Needs } from './needs.js';
import type { Store } from './store.js';
import { nodeRef, STATS_BUDGET } from './sync/stats.js';

/** How long --once waits for one node's stats, ms: a node that has not answered by then is `-`, and the frame is printed. */
export const ONCE_STATS_TIMEOUT = 8000;

/**
 * Samples once, for --once, the containers a view shows (as `docker stats --no-stream`: one request
 * each, dockerd's own two samples giving the CPU), each node within the console's per-node budget
 * and ONCE_STATS_TIMEOUT; nodes are asked in parallel through a node reach made for it (and closed after).
 */
export async function loadStats(
  client: SwarmClient,
  store: Store,
  targets: NonNullable<Needs['stats']>,
  nodeHosts: string[] = [],
  timeoutMs = ONCE_STATS_TIMEOUT,
): Promise<void> {
  if (targets.length === 0) return;
  const [{ NodeReach, nodeMap }, { StatsSampler }] = await Promise.all([import('../docker/node-reach.js'), import('../docker/node-stats.js')]);
  const reach = new NodeReach({ manager: client.endpoint, map: await nodeMap(nodeHosts) });
  const nodes = new Map(store.getSnapshot().nodes.map((n) => [n.ID, n]));
  const byNode = new Map<string, string[]>();
  for (const t of targets) byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t.containerId]);
  const figures = new Map<string, StatsFigures>();
  const unreachable = new Map<string, string>();
  try {
    await Promise.all(
      [...byNode].map(async ([nodeId, containers]) => {
        const node = nodes.get(nodeId);
        if (!node) return;
        const ref = nodeRef(node);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
        const sampled = new StatsSampler(reach, STATS_BUDGET).sample(
          containers.map((containerId) => ({ node: ref, containerId })),
          { first: 'wait' },
        );
        const result = await Promise.race([sampled, late]).finally(() => clearTimeout(timer));
        if (!result) return void unreachable.set(nodeId, `${ref.hostname}: no stats within ${timeoutMs / 1000} s`);
        const why = result.unreachable.get(nodeId);
        if (why) unreachable.set(nodeId, why);
        for (const [id, f] of result.figures) figures.set(id, f);
      }),
    );
  } finally {
    reach.close();
  }
  store.dispatch({ type: 'stats', stats: { figures, unreachable } });
}
