import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { raw } from '../contract/wire.js';

// What the simulator does beyond the contract: its own limits, locked managers, staying up.
let sim: Simulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

async function blank(names = ['a1', 'a2']) {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-fleet-'));
  sim = await startSimulator({ clock: 'manual', scenario: 'blank', names, engines: dir });
  const engine = (name: string) => new Docker({ socketPath: sim!.engineSockets[name] });
  return { sim, engine, call: (name: string, method: string, path: string, body?: unknown) => raw(engine(name), method, path, body) };
}

describe('the blank scenario', () => {
  test('serves one socket per named engine, none in a swarm, and the manager socket is the first engine', async () => {
    const { sim, call } = await blank(['alpha', 'beta', 'gamma']);
    expect(Object.keys(sim.engineSockets)).toEqual(['alpha', 'beta', 'gamma']);
    expect(((await call('beta', 'GET', '/info')).body as any).Name).toBe('beta');
    const main = new Docker({ socketPath: sim.socketPath });
    expect(((await main.info()) as any).Name).toBe('alpha');
    expect(() => sim.swarm).toThrow(/no swarm yet: run docker swarm init/);
  });

  test('names that are not hostnames are refused with a sentence', async () => {
    await expect(startSimulator({ clock: 'manual', scenario: 'blank', names: ['ok', 'not ok'] })).rejects.toThrow(
      '--names must be hostnames separated by commas, not "not ok"',
    );
  });

  test('a join to an address nobody serves times out as dockerd says, leaves the engine in error, and leave --force clears it', async () => {
    const { call } = await blank();
    await call('a1', 'POST', '/swarm/init', {});
    const token = ((await call('a1', 'GET', '/swarm')).body as any).JoinTokens.Worker;
    const join = await call('a2', 'POST', '/swarm/join', { RemoteAddrs: ['10.99.99.99:2377'], JoinToken: token });
    expect(join.status).toBe(503);
    expect(join.body.message).toMatch(/^Timeout was reached before node joined/);
    expect(((await call('a2', 'GET', '/info')).body as any).Swarm).toMatchObject({ LocalNodeState: 'error', NodeID: '' });
    expect((await call('a2', 'POST', '/swarm/leave?force=1')).status).toBe(200);
    expect(((await call('a2', 'GET', '/info')).body as any).Swarm.LocalNodeState).toBe('inactive');
  });

  test('with autolock on, a manager that restarts is locked until unlocked with its key', async () => {
    const { call } = await blank();
    await call('a1', 'POST', '/swarm/init', { AutoLockManagers: true });
    const key = ((await call('a1', 'GET', '/swarm/unlockkey')).body as any).UnlockKey;
    expect(key).toMatch(/^SWMKEY-1-/);
    expect((await call('a1', 'POST', '/swarmdeck/drills/restart-engine?target=a1')).body.message).toContain('restarted locked');
    expect(await call('a1', 'GET', '/nodes')).toEqual({
      status: 503,
      body: { message: 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.' },
    });
    expect(await call('a1', 'POST', '/swarm/unlock', { UnlockKey: 'nope' })).toEqual({ status: 400, body: { message: 'invalid key string' } });
    expect((await call('a1', 'POST', '/swarm/unlock', { UnlockKey: key })).status).toBe(200);
    expect((await call('a1', 'GET', '/nodes')).status).toBe(200);
  });
});

describe('it stays up whatever it is asked', () => {
  test('10,000,000 replicas are refused as the simulator limit, at once, and the simulator answers on', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
    const docker = new Docker({ socketPath: sim.socketPath });
    const res = await raw(docker, 'POST', '/services/create', {
      Name: 'huge',
      TaskTemplate: { ContainerSpec: { Image: 'nginx' } },
      Mode: { Replicated: { Replicas: 10_000_000 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'rpc error: code = InvalidArgument desc = swarmdeck simulator: 10000000 replicas is over its limit of 100000 per service (a real manager would try)',
    );
    expect(sim.swarm.services.size).toBe(0);
    expect(await docker.ping()).toBeTruthy();
  });

  test('after a 413 the connection is closed rather than the rest of the body read', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'empty' });
    const closed = await new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      const req = request({ socketPath: sim!.socketPath, method: 'POST', path: '/services/create', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', reject);
      // 5 MiB sent, and more would follow: the server answers and hangs up.
      req.write(Buffer.alloc(5 * 1024 * 1024, 'a'));
    });
    expect(closed).toEqual({ status: 413, connection: 'close' });
  });

  test('a follower that never reads costs a bounded buffer: the logs stream stops producing, and resumes when read', async () => {
    sim = await startSimulator({ clock: 'manual', scenario: 'tutorial' });
    const streamed: number[] = [];
    const res = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      request({ socketPath: sim!.socketPath, path: '/services/flaskontesting/logs?stdout=1&stderr=1&follow=1&tail=0' }, resolve).end();
    });
    res.pause();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 120; i++) sim.advance(60_000);
    const grown = process.memoryUsage().heapUsed - before;
    // Two hours of five chatty tasks would be far more than this if every line were queued for a client that does not read.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    res.on('data', (chunk: Buffer) => streamed.push(chunk.length));
    res.resume();
    for (let i = 0; i < 20 && streamed.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(streamed.length).toBeGreaterThan(0);
    res.destroy();
  });
});
