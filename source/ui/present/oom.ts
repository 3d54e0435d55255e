import type { SwarmTask } from '../../docker/types.js';
import type { OomKill } from '../../store/state.js';

/** How an OOM kill (found by OomProbe, store/sync/oom.ts) is said: in the ERROR cell, the why-block, the crash-loop line and the task's detail. */
export const oomWords = (kill: OomKill) => `OOMKilled (exit ${kill.exitCode})`;

/** `OOMKilled (exit 137)` for a task the console found OOM-killed, else undefined. */
export function oomText(task: SwarmTask, kills: Map<string, OomKill>): string | undefined {
  const kill = kills.get(task.ID);
  return kill ? oomWords(kill) : undefined;
}

/**
 * The tasks with the error of those found OOM-killed said so (the same array when there are none),
 * so the rows, the why-block and the crash-loop line all say it from the one place.
 */
export function withOomErrors(tasks: SwarmTask[], kills: Map<string, OomKill>): SwarmTask[] {
  if (kills.size === 0 || !tasks.some((t) => kills.has(t.ID))) return tasks;
  return tasks.map((t) => {
    const kill = kills.get(t.ID);
    return kill ? { ...t, Status: { ...t.Status, Err: oomWords(kill) } } : t;
  });
}
