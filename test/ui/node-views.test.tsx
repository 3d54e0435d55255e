import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runOnce } from '../../source/commands/once.js';
import { parseHost } from '../../source/docker/connection.js';
import { diskUse } from '../../source/docker/node-views.js';
import { humanSize } from '../../source/ui/present/disk.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';
import { startTestSwarm } from '../helpers/swarm.js';

// What the console shows of a node's own engine besides the stats columns: a task's processes
// (t), a node's containers (C, :containers NODE, --once), its disk use (in its inspect).

let c: TestConsole;
afterEach(() => c?.close());
beforeEach(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-node-views-'))));

const command = (text: string) => c.press(':', ...text, KEY.enter);
const title = (frame: string) => frame.split('\n')[2];

/** A service's first running task and the hostname of its node. */
async function firstTask(service: string) {
  const tasks = await c.swarm.docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
  const task = tasks.sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0))[0];
  return { task, host: c.swarm.sim.swarm.nodes.get(task.NodeID!)!.hostname };
}

describe('t on a task: docker top', () => {
  test("lists the processes of the task's container as its node's engine gives them", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    const { task, host } = await firstTask('web');
    await command('tasks web');
    await c.selectRow('web.1');
    await c.press('t');
    const frame = await c.waitFor(/docker top, 1\)/);
    expect(title(frame)).toContain(`Processes of web.1.${task.ID.slice(0, 12)} on ${host} (docker top, 1)`);
    expect(frame).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD/m);
    // The same rows as GET /containers/{id}/top on the node's engine (the simulator: the task's command).
    expect(frame).toMatch(/^root\s+\d+\s+\d+\s+0\s+\d\d:\d\d\s+\?\s+\d\d:\d\d:\d\d\s+sleep infinity/m);
    await c.press(KEY.escape);
    await c.waitFor(/Tasks of service web/);
  });

  test('a task that is not running has no processes: a sentence', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.selectRow(' \\_ web.1');
    await c.press('t');
    await c.waitFor(/web\.1\.\w+ is shutdown, not running: it has no processes/);
    expect(c.frame()).toContain('Tasks of service web');
  });
});

describe('containers of a node', () => {
  test("C on a node: every container of its engine with state, CPU and MEM; Enter shows one's processes", async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    const { host } = await firstTask('web');
    const onNode = (await c.swarm.docker.listTasks({ filters: { node: [host] } })).filter((t) => t.Status?.ContainerStatus?.ContainerID);
    const running = onNode.filter((t) => t.Status?.State === 'running');
    await c.press('1');
    await c.selectRow(host);
    await c.press('C');
    const frame = await c.waitFor(new RegExp(`Containers of node ${host} \\(${onNode.length}, ${running.length} running\\)`));
    expect(frame).toMatch(/^NAME\s+STATE\s+CPU\s+MEM\s+IMAGE\s+STATUS\s+ID/m);
    for (const t of running) {
      const line = frame.split('\n').find((l) => l.includes(t.Status!.ContainerStatus!.ContainerID!.slice(0, 12)))!;
      expect(line).toMatch(/ running\s+\d+\.\d%\s+\d+(\.\d)?[KMG]iB\s/);
    }
    // The rows run first, then the rest (exited containers of tasks in history).
    const states = frame.split('\n').flatMap((l) => / (running|exited) /.exec(l)?.[1] ?? []);
    expect(states.join(',')).toMatch(/^(running,)*running(,exited)*$/);
    await c.selectRow(/^(\S+)/.exec(frame.split('\n').find((l) => / running /.test(l))!)![1]);
    await c.press(KEY.enter);
    await c.waitFor(/Processes of \S+ on .*\(docker top, 1\)/);
  });

  test(':containers NODE opens it; a service or nothing selected is a sentence', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('containers core-02');
    await c.waitFor(/Containers of node core-02 \(\d+, \d+ running\)/);
    await c.press('2');
    await c.waitFor('Services (6)');
    await command('containers web');
    await c.waitFor(':containers takes a node, and web is a service');
    await command('containers');
    await c.waitFor(':containers needs a node: select one first, or give its name (:containers NODE)');
  });

  test("a node whose engine cannot be reached: why, in the view's words", async () => {
    c = await startConsole({ nodeHosts: ['core-02=unix:///nonexistent/swarmdeck-core-02.sock'] });
    await c.waitFor('flaskontesting');
    await command('containers core-02');
    const frame = await c.waitFor("core-02's engine cannot be read:");
    expect(frame).toContain('/nonexistent/swarmdeck-core-02.sock');
  });

  test('--once --view containers --node NODE prints the same view; without --node it says what it needs', async () => {
    const swarm = await startTestSwarm({ scenario: 'tutorial' });
    try {
      const endpoint = { ...parseHost(swarm.sim.host, {}, undefined), label: 'sim' };
      const frame = import('../../source/commands/once-frame.js');
      const result = await runOnce([endpoint], { node: 'core-03', width: 160, height: 20 }, 'containers', undefined, frame);
      expect('frame' in result && result.frame).toMatch(/Containers of node core-03 \(\d+, \d+ running\)/);
      // dockerd's own two-sample answer: CPU is there in a single frame.
      expect('frame' in result && result.frame).toMatch(/ running\s+\d+\.\d%\s+\d+(\.\d)?[KMG]iB/);
      expect(await runOnce([endpoint], { width: 160, height: 20 }, 'containers', undefined, frame)).toEqual({
        message: '--view containers needs --node NAME',
        code: 2,
      });
    } finally {
      await swarm.close();
    }
  });
});

describe("a node's disk use", () => {
  test('leads its inspect YAML as comments: docker system df from its engine', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.selectRow('core-02');
    await c.press('i');
    const frame = await c.waitFor(/#\s+Images\s+\d+\s+\d+\s+\S+B/);
    expect(frame).toContain("# docker system df, from core-02's own engine:");
    expect(frame).toMatch(/#\s+TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE/);
    expect(frame).toMatch(/#\s+Local Volumes\s+0\s+0\s+0B\s+0B/);
    // JSON stays the object alone.
    await c.press('J');
    await c.waitFor(/^\{/m);
    expect(c.frame()).not.toContain('system df');
  });

  test("the CLI's arithmetic and sizes", () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(3_965_000)).toBe('3.965MB');
    expect(humanSize(1_234_567_890)).toBe('1.235GB');
    expect(humanSize(20_480)).toBe('20.48kB');
    const lines = diskUse({
      LayersSize: 1000,
      Images: [
        { Containers: 1, Size: 600, SharedSize: 100 },
        { Containers: 0, Size: 400, SharedSize: 100 },
      ],
      Containers: [
        { State: 'running', SizeRw: 10 },
        { State: 'exited', SizeRw: 5 },
      ],
      Volumes: [{ UsageData: { Size: 50, RefCount: 1 } }, { UsageData: { Size: 20, RefCount: 0 } }, { UsageData: { Size: -1, RefCount: 0 } }],
      BuildCache: [
        { InUse: true, Size: 7 },
        { InUse: false, Size: 3 },
        { InUse: false, Shared: true, Size: 100 },
      ],
    });
    expect(lines).toEqual([
      // What the active image holds alone (600 - 100) is not reclaimable.
      { type: 'Images', total: 2, active: 1, size: 1000, reclaimable: 500 },
      { type: 'Containers', total: 2, active: 1, size: 15, reclaimable: 5 },
      { type: 'Local Volumes', total: 3, active: 1, size: 70, reclaimable: 20 },
      { type: 'Build Cache', total: 3, active: 1, size: 10, reclaimable: 3 },
    ]);
  });
});
