import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LEAK_TO_LIMIT } from '../../source/simulator/model/runtime.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes here.
beforeAll(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-oom-'))));

const MIB = 1024 * 1024;
const command = (text: string) => c.press(':', ...text, KEY.enter);

/** A service of one busybox task with a 32MiB memory limit whose memory grows past it (the simulator's `leaking` profile), running. */
async function leakingService(name: string) {
  await c.swarm.docker.createService({
    Name: name,
    Labels: { 'swarmdeck.sim.profile': 'leaking' },
    TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1d'] }, Resources: { Limits: { MemoryBytes: 32 * MIB } } },
    Mode: { Replicated: { Replicas: 1 } },
  } as never);
  c.swarm.advance(5000);
}

/** The row of the newest task of slot 1 (the first line that starts with the name). */
const firstRow = (frame: string, name: string) => frame.split('\n').find((l) => l.startsWith(`${name}.1 `)) ?? '';

describe('memory limits and OOM kills', () => {
  test('a task near its memory limit is marked with ! in its MEM cell', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await leakingService('near');
    // 95% of the way from its start to its limit: at or past 90% of it, not yet killed.
    c.swarm.advance(LEAK_TO_LIMIT * 0.95 - 5000);
    await command('tasks near');
    const frame = await c.waitFor((f) => /MiB\/32MiB/.test(firstRow(f, 'near')), 10_000);
    expect(firstRow(frame, 'near')).toMatch(/\s!\d+(\.\d)?MiB\/32MiB(\s|$)/);
  });

  test('a task well under its memory limit has no mark', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await leakingService('far');
    await command('tasks far');
    const frame = await c.waitFor((f) => /MiB\/32MiB/.test(firstRow(f, 'far')), 10_000);
    expect(firstRow(frame, 'far')).not.toContain('!');
  });

  test('an OOM-killed task says OOMKilled (exit 137) in its row and in the why-block, and the events show the kill', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await leakingService('oomy');
    // Past its limit: killed; its replacement waits out the restart delay (5 s), so the service is 0 of 1.
    c.swarm.advance(LEAK_TO_LIMIT);
    await command('tasks oomy');
    const frame = await c.waitFor((f) => f.includes('OOMKilled (exit 137)') && /Why:/.test(f), 10_000);
    const failed = frame.split('\n').find((l) => /^(\s\\_ )?oomy\.1 .*Failed/.test(l))!;
    expect(failed).toMatch(/OOMKilled \(exit 137\)\s*$/);
    expect(frame).toMatch(/0 of 1 tasks running\. Why:\n\s+1x OOMKilled \(exit 137\)/);
    await command('events oomy');
    const events = await c.waitFor(/container\s+oom\s+oomy\.1\./, 10_000);
    expect(events.split('\n').find((l) => /container\s+oom\s+oomy\.1\./.test(l))).toMatch(/OOMKilled \(exit 137\) on \S+/);
  });

  test('a service that keeps being OOM-killed says OOMKilled on its crash-loop line', async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await leakingService('loops');
    // Three kills: each container lives LEAK_TO_LIMIT, then waits out the restart delay and starts again.
    for (let i = 0; i < 3; i++) c.swarm.advance(LEAK_TO_LIMIT + 10_000);
    await command('tasks loops');
    await c.waitFor(/Crash loop: .*OOMKilled \(exit 137\)/, 10_000);
  });

  test("a service's events show the OOM kills found in its history while it restarts on screen, its tasks never opened", async () => {
    c = await startConsole({ width: 200, height: 40 });
    await c.waitFor('flaskontesting');
    await leakingService('quiet');
    for (let i = 0; i < 3; i++) c.swarm.advance(LEAK_TO_LIMIT + 10_000);
    // The services view lists it; its history is read for restarts, and the exit-137 failures in it are asked about.
    await c.selectRow('quiet');
    await command('events');
    await c.waitFor(/container\s+oom\s+quiet\.1\..*OOMKilled \(exit 137\)/, 10_000);
  });
});
