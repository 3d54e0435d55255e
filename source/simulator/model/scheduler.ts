/** The scheduler: pending tasks placed on nodes that are ready, active and match the constraints, spread by the service's tasks, then all tasks, with reservations and max replicas per node. */
import { type Constraint, matchesConstraints, parseConstraints } from '../../swarm/constraints.js';
import { MinHeap } from './heap.js';
import { index, type NodeRecord, type TaskRecord, toTarget } from './records.js';
import { isTerminal, type ServiceSpec } from './types.js';
import type { SwarmState } from './state.js';

/** A spec's placement constraints, parsed (none when they do not parse: validation refused those already). */
export function constraintsOf(swarm: SwarmState, spec: ServiceSpec): Constraint[] {
  try {
    return parseConstraints(spec.TaskTemplate?.Placement?.Constraints);
  } catch {
    return [];
  }
}

/** Places pending tasks: spread over eligible nodes, fewest tasks of the service first. */
export function schedule(swarm: SwarmState): boolean {
  if (!swarm.schedulerDirty || swarm.pendingTasks.size === 0) {
    swarm.schedulerDirty = false;
    return false;
  }
  swarm.schedulerDirty = false;
  let changed = false;
  const load = new Map<string, number>();
  const reserved = new Map<string, { cpu: number; mem: number }>();
  for (const node of swarm.nodes.values()) {
    let count = 0;
    let cpu = 0;
    let mem = 0;
    for (const task of swarm.tasksOn(node.id)) {
      if (isTerminal(task.state) || task.desired !== 'running') continue;
      count++;
      cpu += task.spec.Resources?.Reservations?.NanoCPUs ?? 0;
      mem += task.spec.Resources?.Reservations?.MemoryBytes ?? 0;
    }
    load.set(node.id, count);
    reserved.set(node.id, { cpu, mem });
  }
  const byService = new Map<string, TaskRecord[]>();
  for (const task of swarm.pendingTasks) {
    if (task.desired !== 'running' || task.state !== 'pending') continue;
    const list = byService.get(task.serviceId);
    if (list) list.push(task);
    else byService.set(task.serviceId, [task]);
  }
  const nodes = [...swarm.nodes.values()];
  for (const [serviceId, tasks] of byService) {
    const service = swarm.services.get(serviceId);
    if (!service) continue;
    const constraints = swarm.constraintsOf(service.spec);
    const maxReplicas = service.spec.TaskTemplate?.Placement?.MaxReplicas ?? 0;
    const perNode = new Map<string, number>();
    for (const task of swarm.tasksOf(serviceId)) {
      if (task.nodeId && !isTerminal(task.state) && task.desired === 'running') {
        perNode.set(task.nodeId, (perNode.get(task.nodeId) ?? 0) + 1);
      }
    }
    const matching = nodes.filter((n) => matchesConstraints(toTarget(n), constraints));
    const unmatched = nodes.length - matching.length;
    // Tasks pinned to a node (global services) are placed one by one; the rest share one heap.
    const pinned = tasks.filter((t) => t.nodeId);
    const free = tasks.filter((t) => !t.nodeId);
    const place = (task: TaskRecord, node: NodeRecord) => {
      const cpu = task.spec.Resources?.Reservations?.NanoCPUs ?? 0;
      const mem = task.spec.Resources?.Reservations?.MemoryBytes ?? 0;
      task.nodeId = node.id;
      index(swarm.tasksByNode, node.id, task);
      perNode.set(node.id, (perNode.get(node.id) ?? 0) + 1);
      load.set(node.id, (load.get(node.id) ?? 0) + 1);
      const used = reserved.get(node.id)!;
      used.cpu += cpu;
      used.mem += mem;
      swarm.pendingTasks.delete(task);
      swarm.setState(task, 'assigned', 'scheduler assigned task to node');
      changed = true;
    };
    const fail = (task: TaskRecord, counts: { unavailable: number; maxed: number; noResources: number; unmatched: number }) => {
      const reasons: string[] = [];
      const plural = (n: number) => (n === 1 ? '' : 's');
      if (counts.unavailable) reasons.push(`${counts.unavailable} node${plural(counts.unavailable)} not available for new tasks`);
      if (counts.unmatched) reasons.push(`scheduling constraints not satisfied on ${counts.unmatched} node${plural(counts.unmatched)}`);
      if (counts.noResources) reasons.push(`insufficient resources on ${counts.noResources} node${plural(counts.noResources)}`);
      if (counts.maxed) reasons.push('max replicas per node limit exceed');
      const err = `no suitable node (${reasons.join('; ') || 'no nodes'})`;
      if (task.err !== err) {
        task.err = err;
        swarm.touch(task);
      }
    };
    const fits = (task: TaskRecord, node: NodeRecord): 'ok' | 'unavailable' | 'maxed' | 'noResources' => {
      if (node.state !== 'ready' || node.spec.Availability !== 'active') return 'unavailable';
      if (maxReplicas > 0 && (perNode.get(node.id) ?? 0) >= maxReplicas) return 'maxed';
      const used = reserved.get(node.id)!;
      const cpu = task.spec.Resources?.Reservations?.NanoCPUs ?? 0;
      const mem = task.spec.Resources?.Reservations?.MemoryBytes ?? 0;
      if (used.cpu + cpu > node.nanoCpus || used.mem + mem > node.memoryBytes) return 'noResources';
      return 'ok';
    };
    const tally = (task: TaskRecord, candidates: NodeRecord[], unmatchedCount: number) => {
      const counts = { unavailable: 0, maxed: 0, noResources: 0, unmatched: unmatchedCount };
      for (const node of candidates) {
        const verdict = fits(task, node);
        if (verdict !== 'ok') counts[verdict]++;
      }
      return counts;
    };
    for (const task of pinned) {
      const node = matching.find((n) => n.id === task.nodeId);
      if (node && fits(task, node) === 'ok') place(task, node);
      else fail(task, tally(task, node ? [node] : [], 0));
    }
    if (free.length === 0) continue;
    // Spread: fewest tasks of swarm service first, then fewest tasks overall, then node order.
    const order = new Map(matching.map((n, i) => [n.id, i]));
    const score = (n: NodeRecord) => (perNode.get(n.id) ?? 0) * 1e9 + (load.get(n.id) ?? 0) * 1e4 + order.get(n.id)!;
    const heap = new MinHeap<NodeRecord>(score);
    for (const node of matching) if (fits(free[0], node) === 'ok') heap.push(node);
    for (const task of free) {
      let node = heap.pop();
      while (node && fits(task, node) !== 'ok') node = heap.pop();
      if (!node) {
        fail(task, tally(task, matching, unmatched));
        continue;
      }
      place(task, node);
      if (fits(task, node) === 'ok') heap.push(node);
    }
  }
  return changed;
}
