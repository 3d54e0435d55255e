import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Random } from '../../source/simulator/model/random.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
beforeAll(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterAll(() => swarm.close());

const json = { 'Content-Type': 'application/json' };

describe('bad requests get a JSON error and change nothing', () => {
  test('malformed JSON in a create is a 400 with a message', async () => {
    const res = await swarm.raw('POST', '/services/create', '{"Name": "x", ', json);
    expect(res.status).toBe(400);
    expect(typeof res.json().message).toBe('string');
  });

  test('a wrong type for Replicas is refused', async () => {
    const body = JSON.stringify({ Name: 'x', TaskTemplate: { ContainerSpec: { Image: 'a' } }, Mode: { Replicated: { Replicas: 'three' } } });
    const res = await swarm.raw('POST', '/services/create', body, json);
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/cannot unmarshal/);
  });

  test('a body over 4 MiB is refused', async () => {
    const res = await swarm.raw('POST', '/services/create', Buffer.alloc(5 * 1024 * 1024, 'a'), json);
    expect(res.status).toBe(413);
    expect(res.json().message).toBe('request body too large');
  });

  test('filters that are not JSON are refused', async () => {
    const res = await swarm.raw('GET', '/tasks?filters=%7Bnot-json');
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/^invalid filter/);
  });

  test('a thousand random malformed requests each get a JSON error, and the server serves on', async () => {
    const random = new Random(42);
    const paths = [
      '/services/create',
      '/services/redis/update',
      '/nodes/core-02/update',
      '/tasks',
      '/services',
      '/events?filters=%7B',
      '/v9.x/info',
      '/services/%zz',
      '/nodes',
      '/services/redis/logs',
    ];
    const bodies = ['', '{', '[]', 'null', '"s"', '{"Name":5}', '{"Mode":[]}', '{"TaskTemplate":"x"}', '{"Role":1}', '\u0000\u00ff', '{"Labels":[1]}'];
    const queries = [
      '',
      '?version=abc',
      '?version=-1',
      '?filters=%7B%22name%22%3A5%7D',
      '?filters=%5B%5D',
      '?since=zzz',
      '?tail=-5&stdout=1',
      '?version=99999999999999999999',
    ];
    const before = swarm.sim.swarm.index;
    for (let i = 0; i < 1000; i++) {
      const method = random.next() < 0.7 ? 'POST' : 'GET';
      const path = paths[random.int(paths.length)] + queries[random.int(queries.length)];
      const body = method === 'POST' ? bodies[random.int(bodies.length)] : undefined;
      const res = await swarm.raw(method, path, body, json);
      if (res.status >= 400) {
        expect(res.json(), `${method} ${path} ${body}`).toEqual({ message: expect.any(String) });
      }
    }
    expect(swarm.sim.swarm.index).toBe(before);
    expect((await swarm.docker.listServices()).length).toBe(6);
  });
});
