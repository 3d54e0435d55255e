/** The rolling updater: out-of-date slots replaced by parallelism, order, delay and monitor, failures counted against the ratio (pause, continue or roll back). */
import { iso, type ServiceRecord, slotKeyOf, type TaskRecord, type Worker } from './records.js';
import { nsToMs } from './spec.js';
import { isTerminal } from './types.js';
import type { SwarmState } from './state.js';

/** Slots whose running task is out of date with the service's template. */
export function outdatedSlots(swarm: SwarmState, service: ServiceRecord): string[] {
  const out: string[] = [];
  for (const [slot, tasks] of swarm.liveBySlot(service)) {
    if (tasks.some((t) => t.key !== service.key && !isTerminal(t.state))) out.push(slot);
  }
  return out.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
}

/** Advances a service's rollout: watched tasks checked, workers stopped, started and cooled down, new slots taken up to parallelism, completion reported. */
export function stepRollout(swarm: SwarmState, service: ServiceRecord): void {
  const rollout = service.rollout;
  if (!rollout || rollout.paused) return;
  const live = swarm.liveBySlot(service);
  // Watch window: an updated task that fails while monitored counts as a failure.
  for (const [taskId, until] of rollout.watch) {
    const task = swarm.tasks.get(taskId);
    if (task && (task.state === 'failed' || task.state === 'rejected')) {
      rollout.watch.delete(taskId);
      if (swarm.rolloutFailure(service, task)) return;
    } else if (!task || until <= swarm.now) rollout.watch.delete(taskId);
  }
  for (const worker of rollout.workers) {
    if (worker.phase === 'stopping') {
      const old = (live.get(worker.slot) ?? []).filter((t) => t.key !== service.key);
      const stillRunning = [...swarm.tasksOf(service.id)].some(
        (t) => slotKeyOf(t) === worker.slot && t.key !== service.key && !isTerminal(t.state) && swarm.nodes.get(t.nodeId ?? '')?.state === 'ready',
      );
      for (const task of old) swarm.setDesired(task, 'shutdown');
      if (!stillRunning) {
        const nodeId = worker.slot.startsWith('node:') ? worker.slot.slice(5) : undefined;
        worker.taskId = swarm.createTask(service, nodeId ? undefined : Number(worker.slot), nodeId).id;
        worker.phase = 'starting';
      }
    } else if (worker.phase === 'starting') {
      const task = swarm.tasks.get(worker.taskId ?? '');
      if (!task) {
        worker.phase = 'cooldown';
        worker.until = swarm.now;
      } else if (task.state === 'running') {
        if (rollout.config.Order === 'start-first') {
          for (const old of live.get(worker.slot) ?? []) if (old !== task) swarm.setDesired(old, 'shutdown');
        }
        rollout.watch.set(task.id, swarm.now + nsToMs(rollout.config.Monitor));
        worker.phase = 'cooldown';
        worker.until = swarm.now + nsToMs(rollout.config.Delay);
      } else if (isTerminal(task.state)) {
        worker.phase = 'cooldown';
        worker.until = swarm.now + nsToMs(rollout.config.Delay);
        if (swarm.rolloutFailure(service, task)) return;
      }
    }
  }
  rollout.workers = rollout.workers.filter((w) => !(w.phase === 'cooldown' && (w.until ?? 0) <= swarm.now));
  const busy = new Set(rollout.workers.map((w) => w.slot));
  const parallelism = rollout.config.Parallelism || Infinity;
  const todo = swarm.outdatedSlots(service).filter((slot) => !busy.has(slot));
  while (rollout.workers.length < parallelism && todo.length > 0) {
    const slot = todo.shift()!;
    const worker: Worker = { slot, phase: 'stopping' };
    if (rollout.config.Order === 'start-first') {
      const nodeId = slot.startsWith('node:') ? slot.slice(5) : undefined;
      worker.taskId = swarm.createTask(service, nodeId ? undefined : Number(slot), nodeId).id;
      worker.phase = 'starting';
    } else {
      for (const old of live.get(slot) ?? []) swarm.setDesired(old, 'shutdown');
    }
    rollout.workers.push(worker);
    swarm.dirty.add(service);
  }
  if (rollout.workers.length === 0 && todo.length === 0 && rollout.watch.size === 0) {
    const oldState = service.updateStatus?.State;
    service.updateStatus = {
      State: rollout.rollback ? 'rollback_completed' : 'completed',
      StartedAt: service.updateStatus?.StartedAt,
      CompletedAt: iso(swarm.now),
      Message: rollout.rollback ? 'rollback completed' : 'update completed',
    };
    service.rollout = undefined;
    swarm.touch(service);
    swarm.emitUpdateState(service, oldState);
  }
}

/** Counts a failed task against the rollout; returns true when the rollout stopped or reversed. */
export function rolloutFailure(swarm: SwarmState, service: ServiceRecord, task: TaskRecord): boolean {
  const rollout = service.rollout!;
  rollout.failures++;
  const ratio = rollout.failures / Math.max(1, rollout.total);
  if (ratio <= rollout.config.MaxFailureRatio || rollout.config.FailureAction === 'continue') return false;
  const oldState = service.updateStatus?.State;
  if (rollout.config.FailureAction === 'rollback' && !rollout.rollback && service.previousSpec) {
    service.rollout = undefined;
    swarm.applySpec(service, service.previousSpec, 'auto-rollback', `update rolled back due to failure or early termination of task ${task.id}`);
    return true;
  }
  rollout.paused = true;
  service.updateStatus = {
    State: rollout.rollback ? 'rollback_paused' : 'paused',
    StartedAt: service.updateStatus?.StartedAt,
    Message: `${rollout.rollback ? 'rollback' : 'update'} paused due to failure or early termination of task ${task.id}`,
  };
  swarm.touch(service);
  swarm.emitUpdateState(service, oldState);
  return true;
}
