import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';
import { serviceId } from '../helpers/swarm.js';

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes here.
beforeAll(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-stats-'))));

const command = (text: string) => c.press(':', ...text, KEY.enter);
const header = (frame: string) => frame.split('\n').find((l) => /^NAME\s/.test(l))!;
/** The CPU and MEM cells of a task row, by the header's columns. */
function cells(frame: string, name: string): { cpu: string; mem: string } {
  const head = header(frame);
  const row = frame.split('\n').find((l) => l.startsWith(`${name} `))!;
  const cpuEnd = head.indexOf('CPU') + 3;
  const memEnd = head.indexOf('MEM') + 3;
  const cut = (end: number) => row.slice(0, end).split(/\s+/).at(-1)!;
  return { cpu: cut(cpuEnd), mem: cut(memEnd) };
}

describe('CPU and MEM in the tasks view', () => {
  test("running tasks show docker stats' figures from their nodes' engines; memory of the limit when the service has one", async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    // A memory limit of 64MiB on the service: MEM shows used/limit.
    const id = await serviceId(c.swarm.docker, 'getstartedlab_web');
    const service = c.swarm.docker.getService(id);
    const spec = (await service.inspect()) as { Version: { Index: number }; Spec: Record<string, any> };
    spec.Spec.TaskTemplate.Resources = { Limits: { MemoryBytes: 64 * 1024 * 1024 } };
    await service.update({ version: spec.Version.Index, ...spec.Spec });
    for (let i = 0; i < 60; i++) c.swarm.advance(1000);
    await command('tasks getstartedlab_web');
    const frame = await c.waitFor((f) => /^getstartedlab_web\.1 .*\d+\.\d%\s+\d+(\.\d)?MiB\/64MiB/m.test(f), 10_000);
    expect(header(frame)).toMatch(/CURRENT\s+CPU\s+MEM/);
    const first = cells(frame, 'getstartedlab_web.1');
    expect(first.cpu).toMatch(/^\d+\.\d%$/);
    // Plausible: a web replica uses some CPU, well under its node's cores, and less memory than its limit.
    expect(Number.parseFloat(first.cpu)).toBeLessThan(400);
    expect(Number.parseFloat(first.mem)).toBeGreaterThan(0);
    expect(Number.parseFloat(first.mem)).toBeLessThanOrEqual(64);
    // History rows (shut down) are not sampled: no figures, no dash.
    const history = frame.split('\n').find((l) => l.startsWith(' \\_ getstartedlab_web'));
    if (history) expect(history).not.toMatch(/\d%|MiB/);
  });

  test("a node whose engine cannot be reached shows - and why in the title bar; the other nodes' tasks still have figures", async () => {
    c = await startConsole({ width: 200, nodeHosts: [] });
    await c.waitFor('flaskontesting');
    const tasks = await c.swarm.docker.listTasks({ filters: { service: ['getstartedlab_web'], 'desired-state': ['running'] } });
    const nodes = [...c.swarm.sim.swarm.nodes.values()];
    const lost = nodes.find((n) => n.id === tasks[0].NodeID)!;
    await c.close();
    c = await startConsole({ width: 200, nodeHosts: [`${lost.hostname}=unix:///nonexistent/swarmdeck-${lost.hostname}.sock`] });
    await c.waitFor('flaskontesting');
    await command('tasks getstartedlab_web');
    const frame = await c.waitFor((f) => f.includes('CPU/MEM -:') && /\d+\.\d%/.test(f), 10_000);
    expect(frame).toContain(`CPU/MEM -: ${lost.hostname}:`);
    const rows = frame.split('\n').filter((l) => /^getstartedlab_web\.\d /.test(l));
    const onLost = rows.filter((l) => l.includes(` ${lost.hostname} `));
    expect(onLost.length).toBeGreaterThan(0);
    for (const row of onLost) expect(row).toMatch(/\s-\s+-(\s|$)/);
    expect(rows.some((l) => !l.includes(` ${lost.hostname} `) && /\d+\.\d%/.test(l))).toBe(true);
  });
});
