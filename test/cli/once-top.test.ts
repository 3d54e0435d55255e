import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runOnce } from '../../source/commands/once.js';
import { parseHost } from '../../source/docker/connection.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// --once --view top: the same list as :top, every running task sampled once; a node that cannot be
// reached, or does not answer, gives - and the frame is printed all the same.

let swarm: TestSwarm;
beforeAll(async () => void (swarm = await startTestSwarm({ scenario: 'tutorial' })));
afterAll(() => swarm?.close());
// No config.yaml of the user's may map nodes here.
beforeEach(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-once-top-'))));

const frame = () => import('../../source/commands/once-frame.js');
async function once(nodeHost: string[] = []): Promise<string> {
  const endpoint = { ...parseHost(swarm.sim.host, {}, undefined), label: 'sim' };
  const result = await runOnce([endpoint], { width: 140, height: 40, nodeHost }, 'top', undefined, frame());
  if (!('frame' in result)) throw new Error(result.message);
  return result.frame;
}
/** The rows under the NAME header, as cells. */
const rows = (text: string) => {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^NAME\s/.test(l));
  const end = lines.findIndex((l, i) => i > head && !/^\S/.test(l));
  return lines.slice(head + 1, end).map((l) => l.split(/\s+/));
};

describe('--once --view top', () => {
  test('prints every running task with its figures, hottest CPU first', async () => {
    const text = await once();
    expect(text).toMatch(/^ Top tasks \(22 running on 5 nodes, 22 sampled\) sorted by CPU/m);
    expect(text).toMatch(/^NAME\s+SERVICE\s+NODE\s+CPU\s+MEM\s+SAMPLED$/m);
    const list = rows(text);
    expect(list).toHaveLength(22);
    const cpu = list.map((r) => Number.parseFloat(r[3]));
    expect(cpu.every((v, i) => i === 0 || cpu[i - 1] >= v)).toBe(true);
    // Not the list's name order: the order is the figures'.
    expect(list.map((r) => r[0])).not.toEqual(list.map((r) => r[0]).sort());
    for (const r of list) expect(r.slice(3)).toEqual([expect.stringMatching(/^\d+\.\d%$/), expect.stringMatching(/^\d+(\.\d)?[KMG]iB$/), '0s']);
  });

  test('a node that cannot be reached, and one that never answers, give - and are counted; the frame is printed', async () => {
    // An engine that takes the connection and never answers: only the timeout ends its wait.
    const silent: Server = createServer(() => {});
    const socket = join(mkdtempSync(join(tmpdir(), 'swarmdeck-silent-')), 'engine.sock');
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      const text = await once(['core-02=unix:///nonexistent/swarmdeck-core-02.sock', `core-04=unix://${socket}`]);
      expect(text).toMatch(/2 nodes unreachable\)/);
      const list = rows(text);
      const lost = list.filter((r) => r[2] === 'core-02' || r[2] === 'core-04');
      expect(lost.length).toBeGreaterThan(0);
      for (const r of lost) expect(r.slice(3)).toEqual(['-', '-', '-']);
      // They go last; the other nodes' tasks have their figures.
      expect(list.slice(-lost.length)).toEqual(lost);
      for (const r of list.slice(0, -lost.length)) expect(r[3]).toMatch(/^\d+\.\d%$/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
