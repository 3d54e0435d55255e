import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Issue 23: actions do what the screen says they do.
let c: TestConsole;
afterEach(() => c?.close());

const replicas = (name: string) =>
  ([...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name)!.spec.Mode as { Replicated?: { Replicas?: number } }).Replicated?.Replicas;
const serviceNames = () => [...c.swarm.sim.swarm.services.values()].map((s) => s.spec.Name);

async function marked(...names: string[]) {
  c = await startConsole({ width: 160 });
  await c.waitFor('flaskontesting');
  for (const name of names) {
    await c.selectRow(name);
    await c.press(' ');
  }
  return c.waitFor(`${names.length} marked`);
}

describe('marked rows: the status line names exactly the verbs that act on them all', () => {
  test('the status line lists scale, restart and remove for marked services', async () => {
    const frame = await marked('counter', 'redis');
    expect(frame).toMatch(/2 marked: s scale, r restart, Ctrl\+D remove act on all of them; other keys on the cursor row/);
  });

  test('s scales every marked service, after one confirmation that lists them', async () => {
    await marked('counter', 'redis');
    await c.press('s');
    await c.waitFor('scale 2 marked (counter, redis) to:');
    await c.press('4', KEY.enter);
    const dialog = await c.waitFor('Scale 2 marked to 4?');
    expect(dialog).toContain('counter: 3 -> 4');
    expect(dialog).toContain('redis: 1 -> 4');
    await c.press('y');
    await c.waitFor('2 of 2 done');
    expect([replicas('counter'), replicas('redis'), replicas('web')]).toEqual([4, 4, 3]);
  });

  test('removing several marked services asks for the same typed confirmation as one', async () => {
    await marked('counter', 'redis');
    await c.press(KEY.ctrlD);
    await c.waitFor('Remove 2 marked?');
    await c.press('y');
    await c.waitFor('type 2 services to go ahead');
    // A bounced key is not enough.
    await c.press('y', KEY.enter);
    await c.waitFor('"y" is not 2 services: nothing was sent');
    expect(serviceNames()).toContain('counter');
    await c.press(KEY.ctrlD, 'y');
    await c.waitFor('type 2 services to go ahead');
    await c.press(...'2 services'.split(''), KEY.enter);
    await c.waitFor('2 of 2 done');
    expect(serviceNames()).not.toContain('counter');
    expect(serviceNames()).not.toContain('redis');
  });
});

describe('q means back everywhere', () => {
  test('q q from tasks then logs comes back to the services (it quit from the tasks view)', async () => {
    c = await startConsole({ width: 120, height: 39 });
    await c.waitFor('flaskontesting');
    await c.selectRow('web');
    await c.press(KEY.enter);
    await c.waitFor(/Tasks of service web[\s\S]*web\.1 /);
    await c.press('l');
    await c.waitFor(/Logs of /);
    await c.press('q');
    await c.waitFor('Tasks of service web');
    await c.press('q');
    await c.waitFor(/^ Services \(6\)/m);
  });
});

describe('what is shown', () => {
  test('host-mode published ports are not shown as the routing mesh (*:P->T), and mesh ports are as docker service ls shows them', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'hostport',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27-alpine' } },
      EndpointSpec: {
        Ports: [
          { Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' },
          { Protocol: 'tcp', TargetPort: 81, PublishedPort: 18081, PublishMode: 'ingress' },
        ],
      },
    } as any);
    const frame = await c.waitFor(/hostport .*18080/, 10_000);
    const row = frame.split('\n').find((l) => l.startsWith('hostport '))!;
    expect(row).toContain('*:18081->81/tcp, 18080->8080/tcp (host)');
    expect(row).not.toContain('*:18080');
  });

  test('node labels are a column of the nodes view, and the filter matches them', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    const node = [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === 'core-02')!;
    const inspected = await c.swarm.docker.getNode(node.id).inspect();
    await c.swarm.docker.getNode(node.id).update({ version: inspected.Version.Index, ...inspected.Spec, Labels: { gpu: 'true' } });
    await c.press('1');
    const frame = await c.waitFor(/core-02 .*gpu=true/, 10_000);
    expect(frame).toMatch(/CPUS\s+MEMORY\s+CPU\s+MEM\s+LABELS\s+TASKS/);
    await c.press('/', ...'gpu=true'.split(''), KEY.enter);
    const filtered = await c.waitFor('filter: /gpu=true (1 of 5)');
    expect(filtered).toMatch(/^core-02 /m);
    expect(filtered).not.toMatch(/^core-01 /m);
  });

  test('the why-block names the placement constraint that no node matches', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'needsgpu',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27-alpine' }, Placement: { Constraints: ['node.labels.gpu==true', 'node.role!=nothing'] } },
    } as any);
    for (let i = 0; i < 20; i++) c.swarm.advance(500);
    await c.waitFor(/needsgpu\s+replicated\s+0\/1/, 10_000);
    await c.selectRow('needsgpu');
    await c.press(KEY.enter);
    const frame = await c.waitFor('node.labels.gpu==true: no node matches', 10_000);
    expect(frame).not.toContain('node.role!=nothing: no node matches');
  });
});

describe('words', () => {
  test('ordinals: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd', async () => {
    const { ordinal } = await import('../../source/ui/present/format.js');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 112].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '112th']);
  });

  test('removing a service with one running task says "its running task is stopped"', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.selectRow('redis');
    await c.press(KEY.ctrlD);
    const dialog = await c.waitFor('Remove service redis?');
    expect(dialog).toContain('Its running task is stopped and the service is gone (docker service rm redis).');
    await c.press('n');
  });

  test('the empty stacks view offers :deploy', async () => {
    c = await startConsole({ width: 200, scenario: 'empty' });
    await c.press('3');
    await c.waitFor('no stacks: deploy one with :deploy FILE [STACK]', 10_000);
  });

  test('demoting the manager this console is connected through says so first, and where to go', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    const self = c.store.getSnapshot().nodes.find((n) => n.ID === c.store.getSnapshot().info?.Swarm?.NodeID)!;
    const name = self.Description!.Hostname!;
    await c.selectRow(name);
    await c.press('D');
    const dialog = await c.waitFor(`This console is connected through ${name}`, 10_000);
    expect(dialog).toMatch(/-H ssh:\/\/core-0\d/);
    await c.press('n');
  });
});
