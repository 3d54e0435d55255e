import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes here.
beforeAll(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-usage-'))));

const MIB = 1024 * 1024;
const command = (text: string) => c.press(':', ...text, KEY.enter);

/** A service of `replicas` busybox tasks with a 64MiB memory limit and a steady profile, running. */
async function steadyService(name: string, replicas: number) {
  await c.swarm.docker.createService({
    Name: name,
    Labels: { 'swarmdeck.sim.profile': 'steady' },
    TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1d'] }, Resources: { Limits: { MemoryBytes: 64 * MIB } } },
    Mode: { Replicated: { Replicas: replicas } },
  } as never);
  c.swarm.advance(5000);
}

/** The bars of a sparkline after `label` on some line of the frame ('' when there is none). */
function bars(frame: string, line: RegExp, label: 'CPU' | 'MEM'): string {
  const text = frame.split('\n').find((l) => line.test(l)) ?? '';
  return new RegExp(`${label} ([▁▂▃▄▅▆▇█ ]+) `).exec(text)?.[1].trimStart() ?? '';
}

describe('CPU and memory history', () => {
  test("a service's tasks banner sums its running tasks' CPU and memory, with a sparkline that grows a bar a sample", async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await steadyService('hot', 2);
    await command('tasks hot');
    const usage = /^CPU [▁▂▃▄▅▆▇█ ]+ \d+\.\d%\s+MEM [▁▂▃▄▅▆▇█ ]+ \d+(\.\d)?MiB\/128MiB/m;
    let frame = await c.waitFor(usage, 10_000);
    const first = bars(frame, usage, 'MEM').length;
    expect(first).toBeGreaterThan(0);
    // Each sweep that finds the engine's clock moved adds a sample.
    c.swarm.advance(3000);
    frame = await c.waitFor((f) => bars(f, usage, 'MEM').length > first, 10_000);
    c.swarm.advance(3000);
    frame = await c.waitFor((f) => bars(f, usage, 'MEM').length > first + 1, 10_000);
    expect(bars(frame, usage, 'CPU').length).toBe(bars(frame, usage, 'MEM').length);
    // Two tasks of at most 64MiB each: the sum is of two, and scaled to their two limits.
    const mem = Number(/MEM [▁▂▃▄▅▆▇█ ]+ (\d+(?:\.\d)?)MiB\/128MiB/.exec(frame)![1]);
    expect(mem).toBeGreaterThan(0);
    expect(mem).toBeLessThanOrEqual(128);
  });

  test("a running task's detail leads with its CPU and MEM sparklines", async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await steadyService('detail', 1);
    await command('tasks detail');
    await c.waitFor(/^detail\.1 .*\d+\.\d%/m, 10_000);
    await c.selectRow('detail.1');
    await c.press('i');
    const line = /^# MEM [▁▂▃▄▅▆▇█ ]+ \d+(\.\d)?MiB\/64MiB$/m;
    const frame = await c.waitFor(line, 10_000);
    expect(frame).toMatch(/^# from its node's engine, every 3 s:\n# CPU [▁▂▃▄▅▆▇█ ]+ \d+\.\d%\n# MEM /m);
    const before = bars(c.frame(), line, 'MEM').length;
    c.swarm.advance(3000);
    await c.waitFor((f) => bars(f, line, 'MEM').length > before, 10_000);
  });
});
