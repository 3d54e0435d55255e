/**
 * What a task's container uses: CPU and memory as a pure function of the seed, the task and the
 * clock, so two runs (and a test's expectation) see the same figures. Each service has a profile
 * (steady, bursty, growing) with noise, capped by its resource limits (or its node's size); drills
 * make a service leak memory until the kernel kills it (exit 137, OOMKilled) or hog its CPU.
 */
import { hashString } from './random.js';
import type { NodeRecord, ServiceRecord, TaskRecord } from './records.js';

/** How a service's containers behave: `leaking` grows past its memory limit, as the memory-leak drill makes any service do. */
export type Profile = 'steady' | 'bursty' | 'growing' | 'leaking';

/** The profiles, in the order a service's name picks one when no label says (never `leaking`: only a label asks for that). */
export const PROFILES: readonly Profile[] = ['steady', 'bursty', 'growing'];

/** Every profile the label may name. */
const LABELLED: readonly Profile[] = [...PROFILES, 'leaking'];

/** The service label that picks a profile (else the service's name does, by hash). */
export const PROFILE_LABEL = 'swarmdeck.sim.profile';

/** A leaking container reaches its memory limit this long after the leak began (or it started), ms. */
export const LEAK_TO_LIMIT = 60_000;

/** Time from an interval's start to its end; `to` undefined while the drill is on. */
interface Interval {
  from: number;
  to?: number;
}

/** The runtime drills of one swarm: per service, when a memory leak or a CPU hog was on. */
export interface RuntimeState {
  leaks: Map<string, Interval>;
  hogs: Map<string, Interval[]>;
}

/** A fresh runtime state (no drills). */
export function newRuntimeState(): RuntimeState {
  return { leaks: new Map(), hogs: new Map() };
}

/** What a container uses at an instant. */
export interface Usage {
  /** CPU time used since the container started, ns (cgroup cpuacct.usage). */
  cpuNanos: number;
  /** The CPU rate now, in cores. */
  cpuCores: number;
  /** The most cores it may use: its limit, else its node's CPUs. */
  cpuLimit: number;
  /** Memory in use, bytes. */
  memoryBytes: number;
  /** Its memory limit, else its node's memory, bytes. */
  memoryLimit: number;
  /** The highest memory use so far, bytes. */
  memoryMax: number;
  /** Processes in the container. */
  pids: number;
}

/** What the model needs of a swarm: its salt (seed-derived), clock, drills, and lookups. */
export interface RuntimeWorld {
  clusterId: string;
  now: number;
  runtime: RuntimeState;
  services: Map<string, ServiceRecord>;
  nodes: Map<string, NodeRecord>;
}

const MIB = 1024 * 1024;
const SECOND = 1000;

/** A deterministic value in [0, 1) for (key, n). */
function unit(key: number, n: number): number {
  let t = (key ^ Math.imul(n | 0, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

/** The profile of a service: its label, else one its name picks. */
export function profileOf(service: ServiceRecord | undefined): Profile {
  const label = service?.spec.Labels?.[PROFILE_LABEL];
  if (label && (LABELLED as readonly string[]).includes(label)) return label as Profile;
  return PROFILES[hashString(service?.spec.Name ?? '') % PROFILES.length];
}

/** The constants of one task's curves. */
interface Shape {
  key: number;
  profile: Profile;
  start: number;
  cpuLimit: number;
  /** Mean CPU rate, cores. */
  cpuBase: number;
  /** Bursty: the extra rate during a burst, the period and burst length (ms) and the phase. */
  burst: number;
  period: number;
  burstLength: number;
  phase: number;
  memoryLimit: number;
  memoryBase: number;
  /** Growing: bytes per ms, up to 85% of the limit. */
  growth: number;
}

function shapeOf(world: RuntimeWorld, task: TaskRecord): Shape {
  const service = world.services.get(task.serviceId);
  const node = task.nodeId ? world.nodes.get(task.nodeId) : undefined;
  const limits = task.spec.Resources?.Limits ?? {};
  const nodeCpus = (node?.nanoCpus ?? 2e9) / 1e9;
  const cpuLimit = limits.NanoCPUs ? Math.min(limits.NanoCPUs / 1e9, nodeCpus) : nodeCpus;
  const memoryLimit = limits.MemoryBytes ? Math.min(limits.MemoryBytes, node?.memoryBytes ?? Infinity) : (node?.memoryBytes ?? 2 * 1024 * MIB);
  const key = hashString(`${world.clusterId}/${task.id}`);
  const profile = profileOf(service);
  const core = Math.min(cpuLimit, 1);
  const quiet = profile === 'bursty' ? 0.02 + 0.08 * unit(key, 1) : 0.05 + 0.2 * unit(key, 1);
  const period = (30 + Math.floor(60 * unit(key, 2))) * SECOND;
  const memoryBase = Math.min(8 * MIB + Math.floor(120 * MIB * unit(key, 3)), memoryLimit * 0.5);
  return {
    key,
    profile,
    start: task.startedAt ?? task.createdAt,
    cpuLimit,
    cpuBase: core * quiet,
    burst: profile === 'bursty' ? core * 0.6 : 0,
    period,
    burstLength: Math.round(period / 5),
    phase: Math.floor(period * unit(key, 4)),
    memoryLimit,
    memoryBase,
    growth: profile === 'growing' ? (growTo(limits.MemoryBytes, memoryLimit, memoryBase) - memoryBase) / (3600 * SECOND) : 0,
  };
}

/** Where a growing container levels off: 85% of its limit, or (no limit) a few times its start, well inside its node. */
function growTo(limit: number | undefined, cap: number, base: number): number {
  return limit ? cap * 0.85 : Math.min(cap * 0.85, base * 3 + 64 * MIB);
}

/** The noise term's knot values (core-seconds): its slope between knots is the rate's noise, ±30% of the base. */
const knot = (s: Shape, k: number) => unit(s.key, 1000 + k) * s.cpuBase * 0.3 * SECOND;

/** CPU time (core-ms) used from the start to `elapsed` ms after it, without drills: base + bursts + noise, in closed form. */
function baseCpu(s: Shape, elapsed: number): number {
  if (elapsed <= 0) return 0;
  const k = Math.floor(elapsed / SECOND);
  const within = elapsed - k * SECOND;
  const noise = knot(s, k) + ((knot(s, k + 1) - knot(s, k)) * within) / SECOND - knot(s, 0);
  let bursts = 0;
  if (s.burst > 0) {
    const burstTime = (t: number) => Math.floor(t / s.period) * s.burstLength + Math.min(t % s.period, s.burstLength);
    bursts = s.burst * (burstTime(elapsed + s.phase) - burstTime(s.phase));
  }
  return s.cpuBase * elapsed + noise + bursts;
}

/** The leak of a task's service: the memory-leak drill's, else (a `leaking` profile) one from the container's start. */
function leakOf(world: RuntimeWorld, task: TaskRecord): Interval | undefined {
  const drill = world.runtime.leaks.get(task.serviceId);
  if (drill && drill.to === undefined) return drill;
  if (profileOf(world.services.get(task.serviceId)) === 'leaking') return { from: task.startedAt ?? task.createdAt };
  return drill;
}

/** When a leaking task's container reaches its limit (the kernel kills it then), or undefined. */
export function oomAt(world: RuntimeWorld, task: TaskRecord): number | undefined {
  const leak = leakOf(world, task);
  if (!leak || task.state !== 'running' || task.startedAt === undefined) return undefined;
  const from = Math.max(leak.from, task.startedAt);
  if (leak.to !== undefined && leak.to <= from) return undefined;
  const at = from + LEAK_TO_LIMIT;
  return leak.to !== undefined && leak.to < at ? undefined : at;
}

/** What a task's container uses at `at` (default: the swarm's clock). A task that never ran uses nothing. */
export function usageAt(world: RuntimeWorld, task: TaskRecord, at = world.now): Usage {
  const s = shapeOf(world, task);
  const end = Math.min(at, task.stoppedAt ?? Infinity);
  const elapsed = Math.max(0, end - s.start);
  let cpu = baseCpu(s, elapsed);
  let rate = elapsed > 0 ? (baseCpu(s, elapsed) - baseCpu(s, Math.max(0, elapsed - SECOND))) / Math.min(SECOND, elapsed) : 0;
  // A CPU hog runs at the limit while it is on: its base use in each overlap is replaced by the limit's.
  for (const hog of world.runtime.hogs.get(task.serviceId) ?? []) {
    const a = Math.max(hog.from, s.start);
    const b = Math.min(hog.to ?? Infinity, s.start + elapsed);
    if (b <= a) continue;
    cpu += s.cpuLimit * (b - a) - (baseCpu(s, b - s.start) - baseCpu(s, a - s.start));
    if (b >= s.start + elapsed && hog.to === undefined) rate = s.cpuLimit;
  }
  const running = task.state === 'running' && task.stoppedAt === undefined;
  const noise = 1 + 0.04 * (unit(s.key, 5000 + Math.floor(end / SECOND)) - 0.5);
  let memory = s.memoryBase + Math.min(s.growth * elapsed, s.growth * 3600 * SECOND);
  const leak = leakOf(world, task);
  if (leak) {
    const from = Math.max(leak.from, s.start);
    const to = Math.min(leak.to ?? Infinity, s.start + elapsed);
    if (to > from) memory += ((s.memoryLimit - s.memoryBase) * (to - from)) / LEAK_TO_LIMIT;
  }
  const memoryBytes = Math.round(Math.min(s.memoryLimit, memory * noise));
  return {
    cpuNanos: Math.round(cpu * 1e6),
    cpuCores: running ? Math.min(rate, s.cpuLimit) : 0,
    cpuLimit: s.cpuLimit,
    memoryBytes: running ? memoryBytes : 0,
    memoryLimit: s.memoryLimit,
    memoryMax: Math.max(memoryBytes, Math.round(memory)),
    pids: running ? 1 + (s.key % 3) : 0,
  };
}

/** The memory-leak drill on (or off) for a service, from now. */
export function setLeak(world: RuntimeWorld, serviceId: string, on: boolean): void {
  const leak = world.runtime.leaks.get(serviceId);
  if (on && (!leak || leak.to !== undefined)) world.runtime.leaks.set(serviceId, { from: world.now });
  else if (!on && leak && leak.to === undefined) {
    // Ended now; the memory already taken stays taken by running containers until they restart.
    leak.to = world.now;
  }
}

/** The CPU-hog drill on (or off) for a service, from now. */
export function setHog(world: RuntimeWorld, serviceId: string, on: boolean): void {
  const list = world.runtime.hogs.get(serviceId) ?? [];
  const open = list.at(-1);
  if (on && !(open && open.to === undefined)) list.push({ from: world.now });
  else if (!on && open && open.to === undefined) open.to = world.now;
  world.runtime.hogs.set(serviceId, list);
}
