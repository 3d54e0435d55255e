import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, startConsole, type MountedConsole, type TestConsole } from '../helpers/console.js';
import { startTestSwarm } from '../helpers/swarm.js';

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes here.
beforeAll(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-top-'))));

const command = (text: string) => c.press(':', ...text, KEY.enter);
const title = (frame: string) => frame.split('\n')[2];
/** The table's rows under its header (those starting with a name), as cells split on runs of spaces. */
function rows(frame: string): string[][] {
  const lines = frame.split('\n');
  const head = lines.findIndex((l) => /^NAME\s/.test(l));
  const end = lines.findIndex((l, i) => i > head && l.trim() === '');
  return lines
    .slice(head + 1, end)
    .filter((l) => /^\S/.test(l))
    .map((l) => l.trim().split(/\s+/));
}
const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
/** 24.1MiB or 24.1MiB/64MiB as bytes used. */
const bytes = (cell: string) => {
  const [, n, unit] = /^([\d.]+)([KMG]?i?B)/.exec(cell)!;
  return Number.parseFloat(n) * UNITS[unit];
};
const nonIncreasing = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1] >= v);

/** Runs a simulator drill on a service and lets the clock run on. */
async function drill(name: string, service: string, ms: number) {
  expect((await c.swarm.raw('POST', `/swarmdeck/drills/${name}?target=${service}`)).status).toBe(200);
  for (let at = 0; at < ms; at += 1000) c.swarm.advance(1000);
}

/** Waits until every running task of the tutorial (22) has figures. */
const allSampled = () => c.waitFor(/Top tasks \(22 running on 5 nodes, 22 sampled\)/, 10_000);

describe(':top', () => {
  test('lists every running task, hottest CPU first: a service on the cpu-hog drill leads, with service, node, MEM and the age of each figure', async () => {
    c = await startConsole({ width: 140 });
    await c.waitFor('flaskontesting');
    await drill('cpu-hog', 'web', 3000);
    await command('top');
    const frame = await allSampled();
    expect(title(frame)).toContain('sorted by CPU');
    expect(frame).toMatch(/^NAME\s+SERVICE\s+NODE\s+CPU\s+MEM\s+SAMPLED$/m);
    const list = rows(frame);
    expect(list).toHaveLength(22);
    // The three web replicas run at their node's CPUs (>= 100%): no other task comes near.
    expect(list.slice(0, 3).map((r) => r[0].replace(/\.\d+$/, ''))).toEqual(['web', 'web', 'web']);
    for (const r of list.slice(0, 3)) expect(Number.parseFloat(r[3])).toBeGreaterThanOrEqual(99);
    expect(nonIncreasing(list.map((r) => Number.parseFloat(r[3])))).toBe(true);
    for (const r of list) {
      expect(r[1]).toBe(r[0].replace(/\.[\w]+$/, ''));
      expect(r[2]).toMatch(/^core-0\d$/);
      expect(r[4]).toMatch(/^\d+(\.\d)?[KMG]iB$/);
      expect(r[5]).toMatch(/^\d+s$/);
    }
  });

  test(':top mem orders by memory: a service on the memory-leak drill leads', async () => {
    c = await startConsole({ width: 140 });
    await c.waitFor('flaskontesting');
    await drill('memory-leak', 'web', 30_000);
    await command('top mem');
    const frame = await allSampled();
    expect(title(frame)).toContain('sorted by MEM');
    const list = rows(frame);
    expect(list.slice(0, 3).map((r) => r[0].replace(/\.\d+$/, ''))).toEqual(['web', 'web', 'web']);
    expect(nonIncreasing(list.map((r) => bytes(r[4])))).toBe(true);
  });

  test("Enter goes to the task: its service's tasks, with that task selected (l then opens its logs)", async () => {
    c = await startConsole({ width: 140 });
    await c.waitFor('flaskontesting');
    await command('top');
    await allSampled();
    // web.3 is the last of web's rows in the tasks view (web.1 and web.2 come first, with their history).
    await c.selectRow('web.3');
    const task = (await c.swarm.docker.listTasks({ filters: { service: ['web'], 'desired-state': ['running'] } })).find((t) => t.Slot === 3)!;
    await c.press(KEY.enter);
    await c.waitFor((f) => /Tasks of service web/.test(f) && rows(f).length === 3);
    await c.press('l');
    const logs = await c.waitFor(/Logs of task/);
    expect(title(logs)).toContain(`Logs of task web.3.${task.ID.slice(0, 12)}`);
    // Back twice: the tasks, then :top again.
    await c.press(KEY.escape, KEY.escape);
    await c.waitFor(/Top tasks/);
  });

  test("a node whose engine cannot be reached is counted in the title; its tasks show - and go last, the others' figures still come", async () => {
    c = await startConsole({ width: 140, nodeHosts: ['core-03=unix:///nonexistent/swarmdeck-core-03.sock'] });
    await c.waitFor('flaskontesting');
    await command('top');
    const onLost = (await c.swarm.docker.listTasks({ filters: { node: ['core-03'], 'desired-state': ['running'] } })).length;
    const frame = await c.waitFor(new RegExp(`${22 - onLost} sampled, 1 node unreachable`), 10_000);
    expect(title(frame)).toContain(`Top tasks (22 running on 5 nodes, ${22 - onLost} sampled, 1 node unreachable)`);
    const list = rows(frame);
    const tail = list.slice(-onLost);
    for (const r of tail) expect(r.slice(2)).toEqual(['core-03', '-', '-', '-']);
    for (const r of list.slice(0, -onLost)) expect(r[3]).toMatch(/^\d+\.\d%$/);
  });
});

describe(':top within its budget', () => {
  test('a sweep samples at most 20 containers of each node and 400 in all, not yet sampled ones blank and last, until later sweeps bring every figure', async () => {
    // 30 nodes of 25 tasks each: more nodes and more tasks per node than one sweep samples.
    const swarm = await startTestSwarm({ scenario: 'large', nodes: 30, services: 5, replicas: 150 });
    let m: MountedConsole | undefined;
    try {
      m = await mountConsole(swarm.sim.host, { width: 140, height: 70, view: { kind: 'top' }, now: () => swarm.sim.swarm.now });
      // The first sweep done: 20 containers of each of 20 nodes, 400 requests (the next sweep is a few seconds off).
      const first = rows(await m.waitFor(() => m!.store.getSnapshot().stats.figures.size >= 400, 10_000));
      const { figures } = m.store.getSnapshot().stats;
      const nodeOf = new Map(m.store.getSnapshot().running.items.map((t) => [t.Status.ContainerStatus!.ContainerID!, t.NodeID!]));
      const perNode = new Map<string, number>();
      for (const id of figures.keys()) perNode.set(nodeOf.get(id)!, (perNode.get(nodeOf.get(id)!) ?? 0) + 1);
      expect(figures.size).toBe(400);
      expect(perNode.size).toBe(20);
      expect(Math.max(...perNode.values())).toBe(20);
      // On screen: the sampled rows first, then those not sampled yet, blank.
      const sampled = first.filter((r) => /%$/.test(r[3]));
      expect(first.slice(0, sampled.length)).toEqual(sampled);
      for (const r of first.slice(sampled.length)) expect(r.length).toBe(3);
      // The next sweeps visit the nodes sampled longest ago, and take the containers left, oldest first.
      await m.waitFor(/750 sampled\)/, 30_000);
    } finally {
      await m?.close();
      await swarm.close();
    }
  }, 60_000);
});

describe(':sort and its keys', () => {
  /** The current (not history) rows of a tasks view. */
  const current = (frame: string) => rows(frame).filter((r) => !r[0].startsWith('\\_'));

  test(':sort mem, :sort cpu and :sort name order the tasks view; the history of a slot stays under its task', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.waitFor((f) => current(f).length === 3 && current(f).every((r) => /%$/.test(r[r.length - 2])), 10_000);
    await command('sort mem');
    let frame = await c.waitFor(/sorted by MEM/);
    // web.2's and web.1's history rows follow their slot's current task wherever it goes.
    const lines = frame.split('\n');
    for (const [i, line] of lines.entries()) {
      const under = /^ \\_ (web\.\d)/.exec(line)?.[1];
      if (under)
        expect(
          lines
            .slice(0, i)
            .filter((l) => /^web\.\d /.test(l))
            .at(-1),
        ).toMatch(new RegExp(`^${under.replace('.', '\\.')} `));
    }
    expect(nonIncreasing(current(frame).map((r) => bytes(r.at(-1)!)))).toBe(true);
    await command('sort cpu');
    frame = await c.waitFor(/sorted by CPU/);
    expect(nonIncreasing(current(frame).map((r) => Number.parseFloat(r.at(-2)!)))).toBe(true);
    await command('sort name');
    frame = await c.waitFor(/sorted by NAME/);
    expect(current(frame).map((r) => r[0])).toEqual(['web.1', 'web.2', 'web.3']);
    await command('sort');
    await c.waitFor((f) => !/sorted by/.test(title(f)));
  });

  test('H, Z and N sort by CPU, memory and name; a view without the column says so and keeps its order', async () => {
    c = await startConsole({ width: 140 });
    await c.waitFor('flaskontesting');
    await command('top');
    await allSampled();
    await c.press('N');
    let frame = await c.waitFor(/sorted by NAME/);
    const names = rows(frame).map((r) => r[0]);
    expect(names.slice(0, 3)).toEqual(['counter.1', 'counter.2', 'counter.3']);
    expect(names.at(-1)).toBe('web.3');
    await c.press('Z');
    frame = await c.waitFor(/sorted by MEM/);
    expect(nonIncreasing(rows(frame).map((r) => bytes(r[4])))).toBe(true);
    await c.press('H');
    frame = await c.waitFor(/sorted by CPU/);
    expect(nonIncreasing(rows(frame).map((r) => Number.parseFloat(r[3])))).toBe(true);
    await command('stacks');
    await c.press('H');
    await c.waitFor('this view has no CPU column to sort by');
    expect(title(c.frame())).not.toContain('sorted by');
  });

  test('the sort keys and :top are listed in help', async () => {
    c = await startConsole({ width: 200, height: 60 });
    await c.waitFor('flaskontesting');
    await c.press('?');
    const frame = await c.waitFor(/Views on the command line/);
    expect(frame).toMatch(/H\s+sort by CPU, hottest first \(:sort cpu\)/);
    expect(frame).toMatch(/Z\s+sort by memory, biggest first \(:sort mem\)/);
    expect(frame).toMatch(/N\s+sort by name, A to Z \(:sort name/);
    expect(frame).toMatch(/:top\s+the hottest running tasks of every node, by CPU \(:top mem: by memory\)/);
  });
});
