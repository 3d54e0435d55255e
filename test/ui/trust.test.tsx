import { afterEach, describe, expect, test } from 'vitest';
import { crashLoop } from '../../source/simulator/model/drills.js';
import { KEY, mountConsole, startConsole, type TestConsole } from '../helpers/console.js';
import { startTestSwarm } from '../helpers/swarm.js';

// Moments where the screen said something that was not so, found trying it as an operator (issue 16).
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('logs do not carry over the previous target', () => {
  test("a new service's logs open following and unsearched after the last one was paused and searched", async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.selectRow('redis');
    await c.press('l');
    await c.waitFor(/Logs of service redis .*follow/);
    // A filter, and a step to its newest match that pauses there.
    await c.press('/', 'S', 'a', 'v', 'i', 'n', 'g', KEY.enter);
    await c.waitFor(/Logs of service redis .*follow.*\/Saving/);
    await c.press('n');
    await c.waitFor(/Logs of service redis .*paused.*\/Saving/);
    await c.press(KEY.escape);
    await c.waitFor(/Logs of service redis .*paused, \d+ lines/);
    await c.press(KEY.escape);
    await c.waitFor(/^ Services/m);
    await c.selectRow('counter');
    await c.press('l');
    const frame = await c.waitFor(/Logs of service counter/);
    const title = frame.split('\n').find((l) => l.includes('Logs of service counter'))!;
    expect(title).toMatch(/follow/);
    expect(title).not.toMatch(/paused|\/Saving/);
  });
});

describe('q in logs and inspect is a pager key', () => {
  test('q in the logs goes back to the services, and q there quits', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press('l');
    await c.waitFor(/Logs of service/);
    expect(c.frame()).toMatch(/q back/);
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });

  test('q in inspect goes back to the list it came from', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.press('i');
    await c.waitFor(/Inspect service/);
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });
});

describe('logs of tasks that never started', () => {
  test('say there are none and why, instead of "loading logs..." for ever', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    c.swarm.sim.swarm.breakImage('nope:1');
    c.swarm.sim.swarm.createService({ Name: 'broken', TaskTemplate: { ContainerSpec: { Image: 'nope:1' } } });
    c.swarm.advance(3000);
    await c.waitFor(/^broken\s/m);
    await c.press(':', ...'logs broken', KEY.enter);
    await c.waitFor('no logs: no task of this service has started (rejected: No such image: nope:1)');
    expect(c.frame()).not.toMatch(/loading logs/);
  });
});

describe('quorum loss is said within seconds', () => {
  test('the header says no leader and how many managers answer, the figures carry their age, and the return of the leader is said', async () => {
    c = await startConsole({ width: 160 });
    await c.waitFor('flaskontesting');
    expect(c.frame()).toContain('managers 2 (leader core-01)');
    // No drill, no key: raft loses its leader behind the console's back, and nothing else is asked.
    c.swarm.sim.swarm.loseQuorum();
    await c.waitFor('x no leader: quorum lost (1 of 2 managers reachable)', 8000);
    c.swarm.advance(15_000);
    const lost = await c.waitFor('data from 15 seconds ago: managers 2 (no leader)');
    // The list says its age too, where the rows are.
    expect(lost).toMatch(/Services \(6\).*as of 15 seconds ago/);
    // The node list cannot be read again: its manager statuses are said to be old, not shown as now.
    await c.press(':', ...'nodes', KEY.enter);
    await c.waitFor('No leader (1 of 2 managers reachable): STATUS and MANAGER STATUS below are as of 15 seconds ago, not now');
    await c.press(':', ...'services', KEY.enter);
    c.swarm.sim.swarm.regainQuorum();
    const back = await c.waitFor('leader back: core-01 after 15s without one; quorum regained (2 of 2 managers reachable)', 8000);
    expect(back).toMatch(/\* connected/);
    expect(back).toContain('managers 2 (leader core-01)');
    expect(back).not.toContain('data from');
  });
});

describe('quorum lost before the console starts', () => {
  test('the header says no leader, not "1 of 0 managers reachable", and the data comes when the leader does', async () => {
    const sim = await startTestSwarm({ scenario: 'tutorial' });
    sim.sim.swarm.loseQuorum();
    const mounted = await mountConsole(sim.sim.host, { width: 160, now: () => sim.sim.swarm.now });
    c = { ...mounted, swarm: sim, close: async () => (await mounted.close(), await sim.close()) };
    await c.waitFor('x no leader: quorum lost (the managers cannot be listed without a leader)');
    sim.sim.swarm.regainQuorum();
    await c.waitFor(/leader back: core-01 after \d+s without one; quorum regained \(2 of 2 managers reachable\)/, 8000);
    expect(c.frame()).toContain('flaskontesting');
  });
});

describe('counts with a node down', () => {
  test('a service whose task is stranded on a down node shows 3/3 (+1 on down NODE), and the header the same way', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor(/counter\s+replicated\s+3\/3/);
    const swarm = c.swarm.sim.swarm;
    const counter = swarm.service('counter');
    const host = [...swarm.tasksOf(counter.id)].map((t) => swarm.node(t.nodeId!)).find((n) => n.id !== swarm.selfId && n.spec.Role === 'worker')!;
    swarm.nodeDown(host.id);
    c.swarm.advance(10_000);
    const frame = await c.waitFor(new RegExp(`counter\\s+replicated\\s+3/3 \\(\\+1 on down ${host.hostname}\\)`));
    expect(frame).not.toMatch(/counter\s+replicated\s+4\/3/);
    expect(frame).toMatch(new RegExp(`tasks (\\d+)/\\1 \\(\\+\\d+ on down ${host.hostname}\\)`));
  });
});

describe('the status line belongs to the view and the moment', () => {
  const line = (frame: string) => frame.split('\n').at(-2) ?? '';

  test('a message clears after 10 seconds, and M lists it with the rest of the session', async () => {
    c = await startConsole();
    await c.selectRow('redis');
    await c.press('s', '2', KEY.enter);
    await c.waitFor('scale redis to 2: done');
    c.swarm.advance(11_000);
    await c.waitFor((f) => !line(f).includes('scale redis'));
    await c.press('M');
    const history = await c.waitFor('Messages (');
    expect(history).toMatch(/\d\d:\d\d:\d\d\s+success\s+scale redis to 2: done/);
  });

  test('a message said on one view is not shown on the next', async () => {
    c = await startConsole();
    await c.selectRow('redis');
    await c.press('s', '2', KEY.enter);
    await c.waitFor('scale redis to 2: done');
    await c.press(KEY.enter);
    const tasks = await c.waitFor('Tasks of service redis');
    expect(line(tasks)).not.toContain('scale redis');
  });
});

describe('a crash loop does not look healthy half the time', () => {
  test('a service already crash-looping, listed while its task happens to run, shows "1/1 (N restarts in 10m)" and crash loop', async () => {
    const sim = await startTestSwarm({ scenario: 'tutorial' });
    const swarm = sim.sim.swarm;
    const redis = swarm.service('redis');
    crashLoop(swarm, 'redis');
    // Four exits before the console starts (each container runs 3 s, then the policy waits 5 s)...
    for (let i = 0; i < 400 && [...swarm.tasksOf(redis.id)].filter((t) => t.state === 'failed').length < 4; i++) sim.advance(250);
    // ...and it starts while a task runs: the listing says 1/1, which alone looks healthy.
    for (let i = 0; i < 100 && ![...swarm.tasksOf(redis.id)].some((t) => t.state === 'running'); i++) sim.advance(250);
    const mounted = await mountConsole(sim.sim.host, { width: 200, now: () => swarm.now });
    c = { ...mounted, swarm: sim, close: async () => (await mounted.close(), await sim.close()) };
    // A slot holds no more ended tasks than dockerd keeps: four kept exits are a floor, said with their rate.
    const frame = await c.waitFor(/redis\s+replicated\s+1\/1 \(\d+\+ restarts in 10m, every ~\d+s\)/, 10_000);
    expect(frame).toMatch(/redis\s+replicated\s+1\/1 \((\d+)\+ restarts in 10m, every ~[6-9]s\).*crash loop/);
    expect(frame).toMatch(/services 6 \(1 crash-looping\)/);
    expect(Number(/redis\s+replicated\s+1\/1 \((\d+)\+ restarts/.exec(frame)![1])).toBeGreaterThanOrEqual(4);
    // Its tasks say it above the history, whether or not a task runs this second.
    await c.selectRow('redis');
    await c.press(KEY.enter);
    await c.waitFor(/Crash loop: \d+\+ restarts in 10m, every ~\d+s; last exit .* ago: task: non-zero exit \(1\)/);
  });

  test('an update that fixes a crash loop ends it as soon as the new task runs (its old tasks failed on the old spec)', async () => {
    const sim = await startTestSwarm({ scenario: 'tutorial' });
    const swarm = sim.sim.swarm;
    const redis = swarm.service('redis');
    crashLoop(swarm, 'redis');
    for (let i = 0; i < 400 && [...swarm.tasksOf(redis.id)].filter((t) => t.state === 'failed').length < 4; i++) sim.advance(250);
    const mounted = await mountConsole(sim.sim.host, { width: 200, now: () => swarm.now });
    c = { ...mounted, swarm: sim, close: async () => (await mounted.close(), await sim.close()) };
    await c.waitFor(/redis\s+replicated.*crash loop/, 10_000);
    // The fix: a new spec (here an env var; the drill's fault goes with it).
    crashLoop(swarm, 'redis', false);
    const service = sim.docker.getService(redis.id);
    const inspected = await service.inspect();
    const spec = inspected.Spec;
    spec.TaskTemplate.ContainerSpec.Env = ['FIXED=1'];
    await service.update({ version: inspected.Version.Index, ...spec });
    for (
      let i = 0;
      i < 200 && ![...swarm.tasksOf(redis.id)].some((t) => t.state === 'running' && (t as any).spec?.ContainerSpec?.Env?.includes('FIXED=1'));
      i++
    )
      sim.advance(250);
    const frame = await c.waitFor((f) => /redis\s+replicated\s+1\/1/.test(f) && !/crash/.test(f), 15_000);
    expect(frame).not.toMatch(/crash-looping/);
  });
});
