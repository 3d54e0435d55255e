import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { SwarmClient, type DockerError } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { jsonDepth, type RequestLimits } from '../../source/docker/transport.js';
import { createStore } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import { App } from '../../source/ui/app.js';
import { fakeEngine, type BadAnswer, type FakeEngine } from '../helpers/fake-engine.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// An endpoint that answers badly (slow, cut short, not JSON, nested without end, never ending)
// costs the console an error message and an aged view, never its screen or unbounded memory.

const LIMITS: RequestLimits = { timeoutMs: 800, maxBytes: 1024 * 1024, maxDepth: 64 };
const SERVICES = /^\/services$/;

let swarm: TestSwarm | undefined;
let engine: FakeEngine | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await engine?.close();
  await swarm?.close();
  engine = swarm = undefined;
});

async function setUp(): Promise<SwarmClient> {
  swarm = await startTestSwarm();
  engine = await fakeEngine(swarm.sim.socketPath!);
  return new SwarmClient({ ...parseHost(engine.host, {}, undefined), label: 'fake engine' }, LIMITS);
}

const failure = async (promise: Promise<unknown>): Promise<DockerError> => {
  try {
    await promise;
  } catch (error) {
    return error as DockerError;
  }
  throw new Error('expected a failure');
};

describe('a bad answer is an error, in bounded time and memory', () => {
  const cases: [BadAnswer, RegExp][] = [
    ['slow', /^no answer to GET \/services within 0\.8s/],
    ['truncated', /answer cut short/],
    ['malformed', /malformed JSON/],
    ['deep', /nested deeper than 64 levels/],
    ['endless', /answer larger than 1 MB, refused/],
    ['not-a-list', /not a list of services/],
    ['shapeless', /not a list of services/],
  ];
  test.each(cases)('%s', async (how, message) => {
    const client = await setUp();
    expect((await client.listServices()).length).toBeGreaterThan(0);
    engine!.breakPath(SERVICES, how);
    const started = Date.now();
    const error = await failure(client.listServices());
    expect(error.message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutMs + 2000);
    if (how === 'endless') {
      // The client hung up: the engine stops being able to write soon after the cap.
      const written = engine!.endlessBytes();
      await new Promise((r) => setTimeout(r, 300));
      expect(engine!.endlessBytes() - written).toBeLessThan(4 * 1024 * 1024);
    }
    // The client still works once the endpoint does.
    engine!.breakPath(SERVICES, undefined);
    expect((await client.listServices()).length).toBeGreaterThan(0);
  });

  test('the depth of JSON text is measured outside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}', 10)).toBe(3);
    expect(jsonDepth('"\\"[["', 10)).toBe(0);
    expect(jsonDepth('['.repeat(1000), 64)).toBe(65);
  });
});

describe('the console on an endpoint that starts answering badly', () => {
  const mount = async (client: SwarmClient, wait = true) => {
    const store = createStore('fake engine');
    const sync = new Sync(client, store);
    const started = sync.start();
    if (wait) await started;
    const ui = render(<App store={store} sync={sync} readOnly={false} width={120} height={30} />);
    cleanups.push(() => {
      ui.unmount();
      sync.stop();
    });
    const frame = () => (ui.lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    const waitFor = async (check: (f: string) => boolean, what: string) => {
      const until = Date.now() + 8000;
      while (!check(frame())) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return frame();
    };
    return { sync, store, frame, waitFor };
  };

  test.each(['malformed', 'deep', 'endless', 'truncated', 'shapeless'] as BadAnswer[])(
    '%s: the error is on the status line, the services stay on screen, aged',
    async (how) => {
      const client = await setUp();
      const c = await mount(client);
      await c.waitFor((f) => f.includes('redis'), 'the services');
      engine!.breakPath(SERVICES, how);
      await c.sync.refreshServices();
      const frame = await c.waitFor((f) => f.includes('the manager answers with an error'), 'the error');
      expect(frame).toContain('redis');
      expect(frame).toMatch(/data from .* ago/);
      // Never Ink's error screen (it prints the error's stack with file names).
      expect(frame).not.toMatch(/\.tsx?:\d+|ERROR/);
      // Mended: the error goes, the data is current again.
      engine!.breakPath(SERVICES, undefined);
      await c.sync.refreshServices();
      await c.waitFor((f) => !f.includes('the manager answers with an error') && f.includes('redis'), 'the error to clear');
    },
  );

  test('slow: a listing that never comes is a lost connection, retried, with the last data kept', async () => {
    const client = await setUp();
    const c = await mount(client);
    await c.waitFor((f) => f.includes('redis'), 'the services');
    engine!.breakPath(SERVICES, 'slow');
    await c.sync.refreshServices();
    const frame = await c.waitFor((f) => f.includes('disconnected'), 'the loss');
    expect(frame.split('\n')[0]).toContain('no answer to GET /services within 0.8s');
    expect(frame).toContain('redis');
  });

  test('a slow first listing shows the console, loading, not a blank screen', async () => {
    const client = await setUp();
    engine!.breakPath(SERVICES, 'slow');
    const c = await mount(client, false);
    const frame = await c.waitFor((f) => f.includes('loading services'), 'loading');
    expect(frame).toContain('swarmdeck');
  });
});
