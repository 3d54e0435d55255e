import { errors } from '../errors.js';
import { isGlobal, replicasOf } from '../model/spec.js';
import { iso, type NodeRecord, type ServiceRecord, type Swarm, type TaskRecord } from '../model/swarm.js';

/** The engine version the simulator reports; the suffix tells a user which engine they are on. */
export const ENGINE_VERSION = '20.10.24-swarmdeck-sim';
/** The API version served, as the 20.10 engine the simulator models. */
export const API_VERSION = '1.41';

const TLS_INFO = {
  TrustRoot: '-----BEGIN CERTIFICATE-----\nswarmdeck-simulator\n-----END CERTIFICATE-----\n',
  CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh',
  CertIssuerPublicKey: 'c3dhcm1kZWNrLXNpbXVsYXRvcg==',
};

const PLUGINS = [
  ...['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'logentries', 'splunk', 'syslog'].map((Name) => ({ Type: 'Log', Name })),
  ...['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'].map((Name) => ({ Type: 'Network', Name })),
  { Type: 'Volume', Name: 'local' },
];

/** GET /nodes/{id}. */
export function nodeJson(node: NodeRecord) {
  return {
    ID: node.id,
    Version: { Index: node.version },
    CreatedAt: iso(node.createdAt),
    UpdatedAt: iso(node.updatedAt),
    Spec: node.spec,
    Description: {
      Hostname: node.hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: node.nanoCpus, MemoryBytes: node.memoryBytes },
      Engine: { EngineVersion: node.engineVersion, Plugins: PLUGINS },
      TLSInfo: TLS_INFO,
    },
    Status: { State: node.state, ...(node.message ? { Message: node.message } : {}), Addr: node.addr },
    ...(node.spec.Role === 'manager'
      ? {
          ManagerStatus: {
            ...(node.leader ? { Leader: true } : {}),
            Reachability: node.reachability,
            Addr: `${node.addr}:2377`,
          },
        }
      : {}),
  };
}

/** GET /services/{id}, and a /services list entry (with ServiceStatus when status=true). */
export function serviceJson(swarm: Swarm, service: ServiceRecord, withStatus: boolean, spec = service.spec) {
  const ingress = [...swarm.networks.values()].find((n) => n.Ingress === true);
  // As the engine reports it: an empty Endpoint.Spec until ports are published (even for dnsrr).
  const endpoint: Record<string, unknown> = { Spec: {} };
  if (service.ports.length > 0) {
    endpoint.Spec = { Mode: service.spec.EndpointSpec?.Mode ?? 'vip', Ports: service.ports };
    endpoint.Ports = service.ports;
    endpoint.VirtualIPs = [{ NetworkID: ingress?.ID ?? '', Addr: `10.0.0.${(service.version % 250) + 2}/24` }];
  }
  return {
    ID: service.id,
    Version: { Index: service.version },
    CreatedAt: iso(service.createdAt),
    UpdatedAt: iso(service.updatedAt),
    Spec: spec,
    ...(service.previousSpec ? { PreviousSpec: service.previousSpec } : {}),
    Endpoint: endpoint,
    ...(service.updateStatus ? { UpdateStatus: service.updateStatus } : {}),
    ...(withStatus ? { ServiceStatus: serviceStatus(swarm, service) } : {}),
  };
}

/** ServiceStatus: running counts every running task, desired is Replicas (global: tasks meant to run). */
export function serviceStatus(swarm: Swarm, service: ServiceRecord) {
  let running = 0;
  let desiredGlobal = 0;
  let completed = 0;
  for (const task of swarm.tasksOf(service.id)) {
    if (task.state === 'running') running++;
    if (task.desired === 'running') desiredGlobal++;
    if (task.state === 'complete') completed++;
  }
  return {
    RunningTasks: running,
    DesiredTasks: isGlobal(service.spec) ? desiredGlobal : replicasOf(service.spec),
    CompletedTasks: completed,
  };
}

/** GET /tasks/{id}. */
export function taskJson(swarm: Swarm, task: TaskRecord) {
  const service = swarm.services.get(task.serviceId);
  const container = task.containerId
    ? { ContainerStatus: { ContainerID: task.containerId, PID: task.state === 'running' ? (task.pid ?? 0) : 0, ExitCode: task.exitCode ?? 0 } }
    : {};
  return {
    ID: task.id,
    Version: { Index: task.version },
    CreatedAt: iso(task.createdAt),
    UpdatedAt: iso(task.updatedAt),
    Labels: {},
    Spec: task.spec,
    ServiceID: task.serviceId,
    ...(task.slot !== undefined ? { Slot: task.slot } : {}),
    ...(task.nodeId ? { NodeID: task.nodeId } : {}),
    Status: {
      Timestamp: iso(task.stateAt),
      State: task.state,
      Message: task.message,
      ...(task.err ? { Err: task.err } : {}),
      ...container,
      PortStatus: {},
    },
    DesiredState: task.desired,
    ...(service && service.ports.length > 0
      ? {
          NetworksAttachments: [
            { Network: { ID: [...swarm.networks.values()].find((n) => n.Ingress === true)?.ID ?? '' }, Addresses: [`10.0.0.${(task.version % 250) + 2}/24`] },
          ],
        }
      : {}),
  };
}

/** The cluster object inside /swarm and /info. */
function clusterJson(swarm: Swarm) {
  return {
    ID: swarm.clusterId,
    Version: { Index: swarm.index },
    CreatedAt: iso(swarm.createdAt),
    UpdatedAt: iso(swarm.createdAt),
    Spec: {
      Name: 'default',
      Labels: {},
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
      Dispatcher: { HeartbeatPeriod: 5000000000 },
      CAConfig: { NodeCertExpiry: 7776000000000000 },
      TaskDefaults: {},
      EncryptionConfig: { AutoLockManagers: false },
    },
    TLSInfo: TLS_INFO,
    RootRotationInProgress: false,
    DefaultAddrPool: ['10.0.0.0/8'],
    SubnetSize: 24,
    DataPathPort: 4789,
  };
}

/** GET /swarm (with join tokens, as a manager shows them). */
export function swarmJson(swarm: Swarm) {
  const token = (kind: string) => `SWMTKN-1-${swarm.clusterId}simulated${kind}token-${swarm.clusterId.slice(0, 12)}`;
  return { ...clusterJson(swarm), JoinTokens: { Worker: token('worker'), Manager: token('manager') } };
}

/** GET /info: the engine, and the Swarm section the CLI reads (NodeID marks `docker node ls`'s `*`). */
export function infoJson(swarm: Swarm, now: number) {
  const self = swarm.nodes.get(swarm.selfId);
  const managers = swarm.managers();
  const running = [...swarm.tasksOn(swarm.selfId)].filter((t) => t.state === 'running').length;
  return {
    ID: 'SWRM:DECK:SIMU:LATE:D000:0000:0000:0000:0000:0000:0000:0001',
    Containers: running,
    ContainersRunning: running,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: new Set([...swarm.tasksOn(swarm.selfId)].map((t) => t.spec.ContainerSpec?.Image)).size,
    Driver: 'overlay2',
    DriverStatus: [],
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'], Authorization: null, Log: ['json-file', 'local'] },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: false,
    NFd: 42,
    OomKillDisable: true,
    NGoroutines: 180,
    SystemTime: iso(now),
    LoggingDriver: 'json-file',
    CgroupDriver: 'systemd',
    CgroupVersion: '2',
    NEventsListener: 0,
    KernelVersion: '6.1.0-swarmdeck',
    OperatingSystem: 'swarmdeck simulated swarm',
    OSVersion: '12',
    OSType: 'linux',
    Architecture: 'x86_64',
    IndexServerAddress: 'https://index.docker.io/v1/',
    NCPU: Math.round((self?.nanoCpus ?? 2e9) / 1e9),
    MemTotal: self?.memoryBytes ?? 0,
    DockerRootDir: '/var/lib/docker',
    Name: self?.hostname ?? 'simulator',
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: { runc: { path: 'runc' } },
    DefaultRuntime: 'runc',
    Swarm:
      swarm.engineRole === 'inactive'
        ? { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null }
        : {
            NodeID: swarm.selfId,
            NodeAddr: self?.addr ?? '',
            LocalNodeState: 'active',
            ControlAvailable: swarm.engineRole === 'manager' && self?.spec.Role === 'manager',
            Error: '',
            RemoteManagers: managers.map((m) => ({ NodeID: m.id, Addr: `${m.addr}:2377` })),
            // Without a leader the engine reports the error here and leaves out the counts and the cluster.
            ...(swarm.hasLeader() ? { Nodes: swarm.nodes.size, Managers: managers.length, Cluster: clusterJson(swarm) } : { Error: errors.noLeader().message }),
          },
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: 'docker-init',
    SecurityOptions: ['name=seccomp,profile=default'],
    Warnings: null,
  };
}

/** GET /version. */
export function versionJson() {
  const details = {
    ApiVersion: API_VERSION,
    Arch: 'amd64',
    Experimental: 'false',
    GitCommit: 'swarmdeck',
    GoVersion: 'go1.19.8',
    KernelVersion: '6.1.0-swarmdeck',
    MinAPIVersion: '1.12',
    Os: 'linux',
  };
  return {
    Platform: { Name: 'swarmdeck simulated swarm' },
    Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: details }],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: '1.12',
    GitCommit: 'swarmdeck',
    GoVersion: 'go1.19.8',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.1.0-swarmdeck',
    BuildTime: '2026-11-22T00:00:00.000000000+00:00',
  };
}
