/** Engine API shapes (v1.41) the simulator keeps and serves; only the fields it reasons about are typed. */

/** A Swarm task state, in lifecycle order (swarmkit's TaskState). */
export type TaskState =
  | 'new'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

/** Numeric ranks of task states, as swarmkit orders them, so states compare with < and >. */
export const taskStateRank: Record<TaskState, number> = {
  new: 0,
  pending: 64,
  assigned: 192,
  accepted: 256,
  preparing: 320,
  ready: 384,
  starting: 448,
  running: 512,
  complete: 576,
  shutdown: 640,
  failed: 704,
  rejected: 768,
  remove: 800,
  orphaned: 832,
};

/** True once a task can no longer run. */
export const isTerminal = (state: TaskState) => taskStateRank[state] > taskStateRank.running;

/** ContainerSpec, TaskTemplate, ServiceSpec and friends, loosely typed as clients send them. */
export interface ContainerSpec {
  Image?: string;
  Args?: string[];
  Command?: string[];
  Env?: string[];
  Labels?: Record<string, string>;
  TTY?: boolean;
  [key: string]: unknown;
}

/** The template every task of a service is made from. */
export interface TaskTemplate {
  ContainerSpec?: ContainerSpec;
  Resources?: {
    Limits?: { NanoCPUs?: number; MemoryBytes?: number };
    Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
  };
  RestartPolicy?: { Condition?: 'none' | 'on-failure' | 'any'; Delay?: number; MaxAttempts?: number; Window?: number };
  Placement?: { Constraints?: string[]; Preferences?: unknown[]; MaxReplicas?: number };
  Networks?: { Target: string; Aliases?: string[] }[];
  ForceUpdate?: number;
  Runtime?: string;
  [key: string]: unknown;
}

/** UpdateConfig / RollbackConfig. */
export interface UpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: 'continue' | 'pause' | 'rollback';
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: 'stop-first' | 'start-first';
}

/** A port published by a service. */
export interface PortConfig {
  Name?: string;
  Protocol?: 'tcp' | 'udp' | 'sctp';
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: 'ingress' | 'host';
}

/** The desired state of a service, as the client sends and gets it. */
export interface ServiceSpec {
  Name?: string;
  Labels?: Record<string, string>;
  TaskTemplate?: TaskTemplate;
  Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  Networks?: { Target: string }[];
  EndpointSpec?: { Mode?: 'vip' | 'dnsrr'; Ports?: PortConfig[] };
  [key: string]: unknown;
}

/** UpdateStatus, as the engine reports it. */
export interface UpdateStatus {
  State: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  StartedAt?: string;
  CompletedAt?: string;
  Message: string;
}

/** A node's spec. */
export interface NodeSpec {
  Name?: string;
  Labels?: Record<string, string>;
  Role: 'manager' | 'worker';
  Availability: 'active' | 'pause' | 'drain';
}
