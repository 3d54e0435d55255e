import type { NodeSpec, ServiceSpec, TaskState, TaskTemplate, UpdateConfig, UpdateStatus } from './types.js';

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
  ports: { Protocol: string; TargetPort: number; PublishedPort?: number; PublishMode: string; Name?: string }[];
  /** What the manager's allocator last allocated for the service (undefined until it had ports or networks): the endpoint spec it copied and the networks given a virtual IP. */
  endpoint?: { spec: Record<string, unknown>; networks: string[] };
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
  /** The service's name when the task was made: its container's name keeps it (dockerd names a container once). */
  serviceName?: string;
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
  /** The kernel killed its container for memory (the leak drill): exit 137. */
  oomKilled?: boolean;
  startedAt?: number;
  stoppedAt?: number;
}

export interface Worker {
  slot: string;
  phase: 'stopping' | 'starting' | 'cooldown';
  taskId?: string;
  until?: number;
}

/** The state of a rolling update or rollback in progress. */
export interface Rollout {
  rollback: boolean;
  config: Required<UpdateConfig>;
  workers: Worker[];
  failures: number;
  total: number;
  /** Updated tasks being watched for failure until the monitor period ends. */
  watch: Map<string, number>;
  paused: boolean;
}

/**
 * An event, as /events streams it: of the swarm (every manager streams it), or of one node's engine
 * (a container's, scope local: only that node's engine streams it, found by the container's
 * com.docker.swarm.node.id label). Container events carry the old status, id and from fields too.
 */
export interface SwarmEvent {
  status?: string;
  id?: string;
  from?: string;
  Type: 'service' | 'node' | 'secret' | 'config' | 'network' | 'container';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'swarm' | 'local';
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
  /** The address the node advertises (default: one made up from its position). */
  addr?: string;
}

/** A generic object (network, secret, config) served as stored. */
export interface PlainObject {
  ID: string;
  [key: string]: unknown;
}

export const TICK = 100;
export const ENGINE_VERSION = '20.10.24-swarmdeck-sim';
export const EVENT_LOG_LIMIT = 10_000;
/** Agent step durations, ms: how long a task stays in each state on a healthy node. */
export const AGENT_DELAY: Partial<Record<TaskState, number>> = {
  assigned: 100,
  accepted: 100,
  preparing: 400,
  starting: 300,
};
export const STOP_DELAY = 300;
export const quantize = (t: number) => Math.ceil(t / TICK) * TICK;
export const slotKeyOf = (task: TaskRecord) => (task.slot !== undefined ? String(task.slot) : `node:${task.nodeId}`);

/** Adds a task to an index of task sets. */
export function index(map: Map<string, Set<TaskRecord>>, key: string, task: TaskRecord): void {
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

/** The cluster settings `swarm init` takes and `/swarm` shows. */
export interface ClusterRecord {
  version: number;
  updatedAt: number;
  spec: Record<string, unknown>;
  /** The CA digest half of both join tokens (changes only with a CA rotation, which the simulator does not do). */
  caDigest: string;
  workerSecret: string;
  managerSecret: string;
  /** SWMKEY-1-..., while autolock is on. */
  unlockKey: string;
  defaultAddrPool: string[];
  subnetSize: number;
  dataPathPort: number;
}
