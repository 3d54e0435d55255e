import { findByRef } from './lookup.js';
import type { Constraint } from '../../swarm/constraints.js';
import { Random } from './random.js';
import {
  EVENT_LOG_LIMIT,
  type ClusterRecord,
  type NodeRecord,
  type PlainObject,
  type ServiceRecord,
  type SwarmEvent,
  type SwarmOptions,
  type TaskRecord,
} from './records.js';
import { newRuntimeState } from './runtime.js';
import { taskContainer } from './task-container.js';
import type { ServiceSpec, TaskState } from './types.js';

/**
 * What the model's modules work on: the swarm's records and indexes, its event log, and the steps the
 * modules take on one another. The Swarm facade (swarm.ts) composes the modules and implements the
 * steps; the modules take this state and never import the facade, so no module import ring forms
 * (swarmkit's store and orchestrator/scheduler/dispatcher split).
 */
export abstract class SwarmState {
  readonly nodes = new Map<string, NodeRecord>();
  readonly services = new Map<string, ServiceRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly networks = new Map<string, PlainObject>();
  readonly secrets = new Map<string, PlainObject>();
  readonly configs = new Map<string, PlainObject>();
  /** Images that fail on every node ("No such image"), set by a fault drill. */
  readonly brokenImages = new Set<string>();
  /** Services whose containers exit 1 a few seconds after they start (the crash-loop drill). */
  readonly crashing = new Set<string>();
  /** The runtime drills (memory leaks, CPU hogs) that runtime.ts reads with the clock. */
  readonly runtime = newRuntimeState();
  readonly clusterId: string;
  readonly createdAt: number;
  readonly events: SwarmEvent[] = [];
  /** The node this manager API is served from. */
  selfId = '';
  now: number;
  index = 10;
  readonly random: Random;

  readonly tasksByService = new Map<string, Set<TaskRecord>>();
  readonly tasksByNode = new Map<string, Set<TaskRecord>>();
  readonly busyTasks = new Set<TaskRecord>();
  readonly pendingTasks = new Set<TaskRecord>();
  readonly dirty = new Set<ServiceRecord>();
  readonly listeners = new Set<(event: SwarmEvent) => void>();
  schedulerDirty = false;
  quiet = 0;
  nextPort = 30000;
  /** The next 10.0.N.0/24 subnet an overlay network gets. */
  nextSubnet = 0;
  eventNano = 0;
  /** The swarm's own object: spec, join tokens, unlock key. */
  abstract readonly cluster: ClusterRecord;

  constructor(options: SwarmOptions) {
    this.random = new Random(options.seed ?? 1);
    this.now = options.now;
    this.createdAt = options.now;
    this.clusterId = this.random.id();
  }

  /** True when a restart delay or a rollout step of this service is due now. */
  hasDueTimer(service: ServiceRecord): boolean {
    for (const t of service.restartAt.values()) if (t <= this.now) return true;
    const rollout = service.rollout;
    if (rollout && !rollout.paused) {
      for (const worker of rollout.workers) if (worker.until !== undefined && worker.until <= this.now) return true;
      for (const t of rollout.watch.values()) if (t <= this.now) return true;
    }
    return false;
  }

  // ---- events and versions -------------------------------------------------------------------

  /** Subscribes to events as they happen; returns the unsubscribe function. */
  subscribe(listener: (event: SwarmEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(type: SwarmEvent['Type'], action: string, id: string, attributes: Record<string, string>): void {
    // timeNano must be unique and increasing, as the engine's are, so clients can resume with since.
    this.eventNano = Math.max(this.eventNano + 1, this.now * 1_000_000);
    const event: SwarmEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'swarm',
      time: Math.floor(this.eventNano / 1e9),
      timeNano: this.eventNano,
    };
    this.record(event);
  }

  /**
   * A container event of a task's container, as its node's engine emits it (scope local): the
   * container's labels, image and name as attributes, and `extra` (a die's exitCode).
   */
  emitContainer(task: TaskRecord, action: string, extra: Record<string, string> = {}): void {
    if (!task.containerId) return;
    const { taskName, labels } = taskContainer(task, this.services);
    const image = String(task.spec.ContainerSpec?.Image ?? '');
    const labelled: Record<string, string> = {
      ...labels,
      ...extra,
      image,
      name: taskName,
    };
    // dockerd marshals the attributes from a Go map: its keys come sorted.
    const attributes = Object.fromEntries(Object.entries(labelled).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.eventNano = Math.max(this.eventNano + 1, this.now * 1_000_000);
    this.record({
      status: action,
      id: task.containerId,
      from: image,
      Type: 'container',
      Action: action,
      Actor: { ID: task.containerId, Attributes: attributes },
      scope: 'local',
      time: Math.floor(this.eventNano / 1e9),
      timeNano: this.eventNano,
    });
  }

  private record(event: SwarmEvent): void {
    this.events.push(event);
    if (this.events.length > EVENT_LOG_LIMIT) this.events.splice(0, this.events.length - EVENT_LOG_LIMIT);
    for (const listener of this.listeners) listener(event);
  }

  touch(object: { version: number; updatedAt: number }): void {
    object.version = ++this.index;
    object.updatedAt = this.now;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** Finds an object by full id, then exact name, then unique id prefix, as dockerd does. */
  lookup<T extends { id: string }>(kind: string, map: Map<string, T>, ref: string, nameOf: (o: T) => string): T {
    // The full id first without a scan: most refs are ids.
    return map.get(ref) ?? findByRef(kind, map.values(), ref, (o) => o.id, nameOf);
  }

  /** A node by id, hostname or id prefix. */
  node(ref: string): NodeRecord {
    return this.lookup('node', this.nodes, ref, (n) => n.spec.Name || n.hostname);
  }

  /** A service by id, name or id prefix. */
  service(ref: string): ServiceRecord {
    return this.lookup('service', this.services, ref, (s) => s.spec.Name ?? '');
  }

  /** A task by id or id prefix. */
  task(ref: string): TaskRecord {
    return this.lookup('task', this.tasks, ref, () => '\0');
  }

  /** The tasks of one service. */
  tasksOf(serviceId: string): Iterable<TaskRecord> {
    return this.tasksByService.get(serviceId) ?? [];
  }

  /** The tasks placed on one node. */
  tasksOn(nodeId: string): Iterable<TaskRecord> {
    return this.tasksByNode.get(nodeId) ?? [];
  }

  // ---- steps the modules take on one another: the facade implements each with its module ------
  /** Applies everything due at `now` until nothing more changes. */
  abstract settle(): void;
  /** The managers, in creation order. */
  abstract managers(): NodeRecord[];
  /** True while a majority of managers is reachable, so raft has a leader. */
  abstract hasLeader(): boolean;
  /** Throws dockerd's "no leader" error when raft has lost quorum. */
  abstract requireLeader(): void;
  /** Fault drill: a node stops answering heartbeats. */
  abstract nodeDown(ref: string): NodeRecord;
  /** Fault drill: a node comes back. */
  abstract nodeUp(ref: string): NodeRecord;
  /** Running and runnable tasks per slot (or per node for global services). */
  abstract liveBySlot(service: ServiceRecord): Map<string, TaskRecord[]>;
  /** Works out whether (and when) the agent has a next step for this task. */
  abstract wake(task: TaskRecord): void;
  /** Slots whose running task is out of date with the service's template. */
  abstract outdatedSlots(service: ServiceRecord): string[];
  /** Counts a failed task against the rollout; true when the rollout stopped or reversed. */
  abstract rolloutFailure(service: ServiceRecord, task: TaskRecord): boolean;
  /** Elects a leader among the reachable managers. */
  abstract electLeader(): void;
  /** A demoted or removed manager: quorum is checked again. */
  abstract checkDemote(node: NodeRecord): void;
  /** Moves a node to a state (ready, down, unknown), with the engine's message. */
  abstract setNodeState(node: NodeRecord, state: NodeRecord['state'], message?: string): void;
  /** Something about the nodes changed: scheduling and global services look again. */
  abstract nodeChanged(): void;
  /** A random service name, as dockerd picks one. */
  abstract randomName(): string;
  /** Refuses a spec as dockerd does, in its words. */
  abstract validateSpec(spec: ServiceSpec): void;
  /** The published ports a spec gets (ingress ports assigned from the range). */
  abstract assignPorts(spec: ServiceSpec, old: ServiceRecord['ports']): ServiceRecord['ports'];
  /** Makes `next` the service's spec (an update, a rollback or an automatic rollback). */
  abstract applySpec(service: ServiceRecord, next: ServiceSpec, kind: 'update' | 'rollback' | 'auto-rollback', reason?: string): void;
  /** Emits the service's update state change, when it changed. */
  abstract emitUpdateState(service: ServiceRecord, oldState: string | undefined): void;
  /** Brings the service's tasks to what its spec asks; true when something changed. */
  abstract orchestrate(service: ServiceRecord): boolean;
  /** A new task for a slot (or a node, for global services). */
  abstract createTask(service: ServiceRecord, slot: number | undefined, nodeId?: string): TaskRecord;
  /** Sets a task's desired state. */
  abstract setDesired(task: TaskRecord, desired: TaskState): void;
  /** Moves a task to a state, with the agent's message and error. */
  abstract setState(task: TaskRecord, state: TaskState, message: string, err?: string): void;
  /** A stopping task has stopped. */
  abstract finishStop(task: TaskRecord): void;
  /** The placement constraints of a spec, parsed. */
  abstract constraintsOf(spec: ServiceSpec): Constraint[];
  /** Takes the service's rollout one step on. */
  abstract stepRollout(service: ServiceRecord): void;
  /** Removes a task from the store and its indexes. */
  abstract deleteTask(task: TaskRecord): void;
}
