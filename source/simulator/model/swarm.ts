import { errors } from '../errors.js';
import { matchesConstraints, parseConstraints, type Constraint } from '../../swarm/constraints.js';
import { hasQuorum } from '../../swarm/quorum.js';
import { Random } from './random.js';
import { clone, effectiveRestartPolicy, effectiveUpdateConfig, isGlobal, nsToMs, replicasOf, templateKey } from './spec.js';
import {
  isTerminal,
  taskStateRank,
  type NodeSpec,
  type ServiceSpec,
  type TaskState,
  type TaskTemplate,
  type UpdateConfig,
  type UpdateStatus,
} from './types.js';

/** A node as the model keeps it. */
export interface NodeRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  version: number;
  spec: NodeSpec;
  hostname: string;
  addr: string;
  nanoCpus: number;
  memoryBytes: number;
  engineVersion: string;
  state: 'ready' | 'down' | 'unknown' | 'disconnected';
  message?: string;
  leader: boolean;
  reachability: 'reachable' | 'unreachable' | 'unknown';
}

/** A service as the model keeps it. */
export interface ServiceRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  version: number;
  spec: ServiceSpec;
  previousSpec?: ServiceSpec;
  updateStatus?: UpdateStatus;
  /** templateKey(spec): tasks with another key are out of date. */
  key: string;
  /** Ports published on the routing mesh, with assigned published ports filled in. */
  ports: { Protocol: string; TargetPort: number; PublishedPort: number; PublishMode: string; Name?: string }[];
  rollout?: Rollout;
  /** Per slot (or node, for global services): when a failed task's replacement may start. */
  restartAt: Map<string, number>;
  /** Per slot: restarts made, for RestartPolicy.MaxAttempts. */
  restarts: Map<string, number>;
  /** Slots whose restart policy says never to replace them again. */
  retired: Set<string>;
}

/** A task as the model keeps it. */
export interface TaskRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  version: number;
  serviceId: string;
  slot?: number;
  nodeId?: string;
  spec: TaskTemplate;
  key: string;
  desired: TaskState;
  state: TaskState;
  message: string;
  err?: string;
  stateAt: number;
  /** When the agent's next lifecycle step is due (ms), if one is. */
  nextAt?: number;
  containerId?: string;
  pid?: number;
  exitCode?: number;
  startedAt?: number;
  stoppedAt?: number;
}

interface Worker {
  slot: string;
  phase: 'stopping' | 'starting' | 'cooldown';
  taskId?: string;
  until?: number;
}

/** The state of a rolling update or rollback in progress. */
interface Rollout {
  rollback: boolean;
  config: Required<UpdateConfig>;
  workers: Worker[];
  failures: number;
  total: number;
  /** Updated tasks being watched for failure until the monitor period ends. */
  watch: Map<string, number>;
  paused: boolean;
}

/** A swarm event, as /events streams it. */
export interface SwarmEvent {
  Type: 'service' | 'node' | 'secret' | 'config' | 'network';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'swarm';
  time: number;
  timeNano: number;
}

/** Options for a fresh swarm. */
export interface SwarmOptions {
  seed?: number;
  /** The model clock's start (ms since the epoch). */
  now: number;
  clusterName?: string;
}

/** A node to add, as a scenario describes it. */
export interface NodeInit {
  hostname: string;
  role: 'manager' | 'worker';
  availability?: NodeSpec['Availability'];
  labels?: Record<string, string>;
  nanoCpus?: number;
  memoryBytes?: number;
}

/** A generic object (network, secret, config) served as stored. */
export interface PlainObject {
  ID: string;
  [key: string]: unknown;
}

const TICK = 100;
const ENGINE_VERSION = '20.10.24-swarmdeck-sim';
const EVENT_LOG_LIMIT = 10_000;
/** Agent step durations, ms: how long a task stays in each state on a healthy node. */
const AGENT_DELAY: Partial<Record<TaskState, number>> = {
  assigned: 100,
  accepted: 100,
  preparing: 400,
  starting: 300,
};
const STOP_DELAY = 300;
const quantize = (t: number) => Math.ceil(t / TICK) * TICK;
const slotKeyOf = (task: TaskRecord) => (task.slot !== undefined ? String(task.slot) : `node:${task.nodeId}`);

/**
 * A pure, clocked model of a Swarm manager: nodes, services and tasks, with the orchestrator,
 * scheduler, agents and rolling updater that move them. It has no I/O and no timers of its own:
 * time moves only when advanceTo() is called, so tests control it exactly.
 */
export class Swarm {
  readonly nodes = new Map<string, NodeRecord>();
  readonly services = new Map<string, ServiceRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly networks = new Map<string, PlainObject>();
  readonly secrets = new Map<string, PlainObject>();
  readonly configs = new Map<string, PlainObject>();
  /** Images that fail on every node ("No such image"), set by a fault drill. */
  readonly brokenImages = new Set<string>();
  readonly clusterId: string;
  readonly createdAt: number;
  readonly events: SwarmEvent[] = [];
  /** The node this manager API is served from. */
  selfId = '';
  /** What the served engine is: a manager (normal), or a worker or non-swarm engine, to show what those answer. */
  engineRole: 'manager' | 'worker' | 'inactive' = 'manager';
  now: number;
  index = 10;
  readonly random: Random;

  private readonly tasksByService = new Map<string, Set<TaskRecord>>();
  private readonly tasksByNode = new Map<string, Set<TaskRecord>>();
  private readonly busyTasks = new Set<TaskRecord>();
  private readonly pendingTasks = new Set<TaskRecord>();
  private readonly dirty = new Set<ServiceRecord>();
  private readonly listeners = new Set<(event: SwarmEvent) => void>();
  private schedulerDirty = false;
  private quiet = 0;
  private nextPort = 30000;
  private eventNano = 0;

  constructor(options: SwarmOptions) {
    this.random = new Random(options.seed ?? 1);
    this.now = options.now;
    this.createdAt = options.now;
    this.clusterId = this.random.id();
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

  private nextDue(): number | undefined {
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
  private settle(): void {
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

  private hasDueTimer(service: ServiceRecord): boolean {
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

  private emit(type: SwarmEvent['Type'], action: string, id: string, attributes: Record<string, string>): void {
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
    this.events.push(event);
    if (this.events.length > EVENT_LOG_LIMIT) this.events.splice(0, this.events.length - EVENT_LOG_LIMIT);
    for (const listener of this.listeners) listener(event);
  }

  private touch(object: { version: number; updatedAt: number }): void {
    object.version = ++this.index;
    object.updatedAt = this.now;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** Finds an object by full id, then exact name, then unique id prefix, as dockerd does. */
  private lookup<T extends { id: string }>(kind: string, map: Map<string, T>, ref: string, nameOf: (o: T) => string): T {
    const exact = map.get(ref);
    if (exact) return exact;
    const byName = [...map.values()].filter((o) => nameOf(o) === ref);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) throw errors.ambiguous(kind, ref, byName.length);
    const byPrefix = ref === '' ? [] : [...map.values()].filter((o) => o.id.startsWith(ref));
    if (byPrefix.length === 1) return byPrefix[0];
    if (byPrefix.length > 1) throw errors.ambiguous(kind, ref, byPrefix.length);
    throw errors.notFound(kind, ref);
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

  // ---- quorum --------------------------------------------------------------------------------

  /** The managers, in creation order. */
  managers(): NodeRecord[] {
    return [...this.nodes.values()].filter((n) => n.spec.Role === 'manager');
  }

  /** True while a majority of managers is reachable, so raft has a leader. */
  hasLeader(): boolean {
    const managers = this.managers();
    return hasQuorum(managers.filter((m) => m.reachability === 'reachable').length, managers.length);
  }

  /** Throws dockerd's "no leader" error when raft has lost quorum. */
  requireLeader(): void {
    if (this.engineRole === 'worker') throw errors.notManagerWorker();
    if (this.engineRole === 'inactive') throw errors.notManagerInactive();
    if (!this.hasLeader()) throw errors.noLeader();
  }

  private electLeader(): void {
    const managers = this.managers();
    const current = managers.find((m) => m.leader && m.reachability === 'reachable');
    for (const m of managers) if (m !== current && m.leader) m.leader = false;
    if (current || !this.hasLeader()) return;
    const self = this.nodes.get(this.selfId);
    const next = self && self.reachability === 'reachable' && self.spec.Role === 'manager' ? self : managers.find((m) => m.reachability === 'reachable');
    if (next) {
      next.leader = true;
      this.touch(next);
    }
  }

  // ---- nodes ---------------------------------------------------------------------------------

  /** Joins a node to the swarm (scenarios use this; the API has no join). */
  addNode(init: NodeInit): NodeRecord {
    const n = this.nodes.size + 1;
    const node: NodeRecord = {
      id: this.random.id(),
      createdAt: this.now,
      updatedAt: this.now,
      version: ++this.index,
      spec: { Labels: { ...(init.labels ?? {}) }, Role: init.role, Availability: init.availability ?? 'active' },
      hostname: init.hostname,
      addr: `10.0.${Math.floor(n / 250)}.${(n % 250) + 2}`,
      nanoCpus: init.nanoCpus ?? 2_000_000_000,
      memoryBytes: init.memoryBytes ?? 4 * 1024 ** 3,
      engineVersion: ENGINE_VERSION,
      state: 'ready',
      leader: false,
      reachability: init.role === 'manager' ? 'reachable' : 'unknown',
    };
    this.nodes.set(node.id, node);
    if (!this.selfId && init.role === 'manager') this.selfId = node.id;
    this.electLeader();
    this.nodeChanged();
    return node;
  }

  /** POST /nodes/{id}/update: role, availability, labels and name, with the engine's guards. */
  updateNode(ref: string, version: number, spec: Partial<NodeSpec>): void {
    this.requireLeader();
    const node = this.node(ref);
    if (version !== node.version) throw errors.outOfSequence();
    const role = spec.Role ?? node.spec.Role;
    const availability = spec.Availability ?? node.spec.Availability;
    if (!['manager', 'worker'].includes(role)) throw errors.invalidArgument(`invalid role ${String(role)}`);
    if (!['active', 'pause', 'drain'].includes(availability)) {
      throw errors.invalidArgument(`invalid availability ${String(availability)}`);
    }
    if (node.spec.Role === 'manager' && role === 'worker') this.checkDemote(node);
    const old = node.spec;
    node.spec = { ...(spec.Name ? { Name: spec.Name } : {}), Labels: { ...(spec.Labels ?? {}) }, Role: role, Availability: availability };
    if (old.Role !== role) {
      if (role === 'manager') {
        node.reachability = node.state === 'ready' ? 'reachable' : 'unreachable';
      } else {
        node.reachability = 'unknown';
        node.leader = false;
        if (node.id === this.selfId) {
          // The API follows the leader when the node it was served from stops being a manager.
          this.selfId = this.managers().find((m) => m.reachability === 'reachable')?.id ?? this.selfId;
        }
      }
      this.electLeader();
    }
    this.touch(node);
    const attributes: Record<string, string> = { name: node.hostname };
    if (old.Availability !== availability) {
      attributes['availability.new'] = availability;
      attributes['availability.old'] = old.Availability;
    }
    if (old.Role !== role) {
      attributes['role.new'] = role;
      attributes['role.old'] = old.Role;
    }
    this.emit('node', 'update', node.id, attributes);
    this.nodeChanged();
    this.settle();
  }

  private checkDemote(node: NodeRecord): void {
    const managers = this.managers();
    if (managers.length <= 1) throw errors.demoteLastManager();
    const remaining = managers.filter((m) => m !== node);
    const reachable = remaining.filter((m) => m.reachability === 'reachable').length;
    if (!hasQuorum(reachable, remaining.length)) throw errors.quorumLoss();
  }

  /** DELETE /nodes/{id}: only workers that are down, unless forced. */
  removeNode(ref: string, force: boolean): void {
    this.requireLeader();
    const node = this.node(ref);
    if (node.spec.Role === 'manager') throw errors.removeManager(node.id);
    if (node.state !== 'down' && !force) throw errors.removeNotDown(node.id);
    for (const task of [...this.tasksOn(node.id)]) {
      this.setDesired(task, 'shutdown');
      if (!isTerminal(task.state)) this.setState(task, 'orphaned', 'node removed');
    }
    this.nodes.delete(node.id);
    this.emit('node', 'remove', node.id, { name: node.hostname });
    this.nodeChanged();
    this.settle();
  }

  /** Fault drill: a node stops answering heartbeats. Its tasks are rescheduled elsewhere. */
  nodeDown(ref: string): NodeRecord {
    const node = this.node(ref);
    if (node.id === this.selfId) {
      throw errors.badParameter(`node ${node.hostname} serves this API; take down another node`);
    }
    if (node.state === 'down') return node;
    this.setNodeState(node, 'down', 'heartbeat failure');
    if (node.spec.Role === 'manager') {
      node.reachability = 'unreachable';
      node.leader = false;
      this.electLeader();
    }
    this.nodeChanged();
    this.settle();
    return node;
  }

  /** Fault drill: a node comes back. Tasks that were moved away are shut down on it. */
  nodeUp(ref: string): NodeRecord {
    const node = this.node(ref);
    if (node.state === 'ready') return node;
    this.setNodeState(node, 'ready');
    if (node.spec.Role === 'manager') {
      node.reachability = 'reachable';
      this.electLeader();
    }
    for (const task of this.tasksOn(node.id)) this.wake(task);
    this.nodeChanged();
    this.settle();
    return node;
  }

  private setNodeState(node: NodeRecord, state: NodeRecord['state'], message?: string): void {
    const old = node.state;
    node.state = state;
    node.message = message;
    this.touch(node);
    this.emit('node', 'update', node.id, { name: node.hostname, 'state.new': state, 'state.old': old });
  }

  /** Fault drill: takes down managers other than this one until raft has no leader. */
  loseQuorum(): NodeRecord[] {
    const taken: NodeRecord[] = [];
    for (const m of this.managers()) {
      if (!this.hasLeader()) break;
      if (m.id !== this.selfId && m.state === 'ready') taken.push(this.nodeDown(m.id));
    }
    if (this.hasLeader()) {
      throw errors.badParameter('this swarm has a single manager: quorum cannot be lost while the API answers');
    }
    return taken;
  }

  /** Fault drill: brings every down manager back. */
  regainQuorum(): NodeRecord[] {
    const back = this.managers().filter((m) => m.state !== 'ready');
    for (const m of back) this.nodeUp(m.id);
    return back;
  }

  /** Fault drill: tasks of this image are rejected with "No such image" until fixed. */
  breakImage(image: string): void {
    this.brokenImages.add(image);
  }

  /** Ends a breakImage drill. */
  fixImage(image: string): void {
    this.brokenImages.delete(image);
    for (const service of this.services.values()) this.dirty.add(service);
  }

  private nodeChanged(): void {
    this.schedulerDirty = true;
    for (const service of this.services.values()) this.dirty.add(service);
  }

  // ---- services ------------------------------------------------------------------------------

  /** POST /services/create. */
  createService(spec: ServiceSpec): ServiceRecord {
    this.requireLeader();
    this.validateSpec(spec);
    const name = spec.Name || this.randomName();
    for (const s of this.services.values()) if (s.spec.Name === name) throw errors.nameConflict(name);
    const stored = clone({ ...spec, Name: name });
    stored.Labels ??= {};
    if (!stored.Mode) stored.Mode = { Replicated: { Replicas: 1 } };
    const service: ServiceRecord = {
      id: this.random.id(),
      createdAt: this.now,
      updatedAt: this.now,
      version: ++this.index,
      spec: stored,
      key: templateKey(stored),
      ports: [],
      restartAt: new Map(),
      restarts: new Map(),
      retired: new Set(),
    };
    service.ports = this.assignPorts(stored, []);
    this.services.set(service.id, service);
    this.emit('service', 'create', service.id, { name });
    this.dirty.add(service);
    this.settle();
    return service;
  }

  private randomName(): string {
    const left = ['brave', 'eager', 'quiet', 'vibrant', 'zen', 'focused', 'festive', 'nifty'];
    const right = ['turing', 'hopper', 'lovelace', 'knuth', 'ritchie', 'hamilton', 'curie', 'noether'];
    return `${left[this.random.int(left.length)]}_${right[this.random.int(right.length)]}`;
  }

  private validateSpec(spec: ServiceSpec): void {
    if (!spec || typeof spec !== 'object') throw errors.invalidArgument('service spec must be an object');
    const image = spec.TaskTemplate?.ContainerSpec?.Image;
    if (typeof image !== 'string' || image === '') {
      throw errors.invalidArgument('ContainerSpec: image reference must be provided');
    }
    if (spec.Name !== undefined && (typeof spec.Name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(spec.Name))) {
      throw errors.invalidArgument(`name must be valid as a DNS name component`);
    }
    const replicas = spec.Mode?.Replicated?.Replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw errors.invalidArgument('replicas must be a non-negative integer');
    }
    if (spec.Mode?.Replicated && spec.Mode?.Global) {
      throw errors.invalidArgument('service mode must be replicated or global, not both');
    }
    try {
      parseConstraints(spec.TaskTemplate?.Placement?.Constraints);
    } catch (error) {
      throw errors.invalidArgument((error as Error).message);
    }
    const ports = spec.EndpointSpec?.Ports ?? [];
    if (!Array.isArray(ports)) throw errors.invalidArgument('EndpointSpec.Ports must be a list');
    for (const port of ports) {
      if (!Number.isInteger(port?.TargetPort) || (port.TargetPort ?? 0) <= 0 || (port.TargetPort ?? 0) > 65535) {
        throw errors.invalidArgument('EndpointSpec: port target must be between 1 and 65535');
      }
    }
  }

  private assignPorts(spec: ServiceSpec, old: ServiceRecord['ports']): ServiceRecord['ports'] {
    return (spec.EndpointSpec?.Ports ?? []).map((port) => {
      const protocol = port.Protocol ?? 'tcp';
      const kept = old.find((p) => p.TargetPort === port.TargetPort && p.Protocol === protocol);
      return {
        ...(port.Name ? { Name: port.Name } : {}),
        Protocol: protocol,
        TargetPort: port.TargetPort ?? 0,
        PublishedPort: port.PublishedPort || kept?.PublishedPort || this.nextPort++,
        PublishMode: port.PublishMode ?? 'ingress',
      };
    });
  }

  /** POST /services/{id}/update, or with rollback=previous a manual rollback. */
  updateService(ref: string, version: number, spec: ServiceSpec | undefined, rollback: boolean): ServiceRecord {
    this.requireLeader();
    const service = this.service(ref);
    if (version !== service.version) throw errors.outOfSequence();
    if (rollback) {
      if (!service.previousSpec) throw errors.noPreviousSpec(service.id);
      this.applySpec(service, service.previousSpec, 'rollback', 'manually requested rollback');
      return service;
    }
    if (!spec) throw errors.invalidArgument('service spec is required');
    this.validateSpec(spec);
    if (isGlobal(spec) !== isGlobal(service.spec)) throw errors.modeChange();
    if (spec.Name && spec.Name !== service.spec.Name) {
      throw errors.invalidArgument('renaming services is not supported');
    }
    const next = clone({ ...spec, Name: service.spec.Name });
    next.Labels ??= {};
    this.applySpec(service, next, 'update');
    return service;
  }

  private applySpec(service: ServiceRecord, next: ServiceSpec, kind: 'update' | 'rollback' | 'auto-rollback', reason?: string): void {
    const old = service.spec;
    const oldState = service.updateStatus?.State;
    service.previousSpec = clone(old);
    service.spec = clone(next);
    service.ports = this.assignPorts(service.spec, service.ports);
    const newKey = templateKey(service.spec);
    const templateChanged = newKey !== service.key;
    service.key = newKey;
    this.touch(service);
    const attributes: Record<string, string> = { name: service.spec.Name ?? '' };
    const oldImage = old.TaskTemplate?.ContainerSpec?.Image ?? '';
    const newImage = service.spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    if (oldImage !== newImage) Object.assign(attributes, { 'image.new': newImage, 'image.old': oldImage });
    const oldReplicas = replicasOf(old);
    const newReplicas = replicasOf(service.spec);
    if (!isGlobal(old) && oldReplicas !== newReplicas) {
      Object.assign(attributes, { 'replicas.new': String(newReplicas), 'replicas.old': String(oldReplicas) });
    }
    this.emit('service', 'update', service.id, attributes);

    if (kind === 'update' && !templateChanged) {
      // A scale or a no-op update clears UpdateStatus, as the engine does, unless a rollout is running.
      if (!service.rollout) service.updateStatus = undefined;
    } else {
      const rollback = kind !== 'update';
      const config = effectiveUpdateConfig(rollback ? service.spec.RollbackConfig : service.spec.UpdateConfig);
      // Nothing to replace (a rollback of a scale, say) still reports a started and finished rollout.
      service.rollout = {
        rollback,
        config,
        workers: [],
        failures: 0,
        total: this.outdatedSlots(service).length,
        watch: new Map(),
        paused: false,
      };
      service.updateStatus = rollback
        ? { State: 'rollback_started', StartedAt: iso(this.now), Message: reason ?? 'manually requested rollback' }
        : { State: 'updating', StartedAt: iso(this.now), Message: 'update in progress' };
      this.emitUpdateState(service, oldState);
    }
    this.dirty.add(service);
    this.settle();
  }

  private emitUpdateState(service: ServiceRecord, oldState: string | undefined): void {
    const attributes: Record<string, string> = { name: service.spec.Name ?? '', 'updatestate.new': service.updateStatus!.State };
    if (oldState) attributes['updatestate.old'] = oldState;
    this.emit('service', 'update', service.id, attributes);
  }

  /** DELETE /services/{id}: its tasks are shut down and then removed. */
  removeService(ref: string): void {
    this.requireLeader();
    const service = this.service(ref);
    this.services.delete(service.id);
    for (const task of this.tasksOf(service.id)) this.setDesired(task, 'remove');
    this.emit('service', 'remove', service.id, { name: service.spec.Name ?? '' });
    this.settle();
  }

  // ---- orchestration -------------------------------------------------------------------------

  /** Running and runnable tasks per slot (or per node for global services). */
  private liveBySlot(service: ServiceRecord): Map<string, TaskRecord[]> {
    const bySlot = new Map<string, TaskRecord[]>();
    for (const task of this.tasksOf(service.id)) {
      if (task.desired !== 'running') continue;
      const key = slotKeyOf(task);
      const list = bySlot.get(key);
      if (list) list.push(task);
      else bySlot.set(key, [task]);
    }
    return bySlot;
  }

  private orchestrate(service: ServiceRecord): boolean {
    let changed = false;
    const live = this.liveBySlot(service);
    // Tasks that ended: keep them as history and decide, by restart policy, whether to replace them.
    for (const [slot, tasks] of live) {
      for (const task of tasks) {
        if (!isTerminal(task.state)) continue;
        this.setDesired(task, 'shutdown');
        changed = true;
        const policy = effectiveRestartPolicy(task.spec);
        const restarts = service.restarts.get(slot) ?? 0;
        const allowed = policy.Condition === 'any' || (policy.Condition === 'on-failure' && task.state !== 'complete');
        if (!allowed || (policy.MaxAttempts > 0 && restarts >= policy.MaxAttempts)) {
          service.retired.add(slot);
        } else {
          service.restarts.set(slot, restarts + 1);
          service.restartAt.set(slot, quantize(this.now + nsToMs(policy.Delay)));
        }
      }
    }
    // First, tasks on drained or lost nodes move: shut them down so their slots are filled elsewhere in this same pass.
    for (const tasks of live.values()) {
      for (const task of tasks) {
        if (task.desired !== 'running' || !task.nodeId) continue;
        const node = this.nodes.get(task.nodeId);
        if (!node || node.state !== 'ready' || node.spec.Availability === 'drain') {
          this.setDesired(task, 'shutdown');
          changed = true;
        }
      }
    }
    const updating = new Set(service.rollout?.workers.filter((w) => w.phase !== 'cooldown').map((w) => w.slot));
    const wants = (slot: string) => {
      if (updating.has(slot) || service.retired.has(slot)) return false;
      const at = service.restartAt.get(slot);
      if (at !== undefined && at > this.now) return false;
      service.restartAt.delete(slot);
      const tasks = (live.get(slot) ?? []).filter((t) => t.desired === 'running' && !isTerminal(t.state));
      return tasks.length === 0;
    };
    if (isGlobal(service.spec)) {
      const constraints = this.constraintsOf(service.spec);
      for (const node of this.nodes.values()) {
        const slot = `node:${node.id}`;
        const fits = node.state === 'ready' && node.spec.Availability !== 'drain' && matchesConstraints(toTarget(node), constraints);
        if (!fits) {
          for (const task of live.get(slot) ?? []) {
            this.setDesired(task, 'shutdown');
            changed = true;
          }
          continue;
        }
        if (node.spec.Availability === 'pause') continue;
        if (wants(slot)) {
          this.createTask(service, undefined, node.id);
          changed = true;
        }
      }
    } else {
      const replicas = replicasOf(service.spec);
      for (let slot = 1; slot <= replicas; slot++) {
        if (wants(String(slot))) {
          this.createTask(service, slot);
          changed = true;
        }
      }
      // Scale down: the highest slots go, their tasks marked for removal as the engine does.
      for (const [slot, tasks] of live) {
        if (Number(slot) > replicas) {
          for (const task of tasks) this.setDesired(task, 'remove');
          service.restartAt.delete(slot);
          service.retired.delete(slot);
          changed = true;
        }
      }
    }
    return changed;
  }

  private createTask(service: ServiceRecord, slot: number | undefined, nodeId?: string): TaskRecord {
    const task: TaskRecord = {
      id: this.random.id(),
      createdAt: this.now,
      updatedAt: this.now,
      version: ++this.index,
      serviceId: service.id,
      slot,
      spec: clone(service.spec.TaskTemplate ?? {}),
      key: service.key,
      desired: 'running',
      state: 'new',
      message: 'created',
      stateAt: this.now,
    };
    this.tasks.set(task.id, task);
    index(this.tasksByService, service.id, task);
    if (nodeId) task.nodeId = nodeId;
    this.setState(task, 'pending', 'pending task scheduling');
    this.pendingTasks.add(task);
    this.schedulerDirty = true;
    return task;
  }

  private setDesired(task: TaskRecord, desired: TaskState): void {
    if (task.desired === desired) return;
    task.desired = desired;
    this.touch(task);
    this.wake(task);
  }

  private setState(task: TaskRecord, state: TaskState, message: string, err?: string): void {
    task.state = state;
    task.message = message;
    task.err = err;
    task.stateAt = this.now;
    if (state === 'running') task.startedAt = this.now;
    if (isTerminal(state) && task.startedAt !== undefined && task.stoppedAt === undefined) task.stoppedAt = this.now;
    this.touch(task);
    this.wake(task);
    // Only running and ended tasks concern the orchestrator and the updater; the steps between do not.
    if (state === 'running' || isTerminal(state)) {
      const service = this.services.get(task.serviceId);
      if (service) this.dirty.add(service);
    }
  }

  /** Works out whether (and when) the agent has a next step for this task. */
  private wake(task: TaskRecord): void {
    task.nextAt = undefined;
    this.busyTasks.delete(task);
    if (isTerminal(task.state)) {
      this.pendingTasks.delete(task);
      return;
    }
    const node = task.nodeId ? this.nodes.get(task.nodeId) : undefined;
    const stopping = taskStateRank[task.desired] > taskStateRank.running;
    if (stopping) {
      this.pendingTasks.delete(task);
      // An unassigned task just ends; one on a lost node keeps its last state until the node is back.
      if (task.state === 'new' || task.state === 'pending' || !node) {
        this.finishStop(task);
        return;
      }
      if (node.state !== 'ready') return;
      task.nextAt = quantize(this.now + STOP_DELAY);
      this.busyTasks.add(task);
      return;
    }
    const delay = AGENT_DELAY[task.state];
    if (delay !== undefined && node && node.state === 'ready') {
      task.nextAt = quantize(this.now + delay);
      this.busyTasks.add(task);
    }
  }

  private finishStop(task: TaskRecord): void {
    if (task.state === 'running') task.exitCode = 0;
    this.setState(task, 'shutdown', 'shutdown');
  }

  private runAgents(): boolean {
    let changed = false;
    for (const task of [...this.busyTasks]) {
      if (task.nextAt === undefined || task.nextAt > this.now) continue;
      changed = true;
      if (taskStateRank[task.desired] > taskStateRank.running) {
        this.finishStop(task);
        continue;
      }
      const image = task.spec.ContainerSpec?.Image ?? '';
      switch (task.state) {
        case 'assigned':
          this.setState(task, 'accepted', 'accepted');
          break;
        case 'accepted':
          this.setState(task, 'preparing', 'preparing');
          break;
        case 'preparing':
          if (this.brokenImages.has(image)) this.setState(task, 'rejected', 'preparing', `No such image: ${image}`);
          else this.setState(task, 'starting', 'starting');
          break;
        case 'starting':
          task.containerId = this.random.containerId();
          task.pid = 1000 + this.random.int(60000);
          task.exitCode = 0;
          this.setState(task, 'running', 'started');
          break;
        default:
          this.wake(task);
      }
    }
    return changed;
  }

  // ---- scheduling ----------------------------------------------------------------------------

  private constraintsOf(spec: ServiceSpec): Constraint[] {
    try {
      return parseConstraints(spec.TaskTemplate?.Placement?.Constraints);
    } catch {
      return [];
    }
  }

  /** Places pending tasks: spread over eligible nodes, fewest tasks of the service first. */
  private schedule(): boolean {
    if (!this.schedulerDirty || this.pendingTasks.size === 0) {
      this.schedulerDirty = false;
      return false;
    }
    this.schedulerDirty = false;
    let changed = false;
    const load = new Map<string, number>();
    const reserved = new Map<string, { cpu: number; mem: number }>();
    for (const node of this.nodes.values()) {
      let count = 0;
      let cpu = 0;
      let mem = 0;
      for (const task of this.tasksOn(node.id)) {
        if (isTerminal(task.state) || task.desired !== 'running') continue;
        count++;
        cpu += task.spec.Resources?.Reservations?.NanoCPUs ?? 0;
        mem += task.spec.Resources?.Reservations?.MemoryBytes ?? 0;
      }
      load.set(node.id, count);
      reserved.set(node.id, { cpu, mem });
    }
    const byService = new Map<string, TaskRecord[]>();
    for (const task of this.pendingTasks) {
      if (task.desired !== 'running' || task.state !== 'pending') continue;
      const list = byService.get(task.serviceId);
      if (list) list.push(task);
      else byService.set(task.serviceId, [task]);
    }
    const nodes = [...this.nodes.values()];
    for (const [serviceId, tasks] of byService) {
      const service = this.services.get(serviceId);
      if (!service) continue;
      const constraints = this.constraintsOf(service.spec);
      const maxReplicas = service.spec.TaskTemplate?.Placement?.MaxReplicas ?? 0;
      const perNode = new Map<string, number>();
      for (const task of this.tasksOf(serviceId)) {
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
        index(this.tasksByNode, node.id, task);
        perNode.set(node.id, (perNode.get(node.id) ?? 0) + 1);
        load.set(node.id, (load.get(node.id) ?? 0) + 1);
        const used = reserved.get(node.id)!;
        used.cpu += cpu;
        used.mem += mem;
        this.pendingTasks.delete(task);
        this.setState(task, 'assigned', 'scheduler assigned task to node');
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
          this.touch(task);
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
      // Spread: fewest tasks of this service first, then fewest tasks overall, then node order.
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

  // ---- rolling updates -----------------------------------------------------------------------

  /** Slots whose running task is out of date with the service's template. */
  private outdatedSlots(service: ServiceRecord): string[] {
    const out: string[] = [];
    for (const [slot, tasks] of this.liveBySlot(service)) {
      if (tasks.some((t) => t.key !== service.key && !isTerminal(t.state))) out.push(slot);
    }
    return out.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  }

  private stepRollout(service: ServiceRecord): void {
    const rollout = service.rollout;
    if (!rollout || rollout.paused) return;
    const live = this.liveBySlot(service);
    // Watch window: an updated task that fails while monitored counts as a failure.
    for (const [taskId, until] of rollout.watch) {
      const task = this.tasks.get(taskId);
      if (task && (task.state === 'failed' || task.state === 'rejected')) {
        rollout.watch.delete(taskId);
        if (this.rolloutFailure(service, task)) return;
      } else if (!task || until <= this.now) rollout.watch.delete(taskId);
    }
    for (const worker of rollout.workers) {
      if (worker.phase === 'stopping') {
        const old = (live.get(worker.slot) ?? []).filter((t) => t.key !== service.key);
        const stillRunning = [...this.tasksOf(service.id)].some(
          (t) => slotKeyOf(t) === worker.slot && t.key !== service.key && !isTerminal(t.state) && this.nodes.get(t.nodeId ?? '')?.state === 'ready',
        );
        for (const task of old) this.setDesired(task, 'shutdown');
        if (!stillRunning) {
          const nodeId = worker.slot.startsWith('node:') ? worker.slot.slice(5) : undefined;
          worker.taskId = this.createTask(service, nodeId ? undefined : Number(worker.slot), nodeId).id;
          worker.phase = 'starting';
        }
      } else if (worker.phase === 'starting') {
        const task = this.tasks.get(worker.taskId ?? '');
        if (!task) {
          worker.phase = 'cooldown';
          worker.until = this.now;
        } else if (task.state === 'running') {
          if (rollout.config.Order === 'start-first') {
            for (const old of live.get(worker.slot) ?? []) if (old !== task) this.setDesired(old, 'shutdown');
          }
          rollout.watch.set(task.id, this.now + nsToMs(rollout.config.Monitor));
          worker.phase = 'cooldown';
          worker.until = this.now + nsToMs(rollout.config.Delay);
        } else if (isTerminal(task.state)) {
          worker.phase = 'cooldown';
          worker.until = this.now + nsToMs(rollout.config.Delay);
          if (this.rolloutFailure(service, task)) return;
        }
      }
    }
    rollout.workers = rollout.workers.filter((w) => !(w.phase === 'cooldown' && (w.until ?? 0) <= this.now));
    const busy = new Set(rollout.workers.map((w) => w.slot));
    const parallelism = rollout.config.Parallelism || Infinity;
    const todo = this.outdatedSlots(service).filter((slot) => !busy.has(slot));
    while (rollout.workers.length < parallelism && todo.length > 0) {
      const slot = todo.shift()!;
      const worker: Worker = { slot, phase: 'stopping' };
      if (rollout.config.Order === 'start-first') {
        const nodeId = slot.startsWith('node:') ? slot.slice(5) : undefined;
        worker.taskId = this.createTask(service, nodeId ? undefined : Number(slot), nodeId).id;
        worker.phase = 'starting';
      } else {
        for (const old of live.get(slot) ?? []) this.setDesired(old, 'shutdown');
      }
      rollout.workers.push(worker);
      this.dirty.add(service);
    }
    if (rollout.workers.length === 0 && todo.length === 0 && rollout.watch.size === 0) {
      const oldState = service.updateStatus?.State;
      service.updateStatus = {
        State: rollout.rollback ? 'rollback_completed' : 'completed',
        StartedAt: service.updateStatus?.StartedAt,
        CompletedAt: iso(this.now),
        Message: rollout.rollback ? 'rollback completed' : 'update completed',
      };
      service.rollout = undefined;
      this.touch(service);
      this.emitUpdateState(service, oldState);
    }
  }

  /** Counts a failed task against the rollout; returns true when the rollout stopped or reversed. */
  private rolloutFailure(service: ServiceRecord, task: TaskRecord): boolean {
    const rollout = service.rollout!;
    rollout.failures++;
    const ratio = rollout.failures / Math.max(1, rollout.total);
    if (ratio <= rollout.config.MaxFailureRatio || rollout.config.FailureAction === 'continue') return false;
    const oldState = service.updateStatus?.State;
    if (rollout.config.FailureAction === 'rollback' && !rollout.rollback && service.previousSpec) {
      service.rollout = undefined;
      this.applySpec(service, service.previousSpec, 'auto-rollback', `update rolled back due to failure or early termination of task ${task.id}`);
      return true;
    }
    rollout.paused = true;
    service.updateStatus = {
      State: rollout.rollback ? 'rollback_paused' : 'paused',
      StartedAt: service.updateStatus?.StartedAt,
      Message: `${rollout.rollback ? 'rollback' : 'update'} paused due to failure or early termination of task ${task.id}`,
    };
    this.touch(service);
    this.emitUpdateState(service, oldState);
    return true;
  }

  // ---- history -------------------------------------------------------------------------------

  /** Keeps 5 tasks per slot (TaskHistoryRetentionLimit) and deletes removed tasks once stopped. */
  private reap(services: Iterable<ServiceRecord>): void {
    const limit = 5;
    const ids = new Set<string>([...services].map((s) => s.id));
    for (const [serviceId, tasks] of this.tasksByService) {
      const alive = this.services.has(serviceId);
      if (alive && !ids.has(serviceId)) continue;
      const bySlot = new Map<string, TaskRecord[]>();
      for (const task of tasks) {
        if (isTerminal(task.state) && (task.desired === 'remove' || !alive)) {
          this.deleteTask(task);
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
        for (let i = 0; i < list.length - limit && i < old.length; i++) this.deleteTask(old[i]);
      }
      if (!alive && tasks.size === 0) this.tasksByService.delete(serviceId);
    }
  }

  private deleteTask(task: TaskRecord): void {
    this.tasks.delete(task.id);
    this.tasksByService.get(task.serviceId)?.delete(task);
    if (task.nodeId) this.tasksByNode.get(task.nodeId)?.delete(task);
    this.busyTasks.delete(task);
    this.pendingTasks.delete(task);
  }
}

/** A binary min-heap keyed by a score read when an item is pushed. */
class MinHeap<T> {
  private readonly items: { item: T; key: number }[] = [];
  constructor(private readonly score: (item: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push({ item, key: this.score(item) });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].key <= items[i].key) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0].item;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && items[l].key < items[m].key) m = l;
        if (r < items.length && items[r].key < items[m].key) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top;
  }
}

function index(map: Map<string, Set<TaskRecord>>, key: string, task: TaskRecord): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(task);
}

/** A node as placement constraints see it. */
export function toTarget(node: NodeRecord) {
  return { id: node.id, hostname: node.hostname, role: node.spec.Role, labels: node.spec.Labels ?? {} };
}

/** RFC 3339 time, as the engine writes it. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
