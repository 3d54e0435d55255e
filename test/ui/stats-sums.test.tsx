import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { usageAt } from '../../source/simulator/model/runtime.js';
import { memSize } from '../../source/ui/present/stats.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes here.
beforeAll(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-stats-sums-'))));

const command = (text: string) => c.press(':', ...text, KEY.enter);
const lines = (frame: string) => frame.split('\n');
const row = (frame: string, name: string) => lines(frame).find((l) => l.startsWith(`${name} `))!;
/** MiB from a docker stats size: 24.1MiB, 1.3GiB. */
const mib = (text: string) => Number.parseFloat(text) * (text.endsWith('GiB') ? 1024 : text.endsWith('KiB') ? 1 / 1024 : 1);

/** The services view's CPU and MEM of a service (the last two cells, at a width where every column shows). */
function serviceCells(frame: string, name: string): { cpu: string; mem: string } {
  const cells = row(frame, name)
    .trim()
    .split(/\s{2,}/);
  return { cpu: cells.at(-2)!, mem: cells.at(-1)! };
}

/** The tasks view's CPU and MEM of every running task row, by the header's (right-aligned) columns. */
function taskFigures(frame: string): { name: string; cpu: number; mem: number }[] {
  const head = lines(frame).find((l) => /^NAME\s/.test(l))!;
  const cut = (l: string, end: number) => l.slice(0, end).split(/\s+/).at(-1)!;
  return lines(frame)
    .filter((l) => /^\S+\.\S+ .*Running\s+Running/.test(l))
    .map((l) => ({
      name: l.split(' ')[0],
      cpu: Number.parseFloat(cut(l, head.indexOf('CPU') + 3)),
      mem: mib(cut(l, head.indexOf('MEM') + 3)),
    }));
}

/** True when every running task row of a tasks view has both figures. */
const allSampled = (frame: string) => {
  const figures = taskFigures(frame);
  return figures.length > 0 && figures.every((f) => Number.isFinite(f.cpu) && Number.isFinite(f.mem));
};

describe('CPU and MEM in the services view', () => {
  test("a service's CPU and MEM are the sums over its running tasks' containers, with the hottest replica", async () => {
    c = await startConsole({ width: 220 });
    const services = await c.waitFor((f) => /^getstartedlab_web .*\d+\.\d% max \d+(\.\d)?%\s+\S+ max \S+$/m.test(f), 10_000);
    const { cpu, mem } = serviceCells(services, 'getstartedlab_web');
    const [cpuSum, cpuMax] = cpu.split(' max ').map(Number.parseFloat);
    const [memSum, memMax] = mem.split(' max ').map(mib);
    await c.selectRow('getstartedlab_web');
    await c.press(KEY.enter);
    const tasks = await c.waitFor((f) => f.includes('Tasks of service getstartedlab_web') && allSampled(f), 10_000);
    const replicas = taskFigures(tasks);
    expect(replicas).toHaveLength(5);
    // The sum of the replicas' figures as the tasks view shows them, within their rounding.
    expect(Math.abs(replicas.reduce((s, r) => s + r.cpu, 0) - cpuSum)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(replicas.reduce((s, r) => s + r.mem, 0) - memSum)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(...replicas.map((r) => r.cpu)) - cpuMax)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(Math.max(...replicas.map((r) => r.mem)) - memMax)).toBeLessThanOrEqual(0.5);
  });

  test("a service's MEM is the simulator's known figures for its replicas: their sum, and the largest", async () => {
    c = await startConsole({ width: 220 });
    const frame = await c.waitFor((f) => /^flaskontesting .*\d+\.\d% max \d+(\.\d)?%\s+\S+ max \S+$/m.test(f), 10_000);
    // The deterministic profiles (model/runtime.ts) on the simulator's paused clock: what dockerd would report.
    const sim = c.swarm.sim.swarm;
    const replicas = [...sim.tasks.values()].filter((t) => sim.services.get(t.serviceId)?.spec.Name === 'flaskontesting' && t.state === 'running');
    expect(replicas).toHaveLength(5);
    const bytes = replicas.map((t) => usageAt(sim, t).memoryBytes);
    const expected = `${memSize(bytes.reduce((a, b) => a + b, 0))} max ${memSize(Math.max(...bytes))}`;
    expect(serviceCells(frame, 'flaskontesting').mem).toBe(expected);
  });

  test('a service with one replica shows its figures alone, without a hottest one', async () => {
    c = await startConsole({ width: 220 });
    const frame = await c.waitFor((f) => /^redis .*\d+\.\d%\s+\d+(\.\d)?MiB$/m.test(f), 10_000);
    expect(row(frame, 'redis')).not.toContain('max');
  });

  test('only the services on screen have their running tasks listed and their containers sampled', async () => {
    c = await startConsole({ width: 220, height: 9 });
    await c.waitFor((f) => /\d+\.\d%/.test(f), 10_000);
    const state = c.store.getSnapshot();
    const onScreen = state.services.filter((s) => lines(c.frame()).some((l) => l.startsWith(`${s.Spec.Name} `)));
    expect(onScreen.length).toBeLessThan(state.services.length);
    expect([...state.serviceTasks.keys()].sort()).toEqual(onScreen.map((s) => s.ID).sort());
    const sampled = new Set(state.stats.figures.keys());
    const offScreen = state.services.filter((s) => !onScreen.includes(s)).map((s) => s.ID);
    const tasks = await c.swarm.docker.listTasks({ filters: { service: offScreen, 'desired-state': ['running'] } });
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) expect(sampled.has(t.Status?.ContainerStatus?.ContainerID ?? '')).toBe(false);
  });
});

describe('CPU and MEM in the nodes view', () => {
  test("a node's CPU and MEM are its running containers' use as a share of its CPUs and memory", async () => {
    c = await startConsole({ width: 220 });
    await c.waitFor('flaskontesting');
    await command('nodes');
    const nodes = await c.waitFor((f) => /^core-02 .*\s\d+%\s+\d+%\s/m.test(f), 10_000);
    expect(lines(nodes).find((l) => /^HOSTNAME\s/.test(l))).toMatch(/CPUS\s+MEMORY\s+CPU\s+MEM/);
    const [, cpu, mem] = /\s(\d+)%\s+(\d+)%\s/.exec(row(nodes, 'core-02'))!;
    const node = c.store.getSnapshot().nodes.find((n) => n.Description?.Hostname === 'core-02')!;
    const cores = node.Description!.Resources!.NanoCPUs! / 1e9;
    const memory = node.Description!.Resources!.MemoryBytes! / 1024 ** 2;
    await c.selectRow('core-02');
    await c.press(KEY.enter);
    const tasks = await c.waitFor((f) => f.includes('Tasks of node core-02') && allSampled(f), 10_000);
    const figures = taskFigures(tasks);
    expect(figures.length).toBeGreaterThan(1);
    const cpuShare = figures.reduce((s, f) => s + f.cpu, 0) / cores;
    const memShare = (figures.reduce((s, f) => s + f.mem, 0) / memory) * 100;
    expect(Math.abs(cpuShare - Number(cpu))).toBeLessThanOrEqual(1);
    expect(Math.abs(memShare - Number(mem))).toBeLessThanOrEqual(1);
    expect(Number(cpu)).toBeGreaterThan(0);
  });
});

describe('a node whose engine cannot be reached', () => {
  /** Starts the console with one node of getstartedlab_web's mapped to a socket that is not there; that node's hostname. */
  async function withLostNode(): Promise<string> {
    c = await startConsole({ width: 220 });
    await c.waitFor('flaskontesting');
    const tasks = await c.swarm.docker.listTasks({ filters: { service: ['getstartedlab_web'], 'desired-state': ['running'] } });
    const lost = [...c.swarm.sim.swarm.nodes.values()].find((n) => n.id === tasks[0].NodeID)!.hostname;
    await c.close();
    c = await startConsole({ width: 220, nodeHosts: [`${lost}=unix:///nonexistent/swarmdeck-${lost}.sock`] });
    await c.waitFor('flaskontesting');
    return lost;
  }

  test('the services view shows - for a service with tasks there, and why in the title bar; the others keep their figures', async () => {
    const lost = await withLostNode();
    const frame = await c.waitFor((f) => f.includes('CPU/MEM -:') && /^getstartedlab_web .*\s-\s+-$/m.test(f) && /\d+\.\d%/.test(f), 10_000);
    expect(frame).toContain(`CPU/MEM -: ${lost}:`);
    const state = c.store.getSnapshot();
    const lostId = state.nodes.find((n) => n.Description?.Hostname === lost)!.ID;
    const elsewhere = state.services.filter((s) => !(state.serviceTasks.get(s.ID) ?? []).some((t) => t.NodeID === lostId));
    expect(elsewhere.length).toBeGreaterThan(0);
    // Every service whose running tasks avoid that node gets its figures.
    await c.waitFor((f) => elsewhere.every((s) => /\d+\.\d%/.test(serviceCells(f, s.Spec.Name!).cpu)), 10_000);
    for (const s of state.services.filter((s) => !elsewhere.includes(s))) expect(serviceCells(c.frame(), s.Spec.Name!)).toEqual({ cpu: '-', mem: '-' });
  });

  test('the nodes view shows - for that node, and why in the title bar; the others keep their shares', async () => {
    const lost = await withLostNode();
    await command('nodes');
    const frame = await c.waitFor((f) => f.includes('CPU/MEM -:') && lines(f).filter((l) => /^core-0\d .*\s\d+%\s+\d+%\s/.test(l)).length === 4, 10_000);
    expect(frame).toContain(`CPU/MEM -: ${lost}:`);
    expect(row(frame, lost)).toMatch(/\s-\s+-\s/);
  });
});
