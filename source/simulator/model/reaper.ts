/** Task history: 5 tasks kept per slot, removed tasks deleted once they stopped. */
import { type ServiceRecord, slotKeyOf, type TaskRecord } from './records.js';
import { isTerminal } from './types.js';
import type { SwarmState } from './state.js';

/** Keeps 5 tasks per slot (TaskHistoryRetentionLimit) and deletes removed tasks once stopped. */
export function reap(swarm: SwarmState, services: Iterable<ServiceRecord>): void {
  const limit = 5;
  const ids = new Set<string>([...services].map((s) => s.id));
  for (const [serviceId, tasks] of swarm.tasksByService) {
    const alive = swarm.services.has(serviceId);
    if (alive && !ids.has(serviceId)) continue;
    const bySlot = new Map<string, TaskRecord[]>();
    for (const task of tasks) {
      if (isTerminal(task.state) && (task.desired === 'remove' || !alive)) {
        swarm.deleteTask(task);
        continue;
      }
      const key = slotKeyOf(task);
      const list = bySlot.get(key);
      if (list) list.push(task);
      else bySlot.set(key, [task]);
    }
    for (const list of bySlot.values()) {
      if (list.length <= limit) continue;
      const old = list.filter((t) => isTerminal(t.state) && t.desired !== 'running').sort((a, b) => a.createdAt - b.createdAt || a.version - b.version);
      for (let i = 0; i < list.length - limit && i < old.length; i++) swarm.deleteTask(old[i]);
    }
    if (!alive && tasks.size === 0) swarm.tasksByService.delete(serviceId);
  }
}

/** Forgets a task everywhere the model indexes it. */
export function deleteTask(swarm: SwarmState, task: TaskRecord): void {
  swarm.tasks.delete(task.id);
  swarm.tasksByService.get(task.serviceId)?.delete(task);
  if (task.nodeId) swarm.tasksByNode.get(task.nodeId)?.delete(task);
  swarm.busyTasks.delete(task);
  swarm.pendingTasks.delete(task);
}
