import type { StatsFigures } from '../../docker/node-engine.js';
import type { SwarmNode, SwarmTask } from '../../docker/types.js';
import type { StatsState } from '../../store/state.js';

/** CPU and memory as the tasks view shows them: `docker stats`' figures, a little shorter. */

/** Bytes in binary units as `docker stats` writes them, one decimal at most: 24.1MiB, 64MiB, 512KiB. */
export function memSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${text}${units[unit]}`;
}

/** CPU as `docker stats` computes it (100% is one core), one decimal: 12.5%. */
export const cpuText = (percent: number | undefined) => (percent === undefined ? '' : `${percent.toFixed(1)}%`);

/** The task's memory limit from its spec, bytes (none: undefined). */
export function memoryLimit(task: SwarmTask): number | undefined {
  const limit = (task.Spec as { Resources?: { Limits?: { MemoryBytes?: number } } } | undefined)?.Resources?.Limits?.MemoryBytes;
  return limit && limit > 0 ? limit : undefined;
}

/** From this share of its memory limit a task is near it: the kernel's OOM killer is next. */
export const NEAR_LIMIT = 0.9;

/** True when a task uses NEAR_LIMIT of its memory limit or more (none: never). */
export const nearLimit = (figures: StatsFigures, limit: number | undefined) => limit !== undefined && figures.memoryBytes >= limit * NEAR_LIMIT;

/** Memory used, and of the limit when the task has one: 24.1MiB/64MiB; `!60.2MiB/64MiB` near it (the mark reads without colour). */
export function memText(figures: StatsFigures, limit: number | undefined): string {
  const text = limit ? `${memSize(figures.memoryBytes)}/${memSize(limit)}` : memSize(figures.memoryBytes);
  return nearLimit(figures, limit) ? `!${text}` : text;
}

/** The container a running task runs, and its node: what can be sampled. */
export function sampleable(task: SwarmTask): { nodeId: string; containerId: string } | undefined {
  const containerId = task.Status.ContainerStatus?.ContainerID;
  if (task.Status.State !== 'running' || !containerId || !task.NodeID) return undefined;
  return { nodeId: task.NodeID, containerId };
}

/** The CPU and MEM cells of a task: blank for one not running (or not sampled yet), `-` when its node's engine cannot be reached. */
export function statsCells(task: SwarmTask, stats: StatsState): [string, string] {
  const target = sampleable(task);
  if (!target) return ['', ''];
  if (stats.unreachable.has(target.nodeId)) return ['-', '-'];
  const figures = stats.figures.get(target.containerId);
  if (!figures) return ['', ''];
  return [cpuText(figures.cpuPercent), memText(figures, memoryLimit(task))];
}

/** How old a sample is, short: `3s`, `2m`, `1h` (a clock behind the node's counts as now). */
export function sampleAge(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** The use of some tasks' containers together: sums and the hottest container's, over those sampled. */
export interface UseSum {
  /** Containers with figures (CPU: with a CPU figure). */
  sampled: number;
  cpuSampled: number;
  cpu: number;
  maxCpu: number;
  memory: number;
  maxMemory: number;
  /** Nodes of these tasks whose engines could not be asked. */
  unreachable: string[];
  /** Running tasks whose containers can be sampled. */
  running: number;
}

/** Adds up the figures of the running tasks' containers (history and tasks not yet running are not sampled). */
export function sumUse(tasks: SwarmTask[], stats: StatsState): UseSum {
  const sum: UseSum = { sampled: 0, cpuSampled: 0, cpu: 0, maxCpu: 0, memory: 0, maxMemory: 0, unreachable: [], running: 0 };
  for (const task of tasks) {
    const target = sampleable(task);
    if (!target) continue;
    sum.running += 1;
    if (stats.unreachable.has(target.nodeId)) {
      if (!sum.unreachable.includes(target.nodeId)) sum.unreachable.push(target.nodeId);
      continue;
    }
    const figures = stats.figures.get(target.containerId);
    if (!figures) continue;
    sum.sampled += 1;
    sum.memory += figures.memoryBytes;
    sum.maxMemory = Math.max(sum.maxMemory, figures.memoryBytes);
    if (figures.cpuPercent === undefined) continue;
    sum.cpuSampled += 1;
    sum.cpu += figures.cpuPercent;
    sum.maxCpu = Math.max(sum.maxCpu, figures.cpuPercent);
  }
  return sum;
}

/** "37.5% max 20%": a total, and the hottest of several (one alone is its own total); without brackets, to fit 120 columns. */
const withMax = (total: string, max: string, count: number) => (count > 1 ? `${total} max ${max}` : total);

/** The hottest replica's CPU, shorter than a total (the services view has little room): 20% from 10% up, else 3.2%. */
const maxCpuText = (percent: number) => (percent >= 10 ? `${Math.round(percent)}%` : cpuText(percent));

/**
 * The CPU and MEM cells of a service: the sum over its running tasks and the hottest replica. `-`
 * when a node of its tasks cannot be reached (the sum would be short by an unknown amount); blank
 * until sampled, and for a service with nothing running.
 */
export function serviceStatsCells(tasks: SwarmTask[] | undefined, stats: StatsState): [string, string] {
  if (!tasks) return ['', ''];
  const sum = sumUse(tasks, stats);
  if (sum.unreachable.length > 0) return ['-', '-'];
  return [
    sum.running > 0 && sum.cpuSampled === sum.running ? withMax(cpuText(sum.cpu), maxCpuText(sum.maxCpu), sum.running) : '',
    sum.running > 0 && sum.sampled === sum.running ? withMax(memSize(sum.memory), memSize(sum.maxMemory), sum.running) : '',
  ];
}

/** A share as a whole percentage, 37%; one that rounds to nothing but is not, <1% (a node with a few idle containers is not empty). */
function share(part: number, whole: number | undefined): string {
  if (!whole) return '';
  const percent = (part / whole) * 100;
  return percent > 0 && percent < 0.5 ? '<1%' : `${Math.round(percent)}%`;
}

/**
 * The CPU and MEM cells of a node: what its running tasks' containers use as a share of its CPUs
 * (100% is every core busy) and of its memory. `-` when its engine cannot be reached; blank until
 * its tasks are listed and all their containers sampled; `0%` with nothing running.
 */
export function nodeStatsCells(node: SwarmNode, tasks: SwarmTask[] | undefined, stats: StatsState): [string, string] {
  if (stats.unreachable.has(node.ID)) return ['-', '-'];
  if (!tasks) return ['', ''];
  const sum = sumUse(tasks, stats);
  if (sum.running === 0) return ['0%', '0%'];
  const cores = (node.Description?.Resources?.NanoCPUs ?? 0) / 1e9;
  return [
    sum.cpuSampled === sum.running ? share(sum.cpu / 100, cores) : '',
    sum.sampled === sum.running ? share(sum.memory, node.Description?.Resources?.MemoryBytes) : '',
  ];
}

/** Why the CPU and MEM of some rows are `-`: the first of these nodes that cannot be reached, and how many more (none: ''). */
export function unreachableNote(stats: StatsState, nodeIds: Iterable<string>): string {
  if (stats.unreachable.size === 0) return '';
  const nodes = [...new Set(nodeIds)].filter((id) => stats.unreachable.has(id));
  if (nodes.length === 0) return '';
  const more = nodes.length > 1 ? ` (+${nodes.length - 1} more node${nodes.length > 2 ? 's' : ''})` : '';
  return ` · CPU/MEM -: ${stats.unreachable.get(nodes[0])}${more}`;
}
