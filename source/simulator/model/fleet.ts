/**
 * The simulated machines: one engine (a dockerd) per host, each in a swarm or not. `swarm init`
 * makes a new Swarm model with this engine's node as its leader; `join` adds the engine's node to
 * the swarm a remote address names; `leave` takes it out. Like the Swarm, it has no I/O.
 */
import { ApiError, errors } from '../errors.js';
import { autolockOn, mergeSpec, newUnlockKey, tokenFingerprint } from './cluster.js';
import { networkObject } from './objects.js';
import type { PlainObject } from './records.js';
import { Random } from './random.js';
import { Swarm } from './swarm.js';

/** One engine's own state: its host, its local networks and images, and its place in a swarm. */
export interface EngineRecord {
  hostname: string;
  /** The address the engine has on the simulated network (what `--advertise-addr` defaults to). */
  addr: string;
  swarm?: Swarm;
  nodeId?: string;
  /** LocalNodeState as /info reports it. */
  state: 'inactive' | 'active' | 'locked' | 'error';
  /** Why a join did not complete (state error). */
  error?: string;
  localNetworks: Map<string, PlainObject>;
  /** Images this engine has besides those its tasks use (docker pull is offline; the scenario seeds these). */
  images: Set<string>;
}

const rpc = (code: string, desc: string) => `rpc error: code = ${code} desc = ${desc}`;

/** The engine's messages for swarm membership, from a real 20.10 engine. */
export const membershipErrors = {
  alreadyInSwarm: () => new ApiError(503, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.'),
  notInSwarm: () => new ApiError(503, 'This node is not part of a swarm'),
  leaveLastManager: () =>
    new ApiError(
      503,
      'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ',
    ),
  leaveManager: (left: number, total: number) =>
    new ApiError(
      503,
      `You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves ${left} managers out of ${total}. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`,
    ),
  invalidToken: () => new ApiError(500, 'invalid join token'),
  wrongSecret: () => new ApiError(400, rpc('InvalidArgument', 'A valid join token is necessary to join this cluster')),
  wrongCa: (fingerprint: string) => new ApiError(500, `remote CA does not match fingerprint. Expected: ${fingerprint}`),
  joinTimeout: () =>
    new ApiError(
      503,
      'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.',
    ),
  locked: errors.locked,
  notLocked: () => new ApiError(409, 'swarm is not locked'),
  badUnlockKey: () => new ApiError(400, 'invalid key string'),
  wrongUnlockKey: () => new ApiError(400, 'swarm could not be unlocked: invalid key'),
};

/** What `swarm init` takes. */
export interface InitRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  DataPathAddr?: string;
  DataPathPort?: number;
  DefaultAddrPool?: string[];
  SubnetSize?: number;
  ForceNewCluster?: boolean;
  AutoLockManagers?: boolean;
  Spec?: Record<string, unknown>;
}

/** What `swarm join` takes. */
export interface JoinRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  RemoteAddrs?: string[];
  JoinToken?: string;
}

/** The hosts of the simulation and the swarms they form. */
export class Fleet {
  readonly engines = new Map<string, EngineRecord>();
  readonly random: Random;

  constructor(
    public now: number,
    private readonly seed = 1,
  ) {
    this.random = new Random(seed + 104729);
  }

  /** Every swarm some engine is in. */
  swarms(): Swarm[] {
    return [...new Set([...this.engines.values()].flatMap((e) => (e.swarm ? [e.swarm] : [])))];
  }

  /** Adds an engine (a host), not in any swarm unless `swarm` and `nodeId` say it is. */
  addEngine(hostname: string, member?: { swarm: Swarm; nodeId: string }): EngineRecord {
    const n = this.engines.size + 1;
    const addr = member?.swarm.nodes.get(member.nodeId)?.addr ?? `192.168.${100 + Math.floor(n / 250)}.${(n % 250) + 10}`;
    const engine: EngineRecord = { hostname, addr, state: member ? 'active' : 'inactive', localNetworks: new Map(), images: new Set(), ...member };
    this.addLocalNetwork(engine, 'bridge', 'bridge', '172.17.0.0/16');
    this.addLocalNetwork(engine, 'host', 'host');
    this.addLocalNetwork(engine, 'none', 'null');
    if (member) this.addLocalNetwork(engine, 'docker_gwbridge', 'bridge', '172.18.0.0/16');
    this.engines.set(hostname, engine);
    return engine;
  }

  /** Runs every swarm's clock forward. */
  advanceTo(target: number): void {
    this.now = Math.max(this.now, target);
    for (const swarm of this.swarms()) swarm.advanceTo(target);
  }

  /** POST /swarm/init: a new swarm, this engine its first manager and leader. Returns the node id. */
  init(engine: EngineRecord, request: InitRequest): string {
    if (engine.state !== 'inactive') throw membershipErrors.alreadyInSwarm();
    const swarm = new Swarm({ seed: this.seed + this.engines.size * 7919 + this.swarms().length + 1, now: this.now });
    const advertise = ipOf(request.AdvertiseAddr) ?? ipOf(request.ListenAddr) ?? engine.addr;
    swarm.batch(() => {
      swarm.addNetwork({ Name: 'ingress', Driver: 'overlay', Ingress: true, Labels: null as never });
      const node = swarm.addNode({ hostname: engine.hostname, role: 'manager', addr: advertise });
      swarm.selfId = node.id;
      engine.nodeId = node.id;
    });
    const cluster = swarm.cluster;
    if (request.Spec) cluster.spec = mergeSpec(cluster.spec, request.Spec);
    if (request.AutoLockManagers) cluster.spec = mergeSpec(cluster.spec, { EncryptionConfig: { AutoLockManagers: true } });
    if (autolockOn(cluster.spec)) cluster.unlockKey = newUnlockKey(swarm);
    if (request.DefaultAddrPool && request.DefaultAddrPool.length > 0) cluster.defaultAddrPool = [...request.DefaultAddrPool];
    if (request.SubnetSize) cluster.subnetSize = request.SubnetSize;
    if (request.DataPathPort) cluster.dataPathPort = request.DataPathPort;
    engine.swarm = swarm;
    engine.addr = advertise;
    engine.state = 'active';
    if (!this.hasLocal(engine, 'docker_gwbridge')) this.addLocalNetwork(engine, 'docker_gwbridge', 'bridge', '172.18.0.0/16');
    return engine.nodeId!;
  }

  /** POST /swarm/join: the token says the role, a remote address which swarm. */
  join(engine: EngineRecord, request: JoinRequest): void {
    if (engine.state === 'active' || engine.state === 'locked') throw membershipErrors.alreadyInSwarm();
    const swarm = this.swarmAt(request.RemoteAddrs ?? []);
    if (!swarm) {
      engine.state = 'error';
      engine.error = `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp ${(request.RemoteAddrs ?? [''])[0]}: connect: no route to host"`;
      throw membershipErrors.joinTimeout();
    }
    const token = /^SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})$/.exec(request.JoinToken ?? '');
    if (!token) throw membershipErrors.invalidToken();
    const cluster = swarm.cluster;
    if (token[1] !== cluster.caDigest) throw membershipErrors.wrongCa(tokenFingerprint(token[1]));
    const role = token[2] === cluster.managerSecret ? 'manager' : token[2] === cluster.workerSecret ? 'worker' : undefined;
    if (!role) throw membershipErrors.wrongSecret();
    swarm.requireLeader();
    const advertise = ipOf(request.AdvertiseAddr) ?? engine.addr;
    // A host that joins again comes back as a new node, as a real engine does after leaving.
    const node = swarm.addNode({ hostname: engine.hostname, role, addr: advertise });
    swarm.emit('node', 'create', node.id, { name: engine.hostname });
    engine.swarm = swarm;
    engine.nodeId = node.id;
    engine.addr = advertise;
    engine.state = 'active';
    engine.error = undefined;
    if (!this.hasLocal(engine, 'docker_gwbridge')) this.addLocalNetwork(engine, 'docker_gwbridge', 'bridge', '172.18.0.0/16');
  }

  /** POST /swarm/leave: a worker leaves (its node goes down); a manager only with force, or when others keep quorum. */
  leave(engine: EngineRecord, force: boolean): void {
    if (engine.state === 'error') {
      if (!force) throw membershipErrors.notInSwarm();
      this.reset(engine);
      return;
    }
    const swarm = engine.swarm;
    if (!swarm || engine.state === 'inactive') throw membershipErrors.notInSwarm();
    const node = swarm.nodes.get(engine.nodeId ?? '');
    if (node && node.spec.Role === 'manager' && !force) {
      const managers = swarm.managers();
      const reachable = managers.filter((m) => m.reachability === 'reachable').length;
      if (managers.length <= 1) throw membershipErrors.leaveLastManager();
      throw membershipErrors.leaveManager(reachable - 1, managers.length);
    }
    if (node) swarm.nodeLeft(node);
    this.reset(engine);
  }

  /** POST /swarm/unlock on an engine whose swarm is locked. */
  unlock(engine: EngineRecord, key: string): void {
    if (!engine.swarm) throw errors.notManagerInactive();
    if (engine.state !== 'locked') throw membershipErrors.notLocked();
    if (!/^SWMKEY-1-[A-Za-z0-9+/]{43}$/.test(key)) throw membershipErrors.badUnlockKey();
    if (key !== engine.swarm.cluster.unlockKey) throw membershipErrors.wrongUnlockKey();
    engine.state = 'active';
  }

  /** Drill: the engine restarts; with autolock on, a manager comes back locked. */
  restart(engine: EngineRecord): void {
    const swarm = engine.swarm;
    const node = swarm?.nodes.get(engine.nodeId ?? '');
    if (swarm && node?.spec.Role === 'manager' && autolockOn(swarm.cluster.spec)) engine.state = 'locked';
  }

  /** The swarm a join's remote address reaches: a manager's address (with or without port) or hostname. */
  private swarmAt(remotes: string[]): Swarm | undefined {
    for (const remote of remotes) {
      const host = hostOf(remote);
      for (const other of this.engines.values()) {
        const node = other.swarm?.nodes.get(other.nodeId ?? '');
        if (other.state === 'active' && node?.spec.Role === 'manager' && (other.addr === host || other.hostname === host)) return other.swarm;
      }
    }
    return undefined;
  }

  private reset(engine: EngineRecord): void {
    engine.swarm = undefined;
    engine.nodeId = undefined;
    engine.state = 'inactive';
    engine.error = undefined;
  }

  /** Whether the engine has a local network of this name. */
  hasLocal(engine: EngineRecord, name: string): boolean {
    return [...engine.localNetworks.values()].some((n) => n.Name === name);
  }

  /** POST /networks/create of a local (bridge, host, ...) network on one engine. */
  addLocalNetwork(engine: EngineRecord, name: string, driver: string, subnet?: string, request: Record<string, unknown> = {}): PlainObject {
    const k = engine.localNetworks.size;
    const auto = subnet ?? (driver === 'bridge' ? `172.${17 + k}.0.0/16` : '');
    const network = networkObject(
      this,
      { ...request, Name: name, Driver: driver },
      'local',
      auto ? { Subnet: auto, Gateway: auto.replace(/0\/\d+$/, '1') } : undefined,
    );
    engine.localNetworks.set(network.ID, network);
    return network;
  }
}

/** An address's host when it is an IP address (interface names such as eth0 are the engine's own address). */
function ipOf(address: string | undefined): string | undefined {
  const host = hostOf(address);
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== '0.0.0.0' ? host : undefined;
}

/** The host part of an address: `10.0.0.1:2377` -> `10.0.0.1`, `[::1]:2377` -> `::1`, `eth0` stays. */
export function hostOf(address: string | undefined): string {
  if (!address) return '';
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracket) return bracket[1];
  const parts = address.split(':');
  return parts.length === 2 ? parts[0] : address;
}
