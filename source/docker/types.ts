/** The Engine API fields the console reads (v1.41). Plain data: the UI and store import these, never dockerode. */

/** A swarm node. */
export interface SwarmNode {
  ID: string;
  Version: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: { Name?: string; Labels?: Record<string, string>; Role: 'manager' | 'worker'; Availability: 'active' | 'pause' | 'drain' };
  Description?: {
    Hostname?: string;
    Platform?: { Architecture?: string; OS?: string };
    Resources?: { NanoCPUs?: number; MemoryBytes?: number };
    Engine?: { EngineVersion?: string };
  };
  Status: { State: string; Message?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** A service spec, loosely typed beyond what the console reads. */
export interface ServiceSpec {
  Name?: string;
  Labels?: Record<string, string>;
  TaskTemplate?: {
    ContainerSpec?: { Image?: string; Env?: string[]; Args?: string[]; TTY?: boolean; [key: string]: unknown };
    ForceUpdate?: number;
    Placement?: { Constraints?: string[]; MaxReplicas?: number };
    [key: string]: unknown;
  };
  Mode?: { Replicated?: { Replicas?: number }; Global?: object };
  UpdateConfig?: { Parallelism?: number; FailureAction?: string; MaxFailureRatio?: number; Monitor?: number; Delay?: number; Order?: string };
  EndpointSpec?: { Mode?: string; Ports?: PortConfig[] };
  [key: string]: unknown;
}

/** A published port. */
export interface PortConfig {
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
  PublishMode?: string;
}

/** A swarm service. */
export interface SwarmService {
  ID: string;
  Version: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  Endpoint?: { Ports?: PortConfig[] };
  UpdateStatus?: { State: string; StartedAt?: string; CompletedAt?: string; Message?: string };
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
  /**
   * Added by the console, not the daemon: the tasks still reported running on nodes that are down.
   * dockerd counts them in RunningTasks (a service of 3 shows 4/3 after one is replaced); the
   * console leaves them out of RunningTasks, as `docker service ls` does, and says them apart.
   */
  OnDownNodes?: { tasks: number; nodes: string[] };
  /** Added by the console: containers of this service that exited in the last RESTART_WINDOW, from its task history (see sync/restarts). */
  Restarts?: ServiceRestarts;
}

/** A service's recent container exits, counted from its task history. */
export interface ServiceRestarts {
  count: number;
  /** The most of them in one slot (one node, for a global service): a crash loop restarts the same slot. */
  worstSlot: number;
  /** The newest exit's error and time (ms). */
  lastError?: string;
  lastAt?: number;
  /** A slot holds as many ended tasks as dockerd keeps: there may have been more (count is a floor); every: ms between the kept exits. */
  capped?: boolean;
  every?: number;
}

/** A swarm task. */
export interface SwarmTask {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status: { Timestamp?: string; State: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  DesiredState: string;
}

/** The parts of /info the header shows. */
export interface EngineInfo {
  ServerVersion?: string;
  /** The engine's clock: event times are the engine's, not ours. */
  SystemTime?: string;
  Name?: string;
  Swarm?: {
    NodeID?: string;
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    Managers?: number;
    Nodes?: number;
    Error?: string;
  };
}

/** A swarm event from /events. */
export interface SwarmEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** A network, config or secret: listed by name, inspected whole. The console reads these fields. */
export interface SwarmObject {
  ID?: string;
  Id?: string;
  Name?: string;
  CreatedAt?: string;
  Created?: string;
  UpdatedAt?: string;
  Driver?: string;
  Scope?: string;
  Attachable?: boolean;
  Ingress?: boolean;
  Labels?: Record<string, string>;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
  Spec?: { Name?: string; Labels?: Record<string, string>; Driver?: { Name?: string }; [key: string]: unknown };
  [key: string]: unknown;
}

/** The kinds of swarm objects the resource views list. */
export type ResourceKind = 'networks' | 'configs' | 'secrets';

/** GET /swarm: the cluster's own object, with its join tokens. */
export interface SwarmInfo {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: Record<string, unknown>;
  JoinTokens?: { Worker?: string; Manager?: string };
  [key: string]: unknown;
}
