import type { NodeReach } from '../../docker/node-reach.js';
import type { SwarmTask } from '../../docker/types.js';
import type { TimelineEvent } from '../spec-changes.js';
import type { OomKill } from '../state.js';
import type { SyncCore } from './core.js';
import { nodeRef } from './stats.js';

/**
 * Which failed tasks the kernel's OOM killer ended. The manager cannot say it: a swarm task killed
 * so has only Status.Err `task: non-zero exit (137)` and ContainerStatus.ExitCode 137, which a
 * `docker kill` or any other SIGKILL gives too. Only the container's inspect on its node's engine
 * says State.OOMKilled (the engine's `oom` event says it too, but only on that node's own event
 * stream, which the console does not follow for every node). So the console asks the node, once
 * per container, for the failed exit-137 tasks it shows (a service's tasks, a task's detail) and
 * for those in the history of a service that keeps restarting (see Restarts): a handful of small
 * requests, only after a kill. An answer is final (an exited container's state never changes) and
 * kept; a container already removed (the swarm keeps a few per slot) leaves the kill unknown.
 */

/** A container to ask about: the failed task, its service and slot, its node, when it ended (ms). */
export interface OomTarget {
  taskId: string;
  serviceId: string;
  slot?: number;
  nodeId: string;
  containerId: string;
  at: number;
}

/** The most containers asked about for one view or one service's history: the newest failures. */
export const OOM_TARGETS = 10;

/** Containers asked about at once (all nodes together): an incident must not become a burst of requests. */
const CONCURRENCY = 2;

/** Kills remembered (the newest): a long session on a leaking service does not grow without end. */
const KEPT = 200;

/** Answers remembered, found or not. */
const ANSWERS_KEPT = 2000;

/** A node that could not be asked is asked again about that container no sooner than this, ms. */
const RETRY_AFTER = 30_000;

/** True when a task's container was ended by SIGKILL (exit 137, 128 + 9) while the task was to run: the OOM killer's signature. */
export function killedBySigkill(task: SwarmTask): boolean {
  if (task.Status.State !== 'failed') return false;
  return task.Status.ContainerStatus?.ExitCode === 137 || /non-zero exit \(137\)/.test(task.Status.Err ?? '');
}

/** The failed exit-137 tasks worth asking about, newest first, at most OOM_TARGETS. */
export function oomCandidates(tasks: SwarmTask[]): OomTarget[] {
  const targets: OomTarget[] = [];
  for (const task of tasks) {
    const containerId = task.Status.ContainerStatus?.ContainerID;
    if (!containerId || !task.NodeID || !killedBySigkill(task)) continue;
    const at = Date.parse(task.Status.Timestamp ?? '') || 0;
    targets.push({ taskId: task.ID, serviceId: task.ServiceID, slot: task.Slot, nodeId: task.NodeID, containerId, at });
  }
  return targets.sort((a, b) => b.at - a.at).slice(0, OOM_TARGETS);
}

/** Asks nodes' engines whether failed exit-137 containers were OOM-killed; the kills found go to the store (and to the events timeline). */
export class OomProbe {
  /** Container id -> asked and answered (true: OOM-killed); or when the node could not be asked (ms, real time). */
  private readonly answered = new Map<string, boolean>();
  private readonly failedAt = new Map<string, number>();
  private readonly queue: OomTarget[] = [];
  private readonly inFlight = new Set<string>();
  private kills = new Map<string, OomKill>();
  /** Bumped by reset: an answer about the last swarm is dropped. */
  private generation = 0;

  constructor(
    private readonly core: SyncCore,
    private readonly nodeReach: () => Promise<NodeReach>,
  ) {}

  /** Asks about these containers (those not asked yet); what is already known is not asked again. */
  probe(targets: OomTarget[]): void {
    const now = Date.now();
    for (const target of targets) {
      const id = target.containerId;
      if (this.answered.has(id) || this.inFlight.has(id) || this.queue.some((t) => t.containerId === id)) continue;
      if ((this.failedAt.get(id) ?? -Infinity) > now - RETRY_AFTER) continue;
      this.queue.push(target);
    }
    while (this.inFlight.size < CONCURRENCY && this.queue.length > 0) void this.ask(this.queue.shift()!);
  }

  private async ask(target: OomTarget): Promise<void> {
    this.inFlight.add(target.containerId);
    const generation = this.generation;
    try {
      const node = this.core.store.getSnapshot().nodes.find((n) => n.ID === target.nodeId);
      if (!node) return;
      const engine = await (await this.nodeReach()).engine(nodeRef(node));
      const end = await engine.containerEnd(target.containerId);
      if (this.core.stopped || generation !== this.generation) return;
      this.remember(target.containerId, end.oomKilled);
      if (end.oomKilled) this.learn(target, end.exitCode, node.Description?.Hostname ?? node.ID);
    } catch (error) {
      // Removed since (404): nothing more can be learnt. Else the node is out of reach for now: asked again later.
      if ((error as { status?: number }).status === 404) this.remember(target.containerId, false);
      else this.failedAt.set(target.containerId, Date.now());
    } finally {
      this.inFlight.delete(target.containerId);
      if (!this.core.stopped && this.queue.length > 0) void this.ask(this.queue.shift()!);
    }
  }

  /** An answer kept (the oldest let go past ANSWERS_KEPT: asked again, at worst, if it is ever on screen again). */
  private remember(containerId: string, oomKilled: boolean): void {
    this.answered.set(containerId, oomKilled);
    this.failedAt.delete(containerId);
    if (this.answered.size > ANSWERS_KEPT) this.answered.delete(this.answered.keys().next().value!);
  }

  /** A kill found: into the store, and onto the events timeline as the `oom` event its node's engine emitted (and the manager's stream did not carry). */
  private learn(target: OomTarget, exitCode: number, hostname: string): void {
    const kills = new Map(this.kills).set(target.taskId, { containerId: target.containerId, nodeId: target.nodeId, exitCode, at: target.at });
    while (kills.size > KEPT) kills.delete(kills.keys().next().value!);
    this.kills = kills;
    const service = this.core.store.getSnapshot().services.find((s) => s.ID === target.serviceId);
    const serviceName = service?.Spec.Name ?? target.serviceId;
    // dockerd names a swarm container SERVICE.SLOT.TASK (SERVICE.NODE.TASK for a global service's).
    const name = `${serviceName}.${target.slot ?? target.nodeId}.${target.taskId}`;
    const event: TimelineEvent = {
      Type: 'container',
      Action: 'oom',
      Actor: {
        ID: target.containerId,
        Attributes: {
          name,
          'com.docker.swarm.service.id': target.serviceId,
          'com.docker.swarm.service.name': serviceName,
          'com.docker.swarm.task.id': target.taskId,
          'com.docker.swarm.node.id': target.nodeId,
        },
      },
      time: Math.floor(target.at / 1000),
      timeNano: target.at * 1e6,
      note: `OOMKilled (exit ${exitCode}) on ${hostname}`,
    };
    this.core.store.dispatch({ type: 'oomKills', oomKills: kills, events: [event] });
  }

  /** Forgets everything (another swarm). */
  reset(): void {
    this.generation += 1;
    this.answered.clear();
    this.failedAt.clear();
    this.queue.length = 0;
    this.kills = new Map();
  }
}
