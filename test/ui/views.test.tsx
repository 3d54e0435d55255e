import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startSimulator } from '../../source/simulator/server.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole;
afterEach(() => c?.close());

const command = (text: string) => c.press(':', ...text, KEY.enter);
const node = (hostname: string) => [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === hostname)!;

/** Moves the selection to the row that starts with `name`. */
const selectRow = (name: string) => c.selectRow(name);

describe('stacks', () => {
  test(":stacks groups services by their stack; Enter lists the stack's services, and Enter again their tasks", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('stacks');
    await c.waitFor(/getstartedlab\s+1\s+5\/5\s+Swarm/);
    await c.press(KEY.enter);
    const services = await c.waitFor('Services of stack getstartedlab (1)');
    expect(services).toMatch(/getstartedlab_web\s+replicated\s+5\/5/);
    expect(services).not.toContain('flaskontesting');
    await c.press(KEY.enter);
    await c.waitFor(/Tasks of service getstartedlab_web \(5 current/);
  });
});

describe('networks, configs and secrets', () => {
  test(':networks lists drivers, scopes, subnets and how many services attach; Enter inspects one', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('networks');
    const list = await c.waitFor('Networks (7)');
    expect(list).toMatch(/backend\s+\w{12}\s+overlay\s+swarm\s+yes\s+10\.0\.\d+\.0\/24\s+2$/m);
    expect(list).toMatch(/ingress \(ingress\)\s+\w{12}\s+overlay\s+swarm/);
    await selectRow('backend');
    await c.press(KEY.enter);
    await c.waitFor('Inspect network backend');
    await c.waitFor(/^Driver: overlay$/m);
  });

  test(':secrets shows names and dates, never data; :configs the same for configs', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('secrets');
    const secrets = await c.waitFor('Secrets (1)');
    expect(secrets).toMatch(/redis_password\s+\w{12}\s+\d+ hours ago/);
    await command('configs');
    await c.waitFor(/nginx_conf\s+\w{12}\s+\d+ hours ago/);
  });
});

describe('events', () => {
  test('the timeline shows changes as they happen, newest first, with what changed', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('5');
    await c.waitFor(/Events \(\d+, live\)/);
    const redis = [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === 'redis')!;
    c.swarm.sim.swarm.updateService(redis.id, redis.version, { ...redis.spec, Mode: { Replicated: { Replicas: 3 } } }, false);
    const frame = await c.waitFor(/service\s+update\s+redis\s+replicas 1 -> 3/);
    const rows = frame.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(rows[0]).toMatch(/redis\s+replicas 1 -> 3/);
  });

  test("E on a node shows that node's events only", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await selectRow('core-03');
    await c.press('E');
    await c.waitFor('Events of node core-03');
    c.swarm.sim.swarm.updateNode(node('core-04').id, node('core-04').version, { ...node('core-04').spec, Availability: 'drain' });
    c.swarm.sim.swarm.updateNode(node('core-03').id, node('core-03').version, { ...node('core-03').spec, Availability: 'pause' });
    const frame = await c.waitFor(/node\s+update\s+core-03\s+availability active -> pause/);
    expect(frame).not.toContain('core-04');
  });
});

describe('the cluster map', () => {
  test('one column per node with its tasks; drained and down nodes are marked plainly', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    c.swarm.sim.swarm.updateNode(node('core-02').id, node('core-02').version, { ...node('core-02').spec, Availability: 'drain' });
    c.swarm.sim.swarm.nodeDown('core-04');
    c.swarm.advance(5000);
    await c.press('4');
    const map = await c.waitFor((f) => f.includes('Cluster map (5 nodes, 1 down, 1 drained or paused)') && /0 tasks/.test(f));
    const [names, states, counts] = map.split('\n').slice(3, 6);
    expect(names).toMatch(/^core-01\s+core-02\s+core-03\s+core-04\s+core-05/);
    expect(states).toMatch(/^ready leader\s+DRAINED\s+ready\s+DOWN\s+ready manager/);
    expect(counts).toMatch(/^\d+ tasks\s+0 tasks\s+\d+ tasks\s+0 tasks/);
    expect(map).toMatch(/## flaskontesting\.\d/);
    // Enter on a column: that node's tasks.
    await c.press('l', 'l', KEY.enter);
    await c.waitFor('Tasks of node core-03');
  });
});

describe('inspect', () => {
  test('i shows the selected service as YAML with secret-looking env values masked; x reveals them, J shows JSON', async () => {
    c = await startConsole({ height: 60 });
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    await c.press('i');
    const yaml = await c.waitFor((f) => f.includes('Inspect service counter') && f.includes('REDIS_HOST'));
    expect(yaml).toContain('- REDIS_HOST=redis');
    expect(yaml).toContain('- "REDIS_PASSWORD=******"');
    expect(yaml).not.toContain('counter-demo-pass');
    await c.press('x');
    await c.waitFor('- REDIS_PASSWORD=counter-demo-pass');
    await c.press('x', 'J');
    const json = await c.waitFor('"REDIS_PASSWORD=******"');
    expect(json).toMatch(/^ {8}"Image": "subicura\/counter:latest",$/m);
  });

  test('/ finds a line far down and scrolls to it', async () => {
    c = await startConsole({ height: 20 });
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    await c.press('i');
    await c.waitFor('Inspect service counter');
    expect(c.frame()).not.toContain('PublishedPort');
    await c.press('/', ...'publishedport', KEY.enter);
    await c.waitFor(/match 1 of \d+ for \/publishedport/);
    expect(c.frame()).toMatch(/PublishedPort: 4568/);
  });

  test(':swarm shows the join tokens masked', async () => {
    c = await startConsole({ height: 60 });
    await c.waitFor('flaskontesting');
    await command('swarm');
    const frame = await c.waitFor((f) => f.includes('Inspect the swarm') && f.includes('JoinTokens'));
    expect(frame).toMatch(/Worker: "\*{6}"/);
    expect(frame).not.toContain('SWMTKN');
  });
});

describe('practice drills on the simulated swarm', () => {
  test('X takes a node down and brings it back; Swarm reschedules its tasks meanwhile', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await selectRow('core-03');
    await c.press('X');
    await c.waitFor('drill: core-03 is down: its tasks are being rescheduled');
    await c.waitFor(/core-03\s+\w{12}\s+Down/);
    // Its tasks are replaced elsewhere; the old ones still count as running until it is back, as on a real swarm.
    c.swarm.advance(10_000);
    await c.waitFor(/core-03\s+\w{12}\s+Down\s.*\s0$/m);
    await c.press('X');
    await c.waitFor('drill: core-03 is back');
    await c.waitFor(/core-03\s+\w{12}\s+Ready/);
  });

  test("when a node goes down, the services view's counts follow its tasks being replaced, with no service event", async () => {
    c = await startConsole();
    await c.waitFor(/tasks 22\/22/);
    const core3 = [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === 'core-03')!;
    // Not through the console: only the manager's node event tells it something happened.
    expect((await c.swarm.raw('POST', `/swarmdeck/drills/node-down?target=${core3.id}`)).status).toBe(200);
    c.swarm.advance(10_000);
    // The replacements run while the down node's tasks still count, as on a real swarm.
    await c.waitFor((f) => {
      const [, running, desired] = /tasks (\d+)\/(\d+)/.exec(f) ?? [];
      return Number(running) > Number(desired);
    });
  });

  test('B makes an image fail: a forced update then shows the rejected tasks and why', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press('B');
    await c.waitFor('drill: redis:latest now fails to pull');
    await c.press('r', 'y');
    await c.waitFor('restart redis (update --force): done');
    c.swarm.advance(3000);
    await c.press(KEY.enter);
    await c.waitFor(/Rejected .*No such image: redis:latest/);
  });

  test('Q loses raft quorum and Q again regains it', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press('Q');
    await c.waitFor('drill: managers down: core-05; raft has no leader');
    await c.waitFor('x no leader: quorum lost (1 of 2 managers reachable)');
    // The manager still answers: Q again brings the managers back, and the header clears.
    await c.press('Q');
    await c.waitFor('drill: managers back: core-05');
    await c.waitFor(/\* connected\s*$/m);
    expect(c.frame()).toMatch(/managers 2 \(leader core-01\)/);
  });
});

describe('contexts', () => {
  test(':ctx lists the docker contexts, and Enter moves to another swarm without restarting', async () => {
    const config = mkdtempSync(join(tmpdir(), 'swarmdeck-ctx-'));
    const other = await startSimulator({ clock: 'manual', scenario: 'empty' });
    const saved = process.env.DOCKER_CONFIG;
    try {
      const meta = join(config, 'contexts', 'meta', createHash('sha256').update('lab').digest('hex'));
      mkdirSync(meta, { recursive: true });
      writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'lab', Endpoints: { docker: { Host: other.host } } }));
      process.env.DOCKER_CONFIG = config;
      c = await startConsole();
      await c.waitFor('flaskontesting');
      await command('ctx');
      const list = await c.waitFor('Docker contexts (2; Enter switches)');
      expect(list).toMatch(new RegExp(`^lab\\s+${other.host}$`, 'm'));
      await selectRow('lab');
      await c.press(KEY.enter);
      const switched = await c.waitFor('switched to context lab');
      expect(switched).toContain('Services (0)');
      expect(switched).toMatch(/nodes 1\/1 ready/);
    } finally {
      process.env.DOCKER_CONFIG = saved;
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      await other.close();
      rmSync(config, { recursive: true, force: true });
    }
  });
});

describe('a service that is not all right', () => {
  test('while it updates, its tasks lead with the rollout: tasks on the new spec, failures against the ratio, the config; Ctrl+L rolls it back', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'slow',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.25-alpine' } },
      Mode: { Replicated: { Replicas: 4 } },
      UpdateConfig: { Parallelism: 1, Delay: 20e9, Monitor: 5e9, MaxFailureRatio: 0.25, FailureAction: 'rollback' },
    } as any);
    c.swarm.advance(3000);
    const slow = await c.swarm.docker.getService('slow').inspect();
    await c.swarm.docker
      .getService('slow')
      .update({ ...slow.Spec, version: slow.Version.Index, TaskTemplate: { ...slow.Spec.TaskTemplate, ContainerSpec: { Image: 'nginx:1.27-alpine' } } });
    c.swarm.advance(2000);
    await command('tasks slow');
    const frame = await c.waitFor(/Update in progress \(started .* ago\): 1\/4 tasks on the new spec, 0 failed \(max failure ratio 0\.25: 1 allowed\)/);
    expect(frame).toContain('parallelism 1, delay 20s, monitor 5s, order stop-first, on failure rollback; Ctrl+L rolls back');
    await c.press(KEY.ctrlL);
    await c.waitFor('Roll back slow to its previous spec?');
    await c.press('y');
    await c.waitFor('roll back slow: done');
    await c.waitFor(/Rollback in progress/);
  });

  test("when tasks cannot be placed, its tasks lead with why: the scheduler's reason, how often, and when last", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'nowhere',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27-alpine' }, Placement: { Constraints: ['node.labels.disk==ssd'] } },
      Mode: { Replicated: { Replicas: 2 } },
    } as any);
    c.swarm.advance(2000);
    await command('tasks nowhere');
    await c.waitFor('0 of 2 tasks running. Why:');
    await c.waitFor(/^ {2}2x no suitable node \(scheduling constraints not satisfied on 5 nodes\) \(latest .* ago\)/m);
  });

  test("the drain preview says when a service's tasks have nowhere else to go", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'pinned',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27-alpine' }, Placement: { Constraints: ['node.hostname==core-02'] } },
      Mode: { Replicated: { Replicas: 1 } },
    } as any);
    c.swarm.advance(2000);
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await selectRow('core-02');
    await c.press('r');
    const dialog = await c.waitFor('Drain core-02?');
    // (The line wraps inside the dialog's border.)
    expect(dialog).toMatch(/! pinned \(1\): no other node satisfies node\.hostname==core-02: they/);
    expect(dialog).toMatch(/will stay pending/);
    await c.press('n');
    await c.press(KEY.escape);
    await selectRow('core-03');
    await c.press('r');
    const fine = await c.waitFor('Drain core-03?');
    expect(fine.replace(/\s+/g, ' ')).toMatch(/Every one has somewhere to go: \d\+ other nodes fit each service's constraints/);
  });
});

describe('bad input on the command line', () => {
  test('a name that matches nothing is said plainly, and the view stays as it was', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    const before = c.swarm.sim.swarm.index;
    // :logs reads services, tasks and stacks (no node logs in Swarm); the others take a node too.
    const said = { tasks: 'no service or node', logs: 'no service, task or stack', inspect: 'no service or node', events: 'no service or node' };
    for (const [verb, words] of Object.entries(said)) {
      c.store.dispatch({ type: 'status', text: 'cleared', kind: 'info', at: 0 });
      await command(`${verb} nosuch`);
      await c.waitFor(`${words} named "nosuch"`);
      expect(c.frame()).toContain('Services (6)');
    }
    // With a node selected, :logs has nothing it can show.
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await command('logs');
    await c.waitFor(':logs needs a service or task: select one first, or give its name (:logs NAME)');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });

  test('a search that matches nothing says so and moves nothing', async () => {
    c = await startConsole({ height: 20 });
    await c.waitFor('flaskontesting');
    await c.press('i');
    await c.waitFor((f) => f.includes('Inspect service counter') && f.includes('ID:'));
    await c.press('/', ...'zzzz', KEY.enter);
    await c.waitFor('nothing matches /zzzz');
    expect(c.frame()).toMatch(/^ID: /m);
  });
});

describe('help', () => {
  test('on a small terminal help scrolls with j/k and G, and Esc closes it where the view was', async () => {
    c = await startConsole({ width: 80, height: 23 });
    await c.waitFor('flaskontesting');
    await c.press('?');
    const top = await c.waitFor('-- j/k scroll: 0 above,');
    expect(top).not.toContain('Esc or ? closes this help');
    await c.press('G');
    await c.waitFor('Esc or ? closes this help');
    await c.waitFor(/-- j\/k scroll: \d+ above, 0 below --/);
    await c.press(KEY.escape);
    await c.waitFor('Services (6)');
  });
});
