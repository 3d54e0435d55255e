import { errors } from '../errors.js';
import { joinToken } from '../model/cluster.js';
import type { EngineRecord, Fleet } from '../model/fleet.js';
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
  // As the engine reports it: an empty Endpoint.Spec until the allocator has seen ports or networks;
  // then the endpoint spec it copied, the ports it assigned, and a virtual IP on the ingress network
  // (for ingress ports) and on each attached network, none with dnsrr.
  const allocated = service.endpoint;
  const endpoint: Record<string, unknown> = { Spec: allocated?.spec ?? {} };
  const vips: { NetworkID: string; Addr: string }[] = [];
  const octet = (service.version % 250) + 2;
  if (service.ports.length > 0) endpoint.Ports = service.ports;
  if (allocated && allocated.spec.Mode !== 'dnsrr' && service.ports.some((p) => p.PublishMode === 'ingress')) {
    vips.push({ NetworkID: String(ingress?.ID ?? ''), Addr: `10.0.0.${octet}/24` });
  }
  for (const target of allocated?.networks ?? []) {
    const network = swarm.networks.get(target);
    const subnet = String((network?.IPAM as { Config?: { Subnet?: string }[] } | undefined)?.Config?.[0]?.Subnet ?? '10.0.1.0/24');
    vips.push({ NetworkID: target, Addr: subnet.replace(/\.0\/(\d+)$/, `.${octet}/$1`) });
  }
  if (vips.length > 0) endpoint.VirtualIPs = vips;
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
  const cluster = swarm.cluster;
  return {
    ID: swarm.clusterId,
    Version: { Index: cluster.version },
    CreatedAt: iso(swarm.createdAt),
    UpdatedAt: iso(cluster.updatedAt),
    Spec: cluster.spec,
    TLSInfo: TLS_INFO,
    RootRotationInProgress: false,
    DefaultAddrPool: cluster.defaultAddrPool,
    SubnetSize: cluster.subnetSize,
    DataPathPort: cluster.dataPathPort,
  };
}

/** GET /swarm (with join tokens, as a manager shows them). */
export function swarmJson(_fleet: Fleet, swarm: Swarm) {
  return { ...clusterJson(swarm), JoinTokens: { Worker: joinToken(swarm.cluster, 'worker'), Manager: joinToken(swarm.cluster, 'manager') } };
}

/** The Swarm section of /info, as the engine's place in a swarm makes it. */
function swarmInfo(engine: EngineRecord) {
  const swarm = engine.swarm;
  const node = swarm?.nodes.get(engine.nodeId ?? '');
  if (engine.state === 'locked') {
    return { NodeID: '', NodeAddr: engine.addr, LocalNodeState: 'locked', ControlAvailable: false, Error: errors.locked().message, RemoteManagers: null };
  }
  if (engine.state === 'error') {
    return { NodeID: '', NodeAddr: engine.addr, LocalNodeState: 'error', ControlAvailable: false, Error: engine.error ?? '', RemoteManagers: null };
  }
  if (!swarm || !node) return { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null };
  const managers = swarm.managers();
  const manager = node.spec.Role === 'manager';
  return {
    NodeID: node.id,
    NodeAddr: node.addr,
    LocalNodeState: 'active',
    ControlAvailable: manager,
    Error: '',
    RemoteManagers: managers.map((m) => ({ NodeID: m.id, Addr: `${m.addr}:2377` })),
    // A worker, and a manager without a leader (which reports the error), leave out the counts and the cluster.
    ...(!manager
      ? {}
      : swarm.hasLeader()
        ? { Nodes: swarm.nodes.size, Managers: managers.length, Cluster: clusterJson(swarm) }
        : { Error: errors.noLeader().message }),
  };
}

/** GET /info: the engine, and the Swarm section the CLI reads (NodeID marks `docker node ls`'s `*`). */
export function infoJson(engine: EngineRecord, now: number) {
  const swarm = engine.swarm;
  const self = swarm?.nodes.get(engine.nodeId ?? '');
  const tasks = swarm && self ? [...swarm.tasksOn(self.id)] : [];
  const running = tasks.filter((t) => t.state === 'running').length;
  return {
    ID: 'SWRM:DECK:SIMU:LATE:D000:0000:0000:0000:0000:0000:0000:0001',
    Containers: running,
    ContainersRunning: running,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: new Set([...engine.images, ...tasks.map((t) => t.spec.ContainerSpec?.Image)]).size,
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
    Name: engine.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: { runc: { path: 'runc' } },
    DefaultRuntime: 'runc',
    Swarm: swarmInfo(engine),
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
