import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
beforeAll(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterAll(() => swarm.close());

describe('ping, version and info', () => {
  test('GET /_ping answers OK with the headers the docker CLI reads', async () => {
    const res = await swarm.raw('GET', '/_ping');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers['api-version']).toBe('1.41');
    expect(res.headers['ostype']).toBe('linux');
    expect(res.headers['docker-experimental']).toBe('false');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  test('HEAD /_ping answers 200 with no body', async () => {
    const res = await swarm.raw('HEAD', '/_ping');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['api-version']).toBe('1.41');
  });

  test('dockerode pings and reads the version', async () => {
    expect(String(await swarm.docker.ping())).toBe('OK');
    const version = await swarm.docker.version();
    expect(version.ApiVersion).toBe('1.41');
  });

  test('a /v1.41 prefix is served like the unversioned path', async () => {
    const res = await swarm.raw('GET', '/v1.41/version');
    expect(res.status).toBe(200);
    expect(res.json().ApiVersion).toBe('1.41');
  });

  test('a client version above 1.41 is refused as too new', async () => {
    const res = await swarm.raw('GET', '/v1.99/version');
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ message: 'client version 1.99 is too new. Maximum supported API version is 1.41' });
  });

  test('a client version below 1.12 is refused in plain text, as dockerd does', async () => {
    const res = await swarm.raw('GET', '/v1.11/version');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toMatch(/^client version 1.11 is too old. Minimum supported API version is 1.12/);
  });

  test('an unknown route is 404 page not found', async () => {
    const res = await swarm.raw('GET', '/v1.41/bogus/route');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'page not found' });
  });

  test('info names the leader as this node and counts managers and nodes', async () => {
    const info = await swarm.docker.info();
    const leader = (await swarm.docker.listNodes()).find((n: any) => n.ManagerStatus?.Leader);
    expect(info.Swarm.NodeID).toBe(leader!.ID);
    expect(info.Swarm.LocalNodeState).toBe('active');
    expect(info.Swarm.ControlAvailable).toBe(true);
    expect(info.Swarm.Nodes).toBe(5);
    expect(info.Swarm.Managers).toBe(2);
  });

  test('the swarm object carries join tokens', async () => {
    const inspect = await swarm.docker.swarmInspect();
    expect(inspect.JoinTokens.Worker).toMatch(/^SWMTKN-1-/);
    expect(inspect.Spec.Orchestration.TaskHistoryRetentionLimit).toBe(5);
  });

  test('distribution answers as an offline engine: a 500 the CLI only warns about', async () => {
    const res = await swarm.raw('GET', '/v1.41/distribution/busybox:1/json');
    expect(res.status).toBe(500);
    expect(res.json().message).toMatch(/registry-1.docker.io/);
  });
});

describe('networks, secrets and configs', () => {
  test('networks list ingress and the attachable backend overlay', async () => {
    const networks = await swarm.docker.listNetworks();
    const ingress = networks.find((n) => n.Name === 'ingress');
    const backend = networks.find((n) => n.Name === 'backend');
    expect(ingress?.Ingress).toBe(true);
    expect(backend?.Attachable).toBe(true);
    expect(backend?.Scope).toBe('swarm');
    const one = await swarm.docker.getNetwork(backend!.Id).inspect();
    expect(one.Name).toBe('backend');
  });

  test('secrets and configs list metadata, and unknown ones are 404', async () => {
    const secrets = await swarm.docker.listSecrets();
    expect(secrets.map((s: any) => s.Spec.Name)).toContain('redis_password');
    const configs = await swarm.docker.listConfigs();
    expect(configs.map((c: any) => c.Spec.Name)).toContain('nginx_conf');
    const res = await swarm.raw('GET', '/secrets/nope');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ message: 'secret nope not found' });
  });
});
