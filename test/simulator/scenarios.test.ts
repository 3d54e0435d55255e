import { describe, expect, test } from 'vitest';
import { buildScenario } from '../../source/simulator/scenarios/index.js';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('scenarios', () => {
  test('the same seed builds the same swarm', () => {
    const a = buildScenario({ scenario: 'tutorial', now, seed: 7 });
    const b = buildScenario({ scenario: 'tutorial', now, seed: 7 });
    expect([...a.tasks.keys()]).toEqual([...b.tasks.keys()]);
  });

  test('empty is a single manager with no services', () => {
    const swarm = buildScenario({ scenario: 'empty', now });
    expect(swarm.nodes.size).toBe(1);
    expect(swarm.managers()).toHaveLength(1);
    expect(swarm.services.size).toBe(0);
  });

  test('large holds 1,000 nodes and 50,000 running tasks', () => {
    const swarm = buildScenario({ scenario: 'large', now, nodes: 1000, services: 500, replicas: 100 });
    expect(swarm.nodes.size).toBe(1000);
    let running = 0;
    const perNode = new Map<string, number>();
    for (const task of swarm.tasks.values()) {
      if (task.state === 'running') running++;
      perNode.set(task.nodeId!, (perNode.get(task.nodeId!) ?? 0) + 1);
    }
    expect(running).toBe(50_000);
    // Spread scheduling: 50 tasks on every node.
    expect(new Set(perNode.values())).toEqual(new Set([50]));
  });

  test('every task writes timestamped lines on stdout and stderr', async () => {
    const { logLines } = await import('../../source/simulator/model/logs.js');
    const swarm = buildScenario({ scenario: 'tutorial', now });
    const streams = new Set<string>();
    for (const task of swarm.tasks.values()) {
      if (task.state !== 'running') continue;
      const lines = logLines(task, now - 600_000, now);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) streams.add(line.stream);
    }
    expect(streams).toEqual(new Set(['stdout', 'stderr']));
  });
});

describe('log lines', () => {
  test("reading a task's log in small windows gives the same lines as reading it at once", async () => {
    const { logLines } = await import('../../source/simulator/model/logs.js');
    const swarm = buildScenario({ scenario: 'tutorial', now });
    const task = [...swarm.tasks.values()].find((t) => t.state === 'running')!;
    const whole = logLines(task, now - 60_000, now);
    const pieces = [];
    for (let t = now - 60_000; t < now; t += 250) pieces.push(...logLines(task, t, t + 250));
    expect(pieces).toEqual(whole);
  });
});
