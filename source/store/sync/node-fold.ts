import type { SwarmTask } from '../../docker/types.js';

/** Running-task counts per node, and the task lists of the nodes on screen, as the store keeps them. */
export interface NodeTasks {
  counts: Map<string, number>;
  tasks: Map<string, SwarmTask[]>;
}

/**
 * Folds one filtered task listing (`listTasks({ node: listed, desired: 'running' })`) into the
 * counts and task lists: the listed nodes start from zero, the others keep what they had. Task
 * lists are kept for `visible` nodes only (a number per node is kept for all).
 */
export function foldNodeTasks(previous: NodeTasks, listed: string[], visible: string[], tasks: SwarmTask[]): NodeTasks {
  const counts = new Map(previous.counts);
  const byNode = new Map<string, SwarmTask[]>();
  for (const id of visible) {
    const kept = previous.tasks.get(id);
    if (kept) byNode.set(id, kept);
  }
  for (const id of listed) {
    counts.set(id, 0);
    byNode.set(id, []);
  }
  for (const task of tasks) {
    if (!task.NodeID) continue;
    byNode.get(task.NodeID)?.push(task);
    if (task.Status.State === 'running') counts.set(task.NodeID, (counts.get(task.NodeID) ?? 0) + 1);
  }
  return { counts, tasks: byNode };
}
