import type { SwarmNode, SwarmTask } from '../../docker/types.js';
import { hostname } from '../../store/checks.js';
import { placesFor } from '../present/rollout.js';
import { taskName } from '../present/rows.js';
import type { KeyContext } from './context.js';

/**
 * What draining a node would do, for its confirmation dialog: which tasks move, which global
 * tasks stop, and per service whether constraints and reservations leave anywhere for them.
 */
export async function drainPreview(c: KeyContext, node: SwarmNode): Promise<string[]> {
  const { sync, store } = c;
  let lines: string[];
  try {
    const tasks = (await sync.client.listTasks({ node: node.ID })).filter((t) => t.DesiredState === 'running');
    const services = new Map(store.getSnapshot().services.map((s) => [s.ID, s]));
    // A service created a moment ago may not be in the list yet: its spec decides where its tasks can go.
    for (const id of new Set(tasks.map((t) => t.ServiceID))) {
      const fetched = services.has(id) ? undefined : await sync.client.inspectService(id).catch(() => undefined);
      if (fetched) services.set(id, fetched);
    }
    // Replicated tasks are rescheduled elsewhere; a global service's task just stops on a drained node.
    const global = (t: SwarmTask) => Boolean(services.get(t.ServiceID)?.Spec.Mode?.Global);
    const list = (items: SwarmTask[]) => {
      const names = items.map((t) => (global(t) ? (services.get(t.ServiceID)?.Spec.Name ?? t.ServiceID) : taskName(t, services)));
      return names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
    };
    const moving = tasks.filter((t) => !global(t));
    const stopping = tasks.filter(global);
    lines = [`${moving.length} task${moving.length === 1 ? '' : 's'} will move to other nodes${moving.length ? ':' : '.'}`];
    if (moving.length) lines.push(list(moving));
    const byService = new Map<string, number>();
    for (const t of moving) byService.set(t.ServiceID, (byService.get(t.ServiceID) ?? 0) + 1);
    const nodes = store.getSnapshot().nodes;
    const stuck: string[] = [];
    let fewest = Infinity;
    for (const [id, count] of byService) {
      const places = placesFor(services.get(id), nodes, node.ID);
      const name = services.get(id)?.Spec.Name ?? id.slice(0, 12);
      if (places.problem) stuck.push(`${name} (${count}): ${places.problem}`);
      else fewest = Math.min(fewest, places.count);
    }
    for (const line of stuck) lines.push(`! ${line}`);
    if (moving.length && stuck.length === 0)
      lines.push(`Every one has somewhere to go: ${fewest === Infinity ? 0 : fewest}+ other nodes fit each service's constraints and reservations.`);
    if (stopping.length) lines.push(`${stopping.length} global task${stopping.length === 1 ? '' : 's'} will stop here: ${list(stopping)}`);
  } catch (error) {
    lines = [`(could not list its tasks: ${(error as Error).message})`];
  }
  if (node.ManagerStatus) lines.push(`${hostname(node)} stays a manager: a drain moves tasks only, raft membership and quorum do not change.`);
  return lines;
}
