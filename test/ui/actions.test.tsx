import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LOG_LIMIT } from '../../source/store/sync.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole;
afterEach(() => c?.close());

const service = (name: string) => [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name)!;
const node = (hostname: string) => [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === hostname)!;

/** Moves the selection to the row that starts with `name`. */
const selectRow = (name: string) => c.selectRow(name);

async function openNodes() {
  await c.waitFor('flaskontesting');
  await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
  await c.waitFor('Nodes (5)');
}

describe('service actions', () => {
  test('s scales a service: the prompt shows the current count and the simulator gets the new one', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press('s');
    await c.waitFor('scale redis (now 1) to:');
    await c.press('4', KEY.enter);
    await c.waitFor('scale redis to 4: done');
    expect(service('redis').spec.Mode?.Replicated?.Replicas).toBe(4);
    c.swarm.advance(3000);
    await c.waitFor(/redis\s+replicated\s+4\/4/);
  });

  test('a replica count that is not a whole number is refused in the prompt and nothing is sent', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    const before = c.swarm.sim.swarm.index;
    await c.press('s', '-', '2', KEY.enter);
    await c.waitFor('"-2" is not a whole number of replicas (0 or more)');
    await c.press(KEY.escape);
    expect(c.swarm.sim.swarm.index).toBe(before);
    expect(service('redis').spec.Mode?.Replicated?.Replicas).toBe(1);
  });

  test('scaling a global service is refused with the reason', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('node-exporter');
    await c.press('s');
    await c.waitFor('node-exporter is a global service: it runs one task per node and cannot be scaled');
  });

  test('r asks first, then forces an update: every task is replaced', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    await c.press('r');
    await c.waitFor('Restart counter?');
    await c.press('y');
    await c.waitFor('restart counter (update --force): done');
    expect(service('counter').spec.TaskTemplate?.ForceUpdate).toBe(1);
    await c.waitFor(/counter\s.*updating/);
    c.swarm.advance(30_000);
    await c.waitFor(/counter\s.*completed/);
  });

  test('n at the confirmation cancels and sends nothing', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    const before = c.swarm.sim.swarm.index;
    await c.press('r');
    await c.waitFor('Restart counter?');
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });

  test('Ctrl+L shows what the rollback will change, then rolls back', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('web');
    await c.press(KEY.ctrlL);
    const dialog = await c.waitFor('Roll back web to its previous spec?');
    expect(dialog).toContain('image: nginx:1.27-alpine -> nginx:1.25-alpine');
    expect(dialog).toContain('replicas: 3 -> 2');
    expect(dialog).toContain('env: + LOG_LEVEL=debug');
    expect(dialog).toContain('env: - LOG_LEVEL=info');
    await c.press(KEY.enter);
    await c.waitFor('roll back web: done');
    expect(service('web').spec.TaskTemplate?.ContainerSpec?.Image).toBe('nginx:1.25-alpine');
    await c.waitFor(/web\s.*rollback started/);
  });

  test('Ctrl+L says plainly when there is no previous spec', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press(KEY.ctrlL);
    await c.waitFor('redis has no previous spec: there is nothing to roll back to');
  });

  test('a daemon error is shown word for word', async () => {
    // Wide enough for the whole message: narrower terminals cut the status line at the edge.
    c = await startConsole({ width: 240 });
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    c.swarm.sim.swarm.loseQuorum();
    await c.press('s', '2', KEY.enter);
    await c.waitFor(
      "scale redis to 2: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
    );
    // Background refreshes meet the same error: the header says so, without hiding the action's result.
    await c.waitFor('x no leader: quorum lost (1 of 2 managers reachable)');
    expect(c.frame()).toContain('The swarm does not have a leader');
  });
});

describe('node actions', () => {
  test('P promotes a worker', async () => {
    c = await startConsole();
    await openNodes();
    await selectRow('core-02');
    await c.press('P');
    await c.waitFor('promote core-02: done');
    expect(node('core-02').spec.Role).toBe('manager');
    await c.waitFor(/core-02 .*Reachable/);
  });

  test('D asks, then demotes a manager', async () => {
    c = await startConsole();
    await openNodes();
    await selectRow('core-05');
    await c.press('D');
    await c.waitFor('Demote core-05 to worker?');
    await c.press('y');
    await c.waitFor('demote core-05: done');
    expect(node('core-05').spec.Role).toBe('worker');
  });

  test('demoting the last manager is refused before anything is sent', async () => {
    c = await startConsole();
    c.swarm.sim.swarm.updateNode(node('core-05').id, node('core-05').version, { ...node('core-05').spec, Role: 'worker' });
    await openNodes();
    await c.waitFor((f) => !/core-05 .*Reachable/.test(f));
    await selectRow('core-01');
    const before = c.swarm.sim.swarm.index;
    await c.press('D');
    await c.waitFor('core-01 is the last manager: demoting it would leave the swarm with no manager');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });

  test('demoting a manager that would break quorum warns, and goes ahead only after y and the typed node name', async () => {
    c = await startConsole();
    const swarm = c.swarm.sim.swarm;
    swarm.updateNode(node('core-02').id, node('core-02').version, { ...node('core-02').spec, Role: 'manager' });
    swarm.nodeDown('core-02');
    await openNodes();
    await c.waitFor(/core-02 .*Down.*Unreachable/);
    await selectRow('core-05');
    await c.press('D');
    const warning = await c.waitFor('Demoting core-05 breaks raft quorum');
    expect(warning.replace(/\s+/g, ' ')).toContain('1 of the 2 remaining managers would be reachable; raft needs 2 for quorum');
    const before = swarm.index;

    await c.press('y');
    await c.waitFor('type core-05 to go ahead (Esc cancels):');
    await c.press(...'core-0', KEY.enter);
    await c.waitFor('"core-0" is not core-05: nothing was sent');
    expect(swarm.index).toBe(before);

    await c.press('D', 'y', ...'core-05', KEY.enter);
    // Sent: the manager itself refuses it, and says why.
    await c.waitFor('demote core-05: rpc error');
    expect(c.store.getSnapshot().status?.text).toBe(
      "demote core-05: rpc error: code = FailedPrecondition desc = can't remove member from the raft: this would result in a loss of quorum",
    );
    expect(node('core-05').spec.Role).toBe('manager');
    // The attempt is in the action log with the manager's answer.
    await c.press('a');
    await c.waitFor(/failed: rpc error: code = F\S*\s+node core-05\s+docker node demote core-05/);
    // Its column cuts the daemon's words; Enter shows the entry whole, and w wraps what is longer than the screen.
    await c.press(KEY.enter);
    await c.waitFor('command: docker node demote core-05');
    await c.press('w');
    const whole = (await c.waitFor('yaml, secrets masked, wrapped')).replace(/\n {2}/g, '');
    expect(whole).toContain(
      'result: "failed: rpc error: code = FailedPrecondition desc = can\'t remove member from the raft: this would result in a loss of quorum"',
    );
  });

  test('a demotion that keeps quorum asks once and says how many losses the rest tolerate', async () => {
    c = await startConsole();
    c.swarm.sim.swarm.updateNode(node('core-02').id, node('core-02').version, { ...node('core-02').spec, Role: 'manager' });
    await openNodes();
    await c.waitFor(/core-02 .*Reachable/);
    await selectRow('core-05');
    await c.press('D');
    await c.waitFor('It leaves the raft; 2 managers remain, which tolerate 0 lost.');
    await c.press(KEY.escape);
    await c.waitFor('cancelled: nothing was sent');
  });

  test('r shows how many tasks will move, then drains the node', async () => {
    c = await startConsole();
    await openNodes();
    await selectRow('core-02');
    await c.press('r');
    const dialog = await c.waitFor('Drain core-02?');
    expect(dialog).toContain('4 tasks will move to other nodes:');
    expect(dialog).toContain('1 global task will stop here: node-exporter');
    await c.press('y');
    await c.waitFor('drain core-02: done');
    expect(node('core-02').spec.Availability).toBe('drain');
    await c.waitFor(/core-02 .*Drain .*\b0$/m);
    c.swarm.advance(3000);
    // The moved tasks start without an event of their own: the other nodes' counts follow them,
    // and add up to the running tasks the header counts.
    await c.waitFor((f) => {
      const running = /tasks (\d+)\/\d+/.exec(f)?.[1];
      const counts = [...f.matchAll(/^core-\d+ .* (\d+)$/gm)].map((m) => Number(m[1]));
      return counts.length === 5 && String(counts.reduce((a, b) => a + b, 0)) === running;
    });
  });

  test('c pauses after confirmation and u activates again', async () => {
    c = await startConsole();
    await openNodes();
    await selectRow('core-03');
    await c.press('c');
    await c.waitFor('Pause core-03?');
    await c.press(KEY.enter);
    await c.waitFor(/core-03 .*Pause/);
    expect(node('core-03').spec.Availability).toBe('pause');
    await c.press('u');
    await c.waitFor('activate core-03: done');
    expect(node('core-03').spec.Availability).toBe('active');
  });
});

describe('read-only mode', () => {
  test('every action that would change the swarm is refused and nothing is sent', async () => {
    c = await startConsole({ readOnly: true });
    await c.waitFor('READ-ONLY');
    const before = c.swarm.sim.swarm.index;
    await selectRow('web');
    for (const key of ['s', 'r', KEY.ctrlL, 'B', 'Q']) {
      store(c).dispatch({ type: 'status', text: 'cleared', kind: 'info', at: 0 });
      await c.press(key);
      await c.waitFor('read-only mode: this would change the swarm, so nothing was sent');
      // Refused before any prompt or confirmation opens.
      expect(c.frame()).not.toMatch(/scale web|Restart web\?|Roll back web/);
    }
    await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
    await c.waitFor('Nodes (5)');
    for (const key of ['P', 'D', 'r', 'c', 'u', 'X']) {
      store(c).dispatch({ type: 'status', text: 'cleared', kind: 'info', at: 0 });
      await c.press(key);
      await c.waitFor('read-only mode: this would change the swarm, so nothing was sent');
    }
    expect(c.swarm.sim.swarm.index).toBe(before);
  });
});

const store = (console: TestConsole) => console.store;

describe('navigation', () => {
  test("Enter drills from a service to its tasks, to a task's logs, and Esc comes back", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press(KEY.enter);
    await c.waitFor('Tasks of service redis');
    await c.waitFor(/^redis\.1 /m);
    await c.press(KEY.enter);
    await c.waitFor(/Logs of task redis\.1\.\w+/);
    await c.waitFor(/redis\.1\.\w+@core-\d\d \| 1:M /);
    await c.press(KEY.escape);
    await c.waitFor('Tasks of service redis');
    await c.press(KEY.escape);
    await c.waitFor(' Services (6)');
  });

  test('Enter on a node lists the tasks placed on it', async () => {
    c = await startConsole();
    await openNodes();
    await selectRow('core-01');
    await c.press(KEY.enter);
    await c.waitFor('Tasks of node core-01');
    await c.waitFor(/node-exporter\.\w+/);
  });

  test('/ filters the list as you type, and Esc clears it', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('/', 'r', 'e', 'd');
    const filtered = await c.waitFor('filter: /red (1 of 6)');
    expect(filtered).not.toContain('flaskontesting');
    await c.press(KEY.enter, KEY.escape);
    await c.waitFor('flaskontesting');
  });

  test('an unknown command says which ones exist', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press(':', 'x', 'y', KEY.enter);
    await c.waitFor('unknown command ":xy"; try :nodes, :services, :stacks, :tasks, :logs, :top, :map, :networks');
    expect(c.store.getSnapshot().status?.text).toMatch(/:ctx, :actions, :messages, :sort cpu\|mem\|name, :deploy FILE \[STACK\], :help, :q$/);
  });

  test('? shows help rendered from the keymap', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('?');
    const help = await c.waitFor('Keys for services');
    expect(help).toMatch(/Ctrl\+L\s+roll back to the previous s/);
    // On the simulator, the practice drills are listed.
    expect(help).toMatch(/B\s+practice: make the service's image fail/);
    // The views of the command line are listed too, from the same table (further down when it does not fit).
    for (let i = 0; i < 80 && !/:stacks\s+stacks/.test(c.frame()); i++) await c.press('j');
    expect(c.frame()).toMatch(/:stacks\s+stacks/);
    for (let i = 0; i < 80 && !/:inspect \[NAME\]/.test(c.frame()); i++) await c.press('j');
    expect(c.frame()).toMatch(/:inspect \[NAME\]/);
    await c.press(KEY.escape);
    await c.waitFor('flaskontesting');
  });
});

describe('logs', () => {
  test('n steps through the matches from the newest, pausing follow', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press('l');
    await c.waitFor('Saving...');
    await c.press('/', 'S', 'a', 'v', 'i', 'n', 'g', KEY.enter);
    await c.press('n');
    await c.waitFor(/match 1 of \d+ for \/Saving/);
    await c.waitFor('paused');
    await c.press('n');
    await c.waitFor(/match 2 of \d+ for \/Saving/);
  });

  test('t shows timestamps and f resumes follow', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    await c.press('l');
    await c.waitFor('counter: ');
    await c.press('t');
    await c.waitFor(/^2026-11-22T\d\d:\d\d:\d\d\.\d{3}Z counter\./m);
    await c.press('k');
    await c.waitFor(' paused, ');
    await c.press('G');
    await c.waitFor(' follow, ');
  });

  test('following logs shows new lines as the swarm runs', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('counter');
    await c.press('l');
    await c.waitFor('600 lines');
    c.swarm.advance(3000);
    // Three tasks, about a line a second each.
    await c.waitFor(/60[1-9] lines/);
  });
});

describe('a log flood', () => {
  test('a service writing 10,000 lines a second keeps the buffer bounded, says how much was dropped, and the view stays current', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'noisy',
      TaskTemplate: { ContainerSpec: { Image: 'swarmdeck/log-flood:1' } },
      Mode: { Replicated: { Replicas: 1 } },
    } as any);
    c.swarm.advance(2000);
    await c.waitFor(/noisy\s+replicated\s+1\/1/);
    await selectRow('noisy');
    await c.press('l');
    await c.waitFor('request handled');
    // Twenty seconds of flood: 200,000 lines through the socket.
    for (let second = 0; second < 20; second++) {
      c.swarm.advance(1000);
      await new Promise((r) => setTimeout(r, 30));
    }
    const frame = await c.waitFor((f) => /5000 lines \((\d+) older dropped\)/.test(f) && Number(/(\d+) older dropped/.exec(f)![1]) > 190_000, 20_000);
    const { lines, dropped } = c.store.getSnapshot().logs;
    expect(lines).toHaveLength(LOG_LIMIT);
    expect(lines.length + dropped).toBeGreaterThan(190_000);
    // Following: the newest line received is the last one on screen.
    const newest = /"seq":(\d+)/.exec(lines.at(-1)!.text)![1];
    expect(
      frame
        .split('\n')
        .filter((l) => l.includes('"seq"'))
        .at(-1),
    ).toContain(`"seq":${newest},`);
    // Keys are still answered.
    await c.press('t');
    await c.waitFor(/^2026-11-22T\d\d:\d\d:\d\d\.\d{3}Z noisy\.1/m);
  }, 60_000);
});

describe('typing', () => {
  test('keys that arrive in one read (fast typing, paste) are each handled', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('js');
    await c.waitFor('scale flaskontesting (now 5) to:');
    await c.press('7\r');
    await c.waitFor('scale flaskontesting to 7: done');
    expect(service('flaskontesting').spec.Mode?.Replicated?.Replicas).toBe(7);
  });
});

describe('the action log', () => {
  test('a shows each action with its result, target, endpoint and the docker command that does the same', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await selectRow('redis');
    await c.press('s', '3', KEY.enter);
    await c.waitFor('scale redis to 3: done');
    await selectRow('node-exporter');
    await c.press(KEY.ctrlL);
    await c.waitFor('node-exporter has no previous spec');
    await c.press('a');
    const log = await c.waitFor('Action log (1)');
    expect(log).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+done\s+service redis\s+docker service scale redis=3\s+simulated swarm \(tutorial\)/);
    await c.press(KEY.escape);
    await c.waitFor('Services (');
  });

  test('the log is a file in the XDG state directory, and the next session shows it', async () => {
    c = await startConsole();
    await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
    await c.waitFor('Nodes (5)');
    await selectRow('core-03');
    await c.press('c', 'y');
    await c.waitFor('pause core-03: done');
    await c.close();

    const file = join(process.env.XDG_STATE_HOME!, 'swarmdeck', 'actions.log');
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.at(-1)).toMatchObject({
      action: 'pause core-03',
      target: 'node core-03',
      result: 'done',
      command: 'docker node update --availability pause core-03',
    });

    c = await startConsole();
    await c.press(':', 'h', 'i', 's', 't', 'o', 'r', 'y', KEY.enter);
    await c.waitFor(/done\s+node core-03\s+docker node update --availability pause core-03/);
  });
});
