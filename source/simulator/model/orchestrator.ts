/** The orchestrator: per service, tasks that ended are replaced by restart policy, slots are filled or removed to the replica count (one per node for global services), tasks leave drained and lost nodes. */
import { matchesConstraints } from '../../swarm/constraints.js';
import { index, quantize, type ServiceRecord, slotKeyOf, type TaskRecord, toTarget } from './records.js';
import { clone, effectiveRestartPolicy, isGlobal, nsToMs, replicasOf } from './spec.js';
import { isTerminal, type TaskState } from './types.js';
import type { SwarmState } from './state.js';

/** Running and runnable tasks per slot (or per node for global services). */
export function liveBySlot(swarm: SwarmState, service: ServiceRecord): Map<string, TaskRecord[]> {
  const bySlot = new Map<string, TaskRecord[]>();
  for (const task of swarm.tasksOf(service.id)) {
    if (task.desired !== 'running') continue;
    const key = slotKeyOf(task);
    const list = bySlot.get(key);
    if (list) list.push(task);
    else bySlot.set(key, [task]);
  }
  return bySlot;
}

/** Reconciles one service: ended tasks kept as history and replaced by restart policy, tasks on drained or lost nodes moved, slots filled or removed. True when anything changed. */
export function orchestrate(swarm: SwarmState, service: ServiceRecord): boolean {
  let changed = false;
  const live = swarm.liveBySlot(service);
  // Tasks that ended: keep them as history and decide, by restart policy, whether to replace them.
  for (const [slot, tasks] of live) {
    for (const task of tasks) {
      if (!isTerminal(task.state)) continue;
      swarm.setDesired(task, 'shutdown');
      changed = true;
      const policy = effectiveRestartPolicy(task.spec);
      const restarts = service.restarts.get(slot) ?? 0;
      const allowed = policy.Condition === 'any' || (policy.Condition === 'on-failure' && task.state !== 'complete');
      if (!allowed || (policy.MaxAttempts > 0 && restarts >= policy.MaxAttempts)) {
        service.retired.add(slot);
      } else {
        service.restarts.set(slot, restarts + 1);
        service.restartAt.set(slot, quantize(swarm.now + nsToMs(policy.Delay)));
      }
    }
  }
  // First, tasks on drained or lost nodes move: shut them down so their slots are filled elsewhere in swarm same pass.
  for (const tasks of live.values()) {
    for (const task of tasks) {
      if (task.desired !== 'running' || !task.nodeId) continue;
      const node = swarm.nodes.get(task.nodeId);
      if (!node || node.state !== 'ready' || node.spec.Availability === 'drain') {
        swarm.setDesired(task, 'shutdown');
        changed = true;
      }
    }
  }
  const updating = new Set(service.rollout?.workers.filter((w) => w.phase !== 'cooldown').map((w) => w.slot));
  const wants = (slot: string) => {
    if (updating.has(slot) || service.retired.has(slot)) return false;
    const at = service.restartAt.get(slot);
    if (at !== undefined && at > swarm.now) return false;
    service.restartAt.delete(slot);
    const tasks = (live.get(slot) ?? []).filter((t) => t.desired === 'running' && !isTerminal(t.state));
    return tasks.length === 0;
  };
  if (isGlobal(service.spec)) {
    const constraints = swarm.constraintsOf(service.spec);
    for (const node of swarm.nodes.values()) {
      const slot = `node:${node.id}`;
      const fits = node.state === 'ready' && node.spec.Availability !== 'drain' && matchesConstraints(toTarget(node), constraints);
      if (!fits) {
        for (const task of live.get(slot) ?? []) {
          swarm.setDesired(task, 'shutdown');
          changed = true;
        }
        continue;
      }
      if (node.spec.Availability === 'pause') continue;
      if (wants(slot)) {
        swarm.createTask(service, undefined, node.id);
        changed = true;
      }
    }
  } else {
    const replicas = replicasOf(service.spec);
    for (let slot = 1; slot <= replicas; slot++) {
      if (wants(String(slot))) {
        swarm.createTask(service, slot);
        changed = true;
      }
    }
    // Scale down: the highest slots go, their tasks marked for removal as the engine does.
    for (const [slot, tasks] of live) {
      if (Number(slot) > replicas) {
        for (const task of tasks) swarm.setDesired(task, 'remove');
        service.restartAt.delete(slot);
        service.retired.delete(slot);
        changed = true;
      }
    }
  }
  return changed;
}

/** A new task for a slot (or pinned to a node, for global services), pending until the scheduler places it. */
export function createTask(swarm: SwarmState, service: ServiceRecord, slot: number | undefined, nodeId?: string): TaskRecord {
  const task: TaskRecord = {
    id: swarm.random.id(),
    createdAt: swarm.now,
    updatedAt: swarm.now,
    version: ++swarm.index,
    serviceId: service.id,
    serviceName: service.spec.Name,
    slot,
    spec: clone(service.spec.TaskTemplate ?? {}),
    key: service.key,
    desired: 'running',
    state: 'new',
    message: 'created',
    stateAt: swarm.now,
  };
  swarm.tasks.set(task.id, task);
  index(swarm.tasksByService, service.id, task);
  if (nodeId) task.nodeId = nodeId;
  swarm.setState(task, 'pending', 'pending task scheduling');
  swarm.pendingTasks.add(task);
  swarm.schedulerDirty = true;
  return task;
}

/** Changes what a task should be (running, shutdown, remove) and wakes its agent. */
export function setDesired(swarm: SwarmState, task: TaskRecord, desired: TaskState): void {
  if (task.desired === desired) return;
  task.desired = desired;
  swarm.touch(task);
  swarm.wake(task);
}
