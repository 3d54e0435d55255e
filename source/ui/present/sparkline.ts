import type { SwarmTask } from '../../docker/types.js';
import type { StatsSample, StatsState } from '../../store/state.js';
import { HISTORY_SAMPLES, STATS_INTERVAL } from '../../store/sync/stats.js';
import { cpuText, memoryLimit, memSize, sampleable } from './stats.js';

/** Sparklines of a task's (or a service's) recent CPU and memory, from the samples the stats poller keeps: no request of their own. */

const BARS = '▁▂▃▄▅▆▇█';

/** How many samples a sparkline shows at most (the newest): a minute at the stats interval, short enough for a banner line. */
export const SPARK_WIDTH = 20;

/**
 * Values as bars, one character each, scaled from 0 to `ceiling` (default: the highest value), so a
 * steady figure reads as steady rather than as noise blown up; a missing value is a space.
 */
export function sparkline(values: (number | undefined)[], ceiling?: number, width = SPARK_WIDTH): string {
  const shown = values.slice(-width);
  const top = ceiling ?? Math.max(0, ...shown.map((v) => v ?? 0));
  return shown
    .map((v) => {
      if (v === undefined || !Number.isFinite(v)) return ' ';
      if (top <= 0) return BARS[0];
      return BARS[Math.max(0, Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1))))];
    })
    .join('');
}

/** `CPU ▂▃▅▇ 37.5%` and `MEM ▃▃▄▄ 120MiB/256MiB` of samples (MEM scaled to the limit when there is one), `width` samples at most. */
function usageParts(samples: StatsSample[], limit: number | undefined, width = SPARK_WIDTH): [string, string] {
  const last = samples.at(-1)!;
  const cpu = samples.map((s) => s.cpu);
  const cpuNow = [...cpu].reverse().find((v) => v !== undefined);
  const mem = memSize(last.mem) + (limit ? `/${memSize(limit)}` : '');
  const memBars = sparkline(
    samples.map((s) => s.mem),
    limit,
    width,
  );
  return [`CPU ${sparkline(cpu, undefined, width)} ${cpuText(cpuNow) || '-'}`, `MEM ${memBars} ${mem}`];
}

/** The two on one line: `CPU ▂▃▅▇ 37.5%  MEM ▃▃▄▄ 120MiB/256MiB`. */
const usageLine = (samples: StatsSample[], limit: number | undefined) => usageParts(samples, limit).join('  ');

/** A task's CPU and MEM parts from its history (`width` samples at most), or undefined before its first sample (or when it does not run). */
export function taskUsage(task: SwarmTask, stats: StatsState, width = SPARK_WIDTH): [string, string] | undefined {
  const target = sampleable(task);
  const samples = target ? stats.history?.get(target.containerId) : undefined;
  if (!samples || samples.length === 0) return undefined;
  return usageParts(samples, memoryLimit(task), width);
}

/**
 * A service's usage line: the sum over its running tasks, sample by sample from the newest (the
 * tasks of one sweep are sampled together, so the i-th last samples are of about the same time).
 * Memory is scaled to the sum of the limits when every task has one.
 */
export function serviceUsageLine(tasks: SwarmTask[], stats: StatsState): string | undefined {
  const running = tasks.filter((t) => t.DesiredState === 'running' && sampleable(t));
  const series = running.map((t) => stats.history?.get(sampleable(t)!.containerId) ?? []).filter((s) => s.length > 0);
  if (series.length === 0) return undefined;
  const length = Math.min(SPARK_WIDTH, Math.max(...series.map((s) => s.length)));
  const summed: StatsSample[] = [];
  for (let back = length; back >= 1; back--) {
    const at = series.map((s) => s.at(-back)).filter((s): s is StatsSample => s !== undefined);
    const cpus = at.map((s) => s.cpu).filter((v): v is number => v !== undefined);
    summed.push({
      at: Math.max(...at.map((s) => s.at)),
      cpu: cpus.length > 0 ? cpus.reduce((a, b) => a + b, 0) : undefined,
      mem: at.reduce((a, s) => a + s.mem, 0),
    });
  }
  const limits = running.map(memoryLimit);
  const limit = limits.every((l) => l !== undefined) ? limits.reduce((a, l) => a + l!, 0) : undefined;
  const of = series.length < running.length ? ` (${series.length} of ${running.length} tasks sampled)` : '';
  return `${usageLine(summed, limit)}${of}`;
}

/**
 * A task's detail (its inspect YAML) leads with its usage as comments: the sparklines while it runs,
 * how it was killed when the OOM killer ended it. Nothing before its first sample.
 */
export function taskComment(task: SwarmTask, stats: StatsState, oom: string | undefined): string[] {
  // The detail has the room for all of the history kept (HISTORY_SAMPLES, three minutes), not the banner's last minute: a line each, within 80 columns.
  const usage = taskUsage(task, stats, HISTORY_SAMPLES);
  const head = usage ? [`# from its node's engine, every ${STATS_INTERVAL / 1000} s:`, ...usage.map((part) => `# ${part}`)] : [];
  return [...head, ...(oom ? [`# ${oom}`] : [])];
}
