import type { StatsFigures } from '../../docker/node-engine.js';
import type { SwarmTask } from '../../docker/types.js';
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
