import { afterEach, describe, expect, test } from 'vitest';
import { runOnce } from '../../source/commands/once.js';
import { parseHost } from '../../source/docker/connection.js';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// Issue 26: how far back the logs read is asked of the manager (since, tail), never cut here.
let swarm: TestSwarm | undefined;
let proxy: RecordingProxy | undefined;
let c: MountedConsole | undefined;
afterEach(async () => {
  await c?.close();
  await proxy?.close();
  await swarm?.close();
  c = proxy = swarm = undefined;
});

const title = (frame: string) => frame.split('\n').find((l) => l.includes(' Logs of '))!;

/** The query of each logs request sent, from the proxy's record. */
const logQueries = (p: RecordingProxy) =>
  p.paths.filter((path) => /^(?:\/v[\d.]+)?\/services\/\w+\/logs\?/.test(path)).map((path) => new URLSearchParams(path.split('?')[1]));

async function start(): Promise<{ swarm: TestSwarm; proxy: RecordingProxy }> {
  const started = (swarm = await startTestSwarm({ scenario: 'tutorial' }));
  // An hour of history: 3,600 lines a task that a tail or since must not fetch.
  started.advance(3_600_000);
  const recording = (proxy = await recordingProxy(started.sim.socketPath!));
  return { swarm: started, proxy: recording };
}

describe('since and tail', () => {
  test(':logs NAME --tail and --since, and the s key, ask the manager for exactly that', async () => {
    const { swarm, proxy } = await start();
    c = await mountConsole(proxy.host, { now: () => swarm.sim.swarm.now, label: 'sim' });
    await c.waitFor('flaskontesting');
    await c.press(':', ...'logs counter --tail 5', KEY.enter);
    let frame = await c.waitFor(/Logs of service counter .*last 5, 15 lines/);
    let queries = logQueries(proxy);
    expect(queries).toHaveLength(1);
    expect(queries[0].get('tail')).toBe('5');
    expect(queries[0].get('since')).toBeNull();

    // The s key: ten minutes back, every line of them (three tasks, a line a second).
    await c.press('s', ...'10m', KEY.enter);
    frame = await c.waitFor(/Logs of service counter .*since 10m, 1\d{3} lines/);
    queries = logQueries(proxy);
    expect(queries).toHaveLength(2);
    const since = Number(queries[1].get('since'));
    expect(since).toBeCloseTo((swarm.sim.swarm.now - 600_000) / 1000, -1);
    expect(queries[1].get('tail')).toBe('all');
    const lines = c.store.getSnapshot().logs.lines;
    expect(lines.length).toBeGreaterThan(1700);
    expect(lines.length).toBeLessThan(1900);
    for (const line of lines) expect(line.time! / 1000).toBeGreaterThanOrEqual(since);

    // Both, on the command line; a bad value is a message and changes nothing.
    await c.press(':', ...'logs counter --since 2h --tail 50', KEY.enter);
    frame = await c.waitFor(/since 2h, last 50, 150 lines/);
    expect(logQueries(proxy).at(-1)!.get('tail')).toBe('50');
    await c.press('s', ...'yesterday', KEY.enter);
    frame = await c.waitFor('"yesterday" is not a time');
    await c.press(KEY.escape);
    await c.press(':', ...'logs counter --tail lots', KEY.enter);
    frame = await c.waitFor('--tail takes a line count, not "lots"');
    expect(title(frame)).toMatch(/since 2h, last 50/);
    expect(logQueries(proxy)).toHaveLength(3);
    // No request ever asked for the whole history.
    for (const q of logQueries(proxy)) expect(q.get('tail') !== 'all' || q.get('since') !== null).toBe(true);
  });

  test('--once --view logs --service NAME --since 10m --tail 5', async () => {
    const { proxy } = await start();
    const endpoint = { ...parseHost(proxy.host, {}, undefined), label: 'sim' };
    const flags = { service: 'counter', since: '10m', tail: '5', width: 120, height: 30 };
    const result = await runOnce([endpoint], flags, 'logs', undefined, import('../../source/commands/once-frame.js'));
    expect('frame' in result).toBe(true);
    const frame = (result as { frame: string }).frame;
    expect(title(frame)).toMatch(/since 10m, last 5, 15 lines/);
    const q = logQueries(proxy).at(-1)!;
    expect(q.get('tail')).toBe('5');
    expect(Number(q.get('since'))).toBeGreaterThan(0);
    const bad = await runOnce([endpoint], { ...flags, since: 'soon' }, 'logs', undefined, import('../../source/commands/once-frame.js'));
    expect(bad).toEqual({ message: expect.stringContaining('"soon" is not a time'), code: 2 });
  });
});
