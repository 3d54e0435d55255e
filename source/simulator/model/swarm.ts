import type { Constraint } from '../../swarm/constraints.js';
import { type NodeInit, type NodeRecord, type PlainObject, type ServiceRecord, type SwarmOptions, type TaskRecord } from './records.js';
import type { NodeSpec, ServiceSpec, TaskState } from './types.js';
import * as agent from './agent.js';
import { newCluster, type ClusterRecord } from './cluster.js';
import * as drills from './drills.js';
import * as nodes from './nodes.js';
import * as objects from './objects.js';
import * as orchestrator from './orchestrator.js';
import * as raft from './raft.js';
import * as reaper from './reaper.js';
import * as scheduler from './scheduler.js';
import * as services from './services.js';
import * as specValidation from './spec-validation.js';
import * as updater from './updater.js';
import { SwarmState } from './state.js';

export type { NodeInit, NodeRecord, PlainObject, ServiceRecord, SwarmEvent, SwarmOptions, TaskRecord } from './records.js';
export { iso, toTarget } from './records.js';

/**
 * A pure, clocked model of a Swarm manager: nodes, services and tasks, with the orchestrator,
 * scheduler, agents and rolling updater that move them. It has no I/O and no timers of its own:
 * time moves only when advanceTo() is called, so tests control it exactly.
 */
export class Swarm extends SwarmState {
  /** The swarm's own object: spec, join tokens, unlock key. */
  readonly cluster: ClusterRecord;

  constructor(options: SwarmOptions) {
    super(options);
    this.cluster = newCluster(this);
  }

  // ---- time ----------------------------------------------------------------------------------

  /** Runs the swarm forward to `target` (ms), stepping through every due transition. */
  advanceTo(target: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      this.settle();
      const next = this.nextDue();
      if (next === undefined || next > target) break;
      this.now = Math.max(this.now, next);
    }
    this.now = Math.max(this.now, target);
    this.settle();
  }

  /** Runs the swarm forward by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  nextDue(): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && t > this.now && (next === undefined || t < next)) next = t;
    };
    for (const task of this.busyTasks) consider(task.nextAt);
    for (const service of this.services.values()) {
      for (const t of service.restartAt.values()) consider(t);
      const rollout = service.rollout;
      if (rollout && !rollout.paused) {
        for (const worker of rollout.workers) consider(worker.until);
        for (const t of rollout.watch.values()) consider(t);
      }
    }
    return next;
  }

  /** Runs `fn` with orchestration deferred to its end: scenarios build thousands of objects at once. */
  batch<T>(fn: () => T): T {
    this.quiet++;
    try {
      return fn();
    } finally {
      this.quiet--;
      this.settle();
    }
  }

  /** Applies everything due at `now` until nothing more changes. */
  settle(): void {
    if (this.quiet > 0) return;
    for (let round = 0; round < 50; round++) {
      let changed = this.runAgents();
      if (this.hasLeader()) {
        for (const service of this.services.values()) {
          if (this.hasDueTimer(service)) this.dirty.add(service);
        }
        const dirty = [...this.dirty];
        this.dirty.clear();
        for (const service of dirty) {
          if (this.services.has(service.id) && this.orchestrate(service)) changed = true;
        }
        if (this.schedule()) changed = true;
        for (const service of dirty) if (this.services.has(service.id)) this.stepRollout(service);
        this.reap(dirty);
      }
      if (!changed && this.dirty.size === 0) return;
    }
  }

  // ---- quorum --------------------------------------------------------------------------------

  /** The managers, in creation order. */
  managers(): NodeRecord[] {
    return raft.managers(this);
  }

  /** True while a majority of managers is reachable, so raft has a leader. */
  hasLeader(): boolean {
    return raft.hasLeader(this);
  }

  /** Throws dockerd's "no leader" error when raft has lost quorum. */
  requireLeader(): void {
    return raft.requireLeader(this);
  }

  // ---- nodes ---------------------------------------------------------------------------------

  /** Adds a node to the swarm (scenarios, and the Fleet's init and join). */
  addNode(init: NodeInit): NodeRecord {
    return nodes.addNode(this, init);
  }

  /** A node's engine left the swarm: the node goes down (and, a manager, unreachable), its tasks are rescheduled. */
  nodeLeft(node: NodeRecord): void {
    return nodes.nodeLeft(this, node);
  }

  /** Adds a swarm network without the API's checks (scenarios, and the ingress network of `swarm init`). */
  addNetwork(request: Record<string, unknown>): PlainObject {
    return objects.createSwarmNetwork(this, request, false);
  }

  /** POST /nodes/{id}/update: role, availability, labels and name, with the engine's guards. */
  updateNode(ref: string, version: number, spec: Partial<NodeSpec>): void {
    return nodes.updateNode(this, ref, version, spec);
  }

  /** DELETE /nodes/{id}: only workers that are down, unless forced. */
  removeNode(ref: string, force: boolean): void {
    return nodes.removeNode(this, ref, force);
  }

  /** Fault drill: a node stops answering heartbeats. Its tasks are rescheduled elsewhere. */
  nodeDown(ref: string): NodeRecord {
    return drills.nodeDown(this, ref);
  }

  /** Fault drill: a node comes back. Tasks that were moved away are shut down on it. */
  nodeUp(ref: string): NodeRecord {
    return drills.nodeUp(this, ref);
  }

  /** Fault drill: takes down managers other than this one until raft has no leader. */
  loseQuorum(): NodeRecord[] {
    return drills.loseQuorum(this);
  }

  /** Fault drill: brings every down manager back. */
  regainQuorum(): NodeRecord[] {
    return drills.regainQuorum(this);
  }

  /** Fault drill: tasks of this image are rejected with "No such image" until fixed. */
  breakImage(image: string): void {
    return drills.breakImage(this, image);
  }

  /** Ends a breakImage drill. */
  fixImage(image: string): void {
    return drills.fixImage(this, image);
  }

  // ---- services ------------------------------------------------------------------------------

  /** POST /services/create. */
  createService(spec: ServiceSpec): ServiceRecord {
    return services.createService(this, spec);
  }

  /** POST /services/{id}/update, or with rollback=previous a manual rollback. */
  updateService(ref: string, version: number, spec: ServiceSpec | undefined, rollback: boolean): ServiceRecord {
    return services.updateService(this, ref, version, spec, rollback);
  }

  /** DELETE /services/{id}: its tasks are shut down and then removed. */
  removeService(ref: string): void {
    return services.removeService(this, ref);
  }

  // ---- orchestration -------------------------------------------------------------------------

  /** Running and runnable tasks per slot (or per node for global services). */
  liveBySlot(service: ServiceRecord): Map<string, TaskRecord[]> {
    return orchestrator.liveBySlot(this, service);
  }

  /** Works out whether (and when) the agent has a next step for this task. */
  wake(task: TaskRecord): void {
    return agent.wake(this, task);
  }

  // ---- scheduling ----------------------------------------------------------------------------

  /** Places pending tasks: spread over eligible nodes, fewest tasks of the service first. */
  schedule(): boolean {
    return scheduler.schedule(this);
  }

  // ---- rolling updates -----------------------------------------------------------------------

  /** Slots whose running task is out of date with the service's template. */
  outdatedSlots(service: ServiceRecord): string[] {
    return updater.outdatedSlots(this, service);
  }

  /** Counts a failed task against the rollout; returns true when the rollout stopped or reversed. */
  rolloutFailure(service: ServiceRecord, task: TaskRecord): boolean {
    return updater.rolloutFailure(this, service, task);
  }

  // ---- history -------------------------------------------------------------------------------

  /** Keeps 5 tasks per slot (TaskHistoryRetentionLimit) and deletes removed tasks once stopped. */
  reap(services: Iterable<ServiceRecord>): void {
    return reaper.reap(this, services);
  }

  // ---- steps the model's modules call on one another (its internals, not API operations) ----
  electLeader(): void {
    return raft.electLeader(this);
  }
  checkDemote(node: NodeRecord): void {
    return raft.checkDemote(this, node);
  }
  setNodeState(node: NodeRecord, state: NodeRecord['state'], message?: string): void {
    return nodes.setNodeState(this, node, state, message);
  }
  nodeChanged(): void {
    return nodes.nodeChanged(this);
  }
  randomName(): string {
    return services.randomName(this);
  }
  validateSpec(spec: ServiceSpec): void {
    return specValidation.validateSpec(this, spec);
  }
  assignPorts(spec: ServiceSpec, old: ServiceRecord['ports']): ServiceRecord['ports'] {
    return services.assignPorts(this, spec, old);
  }
  applySpec(service: ServiceRecord, next: ServiceSpec, kind: 'update' | 'rollback' | 'auto-rollback', reason?: string): void {
    return services.applySpec(this, service, next, kind, reason);
  }
  emitUpdateState(service: ServiceRecord, oldState: string | undefined): void {
    return services.emitUpdateState(this, service, oldState);
  }
  orchestrate(service: ServiceRecord): boolean {
    return orchestrator.orchestrate(this, service);
  }
  createTask(service: ServiceRecord, slot: number | undefined, nodeId?: string): TaskRecord {
    return orchestrator.createTask(this, service, slot, nodeId);
  }
  setDesired(task: TaskRecord, desired: TaskState): void {
    return orchestrator.setDesired(this, task, desired);
  }
  setState(task: TaskRecord, state: TaskState, message: string, err?: string): void {
    return agent.setState(this, task, state, message, err);
  }
  finishStop(task: TaskRecord): void {
    return agent.finishStop(this, task);
  }
  runAgents(): boolean {
    return agent.runAgents(this);
  }
  constraintsOf(spec: ServiceSpec): Constraint[] {
    return scheduler.constraintsOf(this, spec);
  }
  stepRollout(service: ServiceRecord): void {
    return updater.stepRollout(this, service);
  }
  deleteTask(task: TaskRecord): void {
    return reaper.deleteTask(this, task);
  }
}
