import { describe, expect, test } from 'vitest';
import type { SwarmTask } from '../../source/docker/types.js';
import type { StatsSample, StatsState } from '../../source/store/state.js';
import { oomCandidates } from '../../source/store/sync/oom.js';
import { serviceUsageLine, sparkline, SPARK_WIDTH } from '../../source/ui/present/sparkline.js';

const MIB = 1024 * 1024;

/** A running task of service `svc` on node `n1` with container `c`, and a memory limit when given. */
function task(id: string, container: string, limit?: number, state = 'running'): SwarmTask {
  return {
    ID: id,
    ServiceID: 'svc',
    NodeID: 'n1',
    Slot: 1,
    DesiredState: state === 'running' ? 'running' : 'shutdown',
    Spec: limit ? { Resources: { Limits: { MemoryBytes: limit } } } : {},
    Status: { State: state, Timestamp: '2026-01-01T00:00:00Z', ContainerStatus: { ContainerID: container, ExitCode: 0 } },
  } as unknown as SwarmTask;
}

const stats = (history: Record<string, StatsSample[]>): StatsState => ({
  figures: new Map(),
  unreachable: new Map(),
  history: new Map(Object.entries(history)),
});

describe('sparklines', () => {
  test('a steady figure reads as steady: bars are scaled from zero, not from the lowest value', () => {
    expect(sparkline([100, 101, 99, 100])).toBe('████');
  });

  test('scaled to a ceiling (a memory limit), half of it is a bar halfway up', () => {
    expect(sparkline([0, 32, 64], 64)).toBe('▁▅█');
  });

  test('a sample with no figure (a first CPU sample) is a space, and only the newest SPARK_WIDTH are drawn', () => {
    expect(sparkline([undefined, 1])).toBe(' █');
    expect(sparkline(Array.from({ length: SPARK_WIDTH + 5 }, (_, i) => i))).toHaveLength(SPARK_WIDTH);
  });

  test("a service's line sums its running tasks sample by sample, and scales memory to the sum of their limits", () => {
    const tasks = [task('t1', 'c1', 64 * MIB), task('t2', 'c2', 64 * MIB)];
    const line = serviceUsageLine(
      tasks,
      stats({
        c1: [
          { at: 1, cpu: 10, mem: 32 * MIB },
          { at: 2, cpu: 20, mem: 32 * MIB },
        ],
        c2: [
          { at: 1, cpu: 10, mem: 32 * MIB },
          { at: 2, cpu: 20, mem: 64 * MIB },
        ],
      }),
    );
    expect(line).toBe('CPU ▅█ 40.0%  MEM ▅▆ 96MiB/128MiB');
  });

  test("a service's line says how many of its running tasks have been sampled when not all have", () => {
    const line = serviceUsageLine([task('t1', 'c1'), task('t2', 'c2')], stats({ c1: [{ at: 1, cpu: 5, mem: MIB }] }));
    expect(line).toMatch(/\(1 of 2 tasks sampled\)$/);
  });
});

describe('what is asked of the nodes about OOM kills', () => {
  test('only failed tasks whose container exited 137 are asked about', () => {
    const killed = task('t1', 'c1', undefined, 'failed');
    (killed.Status as { ContainerStatus: { ExitCode: number } }).ContainerStatus.ExitCode = 137;
    const crashed = task('t2', 'c2', undefined, 'failed');
    (crashed.Status as { ContainerStatus: { ExitCode: number } }).ContainerStatus.ExitCode = 1;
    expect(oomCandidates([killed, crashed, task('t3', 'c3')]).map((t) => t.containerId)).toEqual(['c1']);
  });
});
