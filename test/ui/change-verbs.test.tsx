import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// The change verbs against the simulator, through the console's real frames.
let c: TestConsole;
let dir: string | undefined;
afterEach(async () => {
  await c?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const service = (name: string) => [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name);
const node = (hostname: string) => [...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === hostname)!;
const names = (map: Map<string, { [key: string]: unknown }>) => [...map.values()].map((o) => (o.Spec as { Name: string }).Name);
const type = (text: string) => c.press(...text.split(''));

describe('set image', () => {
  test('I opens a prompt with the current image; Enter rolls out the new one, with its docker command in the action log', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.selectRow('web');
    await c.press('I');
    await c.waitFor('image of web: nginx:1.27-alpine');
    await c.press(KEY.ctrlU, ...'nginx:1.28-alpine'.split(''), KEY.enter);
    await c.waitFor('set the image of web to nginx:1.28-alpine: done');
    expect(service('web')!.spec.TaskTemplate?.ContainerSpec?.Image).toBe('nginx:1.28-alpine');
    await c.press('a');
    await c.waitFor('docker service update --image nginx:1.28-alpine web');
  });

  test('the same image again sends nothing', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('web');
    const before = c.swarm.sim.swarm.index;
    await c.press('I', KEY.enter);
    await c.waitFor('web already runs nginx:1.27-alpine: nothing was sent');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });
});

describe('remove', () => {
  test('Ctrl+D removes a service only after y and its typed name; a wrong name removes nothing', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('redis');
    await c.press(KEY.ctrlD);
    await c.waitFor('Remove service redis?');
    await c.press('y');
    await c.waitFor('type redis to go ahead');
    await type('redi');
    await c.press(KEY.enter);
    await c.waitFor('"redi" is not redis: nothing was sent');
    expect(service('redis')).toBeDefined();
    await c.press(KEY.ctrlD, 'y');
    await type('redis');
    await c.press(KEY.enter);
    await c.waitFor('remove redis: done');
    expect(service('redis')).toBeUndefined();
  });

  test('Ctrl+D on a stack removes its services, then its network, found by the namespace label', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('3');
    await c.waitFor('getstartedlab');
    await c.selectRow('getstartedlab');
    await c.press(KEY.ctrlD);
    await c.waitFor('Remove stack getstartedlab?');
    await c.press('y');
    await type('getstartedlab');
    await c.press(KEY.enter);
    await c.waitFor('remove stack getstartedlab: done');
    expect(service('getstartedlab_web')).toBeUndefined();
    expect([...c.swarm.sim.swarm.networks.values()].map((n) => n.Name)).not.toContain('getstartedlab_webnet');
    expect(service('web')).toBeDefined();
  });
});

describe('node labels', () => {
  test('L adds and removes labels in one line', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await c.selectRow('core-03');
    await c.press('L');
    await c.waitFor('labels of core-03 (now zone=b), k=v adds, -k removes:');
    await type('disk=ssd -zone');
    await c.press(KEY.enter);
    await c.waitFor('label core-03: disk=ssd -zone: done');
    expect(node('core-03').spec.Labels).toEqual({ disk: 'ssd' });
    await c.press('a');
    await c.waitFor('docker node update --label-add disk=ssd --label-rm zone core-03');
  });

  test('text that is neither k=v nor -k is refused in the prompt and nothing is sent', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await c.selectRow('core-03');
    const before = c.swarm.sim.swarm.index;
    await c.press('L');
    await type('ssd');
    await c.press(KEY.enter);
    await c.waitFor('"ssd": use k=v to add or change a label, -k to remove one');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });
});

describe('secrets and configs', () => {
  test("n makes a secret from a file's contents; Ctrl+D removes it after y", async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-secret-'));
    writeFileSync(join(dir, 'pw'), 'hunter2\n');
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press(':', ...'secrets'.split(''), KEY.enter);
    await c.waitFor('redis_password');
    await c.press('n');
    await c.waitFor('new secret: NAME PATH');
    await type(`db_pw ${join(dir, 'pw')}`);
    await c.press(KEY.enter);
    await c.waitFor(`create secret db_pw from ${join(dir, 'pw')}: done`);
    // The row, not the status line, which names it too.
    await c.waitFor(/^db_pw\s/m);
    const made = [...c.swarm.sim.swarm.secrets.values()].find((s) => (s.Spec as { Name: string }).Name === 'db_pw')!;
    expect(Buffer.from((made.Spec as { Data: string }).Data, 'base64').toString()).toBe('hunter2\n');
    await c.selectRow('db_pw');
    await c.press(KEY.ctrlD);
    await c.waitFor('Remove secret db_pw?');
    await c.press('y');
    await c.waitFor('remove secret db_pw: done');
    expect(names(c.swarm.sim.swarm.secrets)).not.toContain('db_pw');
  });

  test('a file that does not exist is refused in the prompt, the text kept', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press(':', ...'configs'.split(''), KEY.enter);
    await c.waitFor('nginx_conf');
    await c.press('n');
    await type('site /no/such/file');
    await c.press(KEY.enter);
    await c.waitFor('/no/such/file: no such file');
    expect(c.frame()).toContain('site /no/such/file');
    expect(names(c.swarm.sim.swarm.configs)).toEqual(['nginx_conf']);
  });

  test('removing a secret a service uses shows the daemon refusal word for word', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    const secret = [...c.swarm.sim.swarm.secrets.values()][0];
    const redis = service('redis')!;
    const spec = structuredClone(redis.spec);
    spec.TaskTemplate!.ContainerSpec!.Secrets = [{ SecretID: secret.ID, SecretName: 'redis_password', File: { Name: 'pw', UID: '0', GID: '0', Mode: 292 } }];
    c.swarm.sim.swarm.updateService(redis.id, redis.version, spec, false);
    await c.press(':', ...'secrets'.split(''), KEY.enter);
    await c.waitFor('redis_password');
    await c.press(KEY.ctrlD, 'y');
    await c.waitFor("remove secret redis_password: rpc error: code = InvalidArgument desc = secret 'redis_password' is in use by the following service: redis");
  });
});

describe('what asks first', () => {
  test('scaling to 0 asks first, and n keeps the replicas', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('s', '0', KEY.enter);
    await c.waitFor('Scale counter from 3 to 0?');
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(service('counter')!.spec.Mode?.Replicated?.Replicas).toBe(3);
  });

  test('scaling by more than ten times asks first, and y scales', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('s', '4', '0', KEY.enter);
    await c.waitFor('That is more than ten times the 3 it runs now.');
    await c.press('y');
    await c.waitFor('scale counter to 40: done');
    expect(service('counter')!.spec.Mode?.Replicated?.Replicas).toBe(40);
  });

  test('promoting to an even number of managers says it adds no fault tolerance', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    // Two managers: a third is sent at once, a fourth asks first.
    await c.selectRow('core-02');
    await c.press('P');
    await c.waitFor('promote core-02: done');
    await c.selectRow('core-03');
    await c.press('P');
    await c.waitFor('4 managers tolerate 1 lost, as 3 do: an even count adds no fault tolerance.');
    await c.press('n');
    expect(node('core-03').spec.Role).toBe('worker');
  });
});

describe('read-only mode', () => {
  test('every change verb is refused before any prompt opens, and nothing is sent', async () => {
    c = await startConsole({ readOnly: true, width: 200 });
    const first = await c.waitFor('READ-ONLY');
    // The footer offers only what acts here: no verb that read-only mode would refuse.
    const footer = first.trimEnd().split('\n').at(-1)!;
    expect(footer).toContain('l logs');
    expect(footer).not.toMatch(/s scale|e edit|I image|Ctrl\+D remove/);
    const before = c.swarm.sim.swarm.index;
    const refused = async (key: string) => {
      c.store.dispatch({ type: 'status', text: 'cleared', kind: 'info', at: 0 });
      await c.press(key);
      await c.waitFor('read-only mode: this would change the swarm, so nothing was sent');
      expect(c.frame()).not.toMatch(/image of|Remove |labels of|new secret/);
    };
    await c.selectRow('web');
    for (const key of ['I', KEY.ctrlD]) await refused(key);
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await refused('L');
    await c.press('3');
    await c.waitFor('getstartedlab');
    await refused(KEY.ctrlD);
    await c.press(':', ...'secrets'.split(''), KEY.enter);
    await c.waitFor('redis_password');
    for (const key of ['n', KEY.ctrlD]) await refused(key);
    expect(c.swarm.sim.swarm.index).toBe(before);
  });
});
