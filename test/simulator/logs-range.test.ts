import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// `since` and `tail` of GET /services/{id}/logs as dockerd 20.10 answers them (checked on a real
// swarm with `docker service logs --since/--tail`): tail counts per task, ended tasks included;
// since keeps the lines at or after it; both together keep the last N of those; tail=0 none.
let swarm: TestSwarm;
beforeEach(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterEach(() => swarm.close());

/** The lines of a multiplexed, timestamped body: [task id, time ms, text]. */
function lines(body: Buffer): { task: string; time: number; text: string }[] {
  const out = [];
  for (let at = 0; at + 8 <= body.length;) {
    const length = body.readUInt32BE(at + 4);
    const text = body.subarray(at + 8, at + 8 + length).toString('utf8');
    const [stamp, details, ...rest] = text.split(' ');
    out.push({ task: /com\.docker\.swarm\.task\.id=(\w+)/.exec(details)![1], time: Date.parse(stamp), text: rest.join(' ') });
    at += 8 + length;
  }
  return out;
}

const perTask = (got: { task: string }[]) => {
  const counts = new Map<string, number>();
  for (const l of got) counts.set(l.task, (counts.get(l.task) ?? 0) + 1);
  return counts;
};

async function logs(query: string) {
  const res = await swarm.raw('GET', `/services/counter/logs?stdout=1&stderr=1&timestamps=1&details=1&${query}`);
  expect(res.status).toBe(200);
  return lines(res.body);
}

describe('service logs: since and tail', () => {
  test('tail counts per task, ended tasks included', async () => {
    // A rollout ends every task and starts new ones: the ended ones keep their logs.
    const spec = (await swarm.docker.getService('counter').inspect()) as any;
    await swarm.docker.getService('counter').update({ version: spec.Version.Index, ...spec.Spec, TaskTemplate: { ...spec.Spec.TaskTemplate, ForceUpdate: 1 } });
    swarm.advance(120_000);
    const got = await logs('tail=2');
    const counts = perTask(got);
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(n).toBe(2);
  });

  test('since keeps the lines at or after it; with tail, the last N of those per task; tail=0 and a future since none', async () => {
    swarm.advance(60_000);
    const now = swarm.sim.swarm.now;
    const since = (now - 5000) / 1000;
    const recent = await logs(`since=${since}`);
    expect(recent.length).toBeGreaterThan(0);
    for (const l of recent) expect(l.time).toBeGreaterThanOrEqual(since * 1000);
    // A line a second per task: about five each.
    for (const n of perTask(recent).values()) expect(n).toBeGreaterThanOrEqual(4);
    const both = await logs(`since=${since}&tail=2`);
    for (const n of perTask(both).values()) expect(n).toBe(2);
    for (const l of both) expect(l.time).toBeGreaterThanOrEqual(since * 1000);
    const wider = await logs(`since=${(now - 60_000) / 1000}&tail=3`);
    for (const n of perTask(wider).values()) expect(n).toBe(3);
    expect(await logs('tail=0')).toEqual([]);
    expect(await logs('since=2030-01-01T00:00:00Z')).toEqual([]);
  });
});
