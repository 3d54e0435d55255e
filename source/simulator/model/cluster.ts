/** The swarm's own object: its spec (raft, dispatcher, CA, autolock), join tokens and unlock key, and `swarm update`. */
import { errors } from '../errors.js';
import { clone } from './spec.js';
import type { ClusterRecord } from './records.js';
import type { SwarmState } from './state.js';

export type { ClusterRecord } from './records.js';

/** The spec dockerd fills in at `swarm init` for what the request leaves out. */
export function defaultClusterSpec(): Record<string, unknown> {
  return {
    Name: 'default',
    Labels: {},
    Orchestration: { TaskHistoryRetentionLimit: 5 },
    Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
    Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
    CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  };
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A fresh cluster object, as `swarm init` makes one. */
export function newCluster(swarm: SwarmState): ClusterRecord {
  const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[swarm.random.int(alphabet.length)]).join('');
  return {
    version: ++swarm.index,
    updatedAt: swarm.now,
    spec: defaultClusterSpec(),
    caDigest: chars(BASE36, 50),
    workerSecret: chars(BASE36, 25),
    managerSecret: chars(BASE36, 25),
    unlockKey: '',
    defaultAddrPool: ['10.0.0.0/8'],
    subnetSize: 24,
    dataPathPort: 4789,
  };
}

/** The join token for a role, as `docker swarm join-token` prints it. */
export function joinToken(cluster: ClusterRecord, role: 'worker' | 'manager'): string {
  return `SWMTKN-1-${cluster.caDigest}-${role === 'worker' ? cluster.workerSecret : cluster.managerSecret}`;
}

/** The fingerprint a token's digest stands for (base 36 of a sha256), as "remote CA does not match fingerprint. Expected: ..." names it. */
export function tokenFingerprint(digest: string): string {
  let n = 0n;
  for (const c of digest) n = n * 36n + BigInt(BASE36.indexOf(c));
  return n.toString(16).padStart(64, '0').slice(-64);
}

/** Merges an init request's spec over the defaults, section by section; zero values keep the default, as `swarm init` does. */
export function mergeSpec(base: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const out = clone(base);
  const set = (value: unknown) => value !== undefined && value !== null && value !== 0 && value !== '';
  for (const [key, value] of Object.entries(given)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && key !== 'Labels') {
      const section = { ...((out[key] as Record<string, unknown>) ?? {}) };
      for (const [k, v] of Object.entries(value)) if (set(v) || typeof v === 'boolean') section[k] = v;
      out[key] = section;
    } else if (set(value) || key === 'Labels') out[key] = value ?? {};
  }
  return out;
}

/** Whether autolock is on in a cluster spec. */
export const autolockOn = (spec: Record<string, unknown>) => (spec.EncryptionConfig as { AutoLockManagers?: boolean } | undefined)?.AutoLockManagers === true;

/** A new unlock key: SWMKEY-1- and 43 characters of base64, as dockerd prints them. */
export function newUnlockKey(swarm: SwarmState): string {
  return `SWMKEY-1-${Array.from({ length: 43 }, () => BASE64[swarm.random.int(64)]).join('')}`;
}

/** What POST /swarm/update may change besides the spec: the tokens and the unlock key. */
export interface ClusterUpdate {
  rotateWorkerToken: boolean;
  rotateManagerToken: boolean;
  rotateManagerUnlockKey: boolean;
}

/** POST /swarm/update: a new spec at the current version, tokens and unlock key rotated on request. */
export function updateCluster(swarm: SwarmState, version: number, spec: Record<string, unknown>, rotate: ClusterUpdate): void {
  swarm.requireLeader();
  const cluster = swarm.cluster;
  if (version !== cluster.version) throw errors.outOfSequence();
  const wasLocked = autolockOn(cluster.spec);
  cluster.spec = { ...defaultClusterSpec(), ...clone(spec), Name: 'default' };
  const chars = () => Array.from({ length: 25 }, () => BASE36[swarm.random.int(36)]).join('');
  if (rotate.rotateWorkerToken) cluster.workerSecret = chars();
  if (rotate.rotateManagerToken) cluster.managerSecret = chars();
  const locked = autolockOn(cluster.spec);
  if (locked && (!wasLocked || rotate.rotateManagerUnlockKey)) cluster.unlockKey = newUnlockKey(swarm);
  if (!locked) cluster.unlockKey = '';
  cluster.version = ++swarm.index;
  cluster.updatedAt = swarm.now;
}
