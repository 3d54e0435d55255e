/** The agent on each node: a task's state machine (assigned, accepted, preparing, starting, running; stopping), one step per due time. */
import { AGENT_DELAY, quantize, STOP_DELAY, type TaskRecord } from './records.js';
import { isTerminal, type TaskState, taskStateRank } from './types.js';
import type { SwarmState } from './state.js';
import { oomAt } from './runtime.js';

/** Moves a task to a state (with the agent's message and error), and wakes what must react: the agent, the orchestrator and updater when it runs or ends. */
export function setState(swarm: SwarmState, task: TaskRecord, state: TaskState, message: string, err?: string): void {
  task.state = state;
  task.message = message;
  task.err = err;
  task.stateAt = swarm.now;
  if (state === 'running') task.startedAt = swarm.now;
  if (isTerminal(state) && task.startedAt !== undefined && task.stoppedAt === undefined) task.stoppedAt = swarm.now;
  swarm.touch(task);
  swarm.wake(task);
  // Only running and ended tasks concern the orchestrator and the updater; the steps between do not.
  if (state === 'running' || isTerminal(state)) {
    const service = swarm.services.get(task.serviceId);
    if (service) swarm.dirty.add(service);
  }
}

/** Works out whether (and when) the agent has a next step for swarm task. */
export function wake(swarm: SwarmState, task: TaskRecord): void {
  task.nextAt = undefined;
  swarm.busyTasks.delete(task);
  if (isTerminal(task.state)) {
    swarm.pendingTasks.delete(task);
    return;
  }
  const node = task.nodeId ? swarm.nodes.get(task.nodeId) : undefined;
  const stopping = taskStateRank[task.desired] > taskStateRank.running;
  if (stopping) {
    swarm.pendingTasks.delete(task);
    // An unassigned task just ends; one on a lost node keeps its last state until the node is back.
    if (task.state === 'new' || task.state === 'pending' || !node) {
      swarm.finishStop(task);
      return;
    }
    if (node.state !== 'ready') return;
    task.nextAt = quantize(swarm.now + STOP_DELAY);
    swarm.busyTasks.add(task);
    return;
  }
  // A crash-looping service's container exits a while after it started (see the crash-loop drill).
  let delay = task.state === 'running' && swarm.crashing.has(task.serviceId) ? CRASH_AFTER : AGENT_DELAY[task.state];
  // A leaking container is killed when its memory reaches the limit (see runtime.ts).
  const oom = oomAt(swarm, task);
  if (oom !== undefined) delay = Math.min(delay ?? Infinity, Math.max(0, oom - swarm.now));
  if (delay !== undefined && node && node.state === 'ready') {
    task.nextAt = quantize(swarm.now + delay);
    swarm.busyTasks.add(task);
  }
}

/** How long a crash-looping service's container runs before it exits 1, ms. */
export const CRASH_AFTER = 3000;

/** A stopping task ends: shutdown (a running one exited 0). */
export function finishStop(swarm: SwarmState, task: TaskRecord): void {
  if (task.state === 'running') task.exitCode = 0;
  swarm.setState(task, 'shutdown', 'shutdown');
}

/** Runs every agent step that is due now; true when any task moved. */
export function runAgents(swarm: SwarmState): boolean {
  let changed = false;
  for (const task of [...swarm.busyTasks]) {
    if (task.nextAt === undefined || task.nextAt > swarm.now) continue;
    changed = true;
    if (taskStateRank[task.desired] > taskStateRank.running) {
      swarm.finishStop(task);
      continue;
    }
    const image = task.spec.ContainerSpec?.Image ?? '';
    switch (task.state) {
      case 'assigned':
        swarm.setState(task, 'accepted', 'accepted');
        break;
      case 'accepted':
        swarm.setState(task, 'preparing', 'preparing');
        break;
      case 'preparing':
        if (swarm.brokenImages.has(image)) swarm.setState(task, 'rejected', 'preparing', `No such image: ${image}`);
        else swarm.setState(task, 'starting', 'starting');
        break;
      case 'starting':
        task.containerId = swarm.random.containerId();
        task.pid = 1000 + swarm.random.int(60000);
        task.exitCode = 0;
        swarm.setState(task, 'running', 'started');
        break;
      case 'running': {
        const oom = oomAt(swarm, task);
        if (oom !== undefined && oom <= swarm.now) {
          // The kernel's OOM killer: SIGKILL, so 128 + 9, and the container says OOMKilled. Its engine emits `oom`, then `die` with the exit code, as dockerd does.
          task.exitCode = 137;
          task.oomKilled = true;
          swarm.emitContainer(task, 'oom');
          swarm.emitContainer(task, 'die', { exitCode: '137', execDuration: String(Math.round((swarm.now - (task.startedAt ?? swarm.now)) / 1000)) });
          swarm.setState(task, 'failed', 'started', 'task: non-zero exit (137)');
          break;
        }
        if (!swarm.crashing.has(task.serviceId)) {
          swarm.wake(task);
          break;
        }
        task.exitCode = 1;
        // dockerd's words for a container that exited non-zero; the orchestrator restarts it by policy.
        swarm.setState(task, 'failed', 'started', 'task: non-zero exit (1)');
        break;
      }
      default:
        swarm.wake(task);
    }
  }
  return changed;
}
