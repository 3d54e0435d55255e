import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readShellConfig } from '../../source/docker/exec-shell.js';
import { READ_ONLY_MESSAGE } from '../../source/store/run-action.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// `s` on a task: what the console says, and that nothing is started, when a shell cannot be had.
// The round trip itself (the terminal handed over and back) is in test/cli/shell.test.ts, in tmux.

let c: TestConsole;
afterEach(() => c?.close());
// No config.yaml of the user's may map nodes or set a shell here.
beforeEach(() => void (process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'swarmdeck-shell-'))));

const command = (text: string) => c.press(':', ...text, KEY.enter);
const status = (frame: string) => frame.split('\n').at(-2) ?? '';
const shellRecords = () => c.store.getSnapshot().actions.filter((a) => a.action.startsWith('shell in'));

/** The node a service's first running task is on, and the task's row name. */
async function firstTask(service: string) {
  const [task] = await c.swarm.docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
  const node = c.swarm.sim.swarm.nodes.get(task.NodeID)!;
  return { task, node, row: `${service}.${task.Slot}` };
}

describe('s on a task: a shell in its container', () => {
  test('read-only mode refuses it, as the keymap marks it a change; nothing is recorded or started', async () => {
    c = await startConsole({ readOnly: true });
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.selectRow('web.1');
    await c.press('s');
    const frame = await c.waitFor(READ_ONLY_MESSAGE);
    expect(frame).not.toContain('connecting to');
    expect(shellRecords()).toEqual([]);
  });

  test('a task that is not running is a sentence, not a shell', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.selectRow(' \\_ web.1');
    await c.press('s');
    const frame = await c.waitFor(/shell in web\.1\.\w+: the task is shutdown/);
    expect(status(frame)).toMatch(/the task is shutdown, not running: there is no container to open a shell in/);
    expect(shellRecords()).toEqual([]);
  });

  test('a node whose engine cannot be reached says so, with why; the shell is not recorded', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    const { node, row } = await firstTask('web');
    await c.close();
    c = await startConsole({ nodeHosts: [`${node.hostname}=unix:///nonexistent/swarmdeck-${node.hostname}.sock`] });
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.selectRow(row);
    await c.press('s');
    const frame = await c.waitFor(`node ${node.hostname} cannot be reached`);
    expect(status(frame)).toContain('/nonexistent/');
    expect(shellRecords()).toEqual([]);
  });

  test('a container with no shell (a distroless image) says so', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.swarm.docker.createService({
      Name: 'static',
      TaskTemplate: { ContainerSpec: { Image: 'gcr.io/distroless/static-debian12:nonroot' } },
      Mode: { Replicated: { Replicas: 1 } },
    });
    for (let i = 0; i < 30; i++) c.swarm.advance(1000);
    await command('tasks static');
    await c.waitFor(/static\.1 .*Running/);
    await c.selectRow('static.1');
    await c.press('s');
    const frame = await c.waitFor('the container has no shell', 10_000);
    expect(status(frame)).toMatch(/shell in static\.1\.\w+: the container has no shell \(neither bash nor sh is in its image\)/);
    expect(shellRecords()).toEqual([]);
  });

  test('with a shell at hand but no terminal to give it (this test renderer), the console says so after finding the shell', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await command('tasks web');
    await c.selectRow('web.1');
    await c.press('s');
    await c.waitFor('a shell needs the full-screen console', 10_000);
  });
});

describe('config.yaml shell:', () => {
  const config = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-shell-config-'));
    mkdirSync(join(dir, 'swarmdeck'));
    writeFileSync(join(dir, 'swarmdeck', 'config.yaml'), text);
    return join(dir, 'swarmdeck', 'config.yaml');
  };

  test('a command line or a list of words; none when absent', async () => {
    expect(await readShellConfig(config('shell: bash -l\n'))).toEqual(['bash', '-l']);
    expect(await readShellConfig(config("shell: [/bin/ash, -c, 'exec ash']\n"))).toEqual(['/bin/ash', '-c', 'exec ash']);
    expect(await readShellConfig(config('nodes: {}\n'))).toBeUndefined();
    expect(await readShellConfig('/nonexistent/config.yaml')).toBeUndefined();
  });

  test('anything else is a clear error naming the file and the key', async () => {
    const path = config('shell: 3\n');
    await expect(readShellConfig(path)).rejects.toThrow(`${path}: shell: must be a command (shell: bash -l) or a list of its words (shell: [bash, -l])`);
    await expect(readShellConfig(config('shell: [bash, 2]\n'))).rejects.toThrow(/shell: must be a command/);
    await expect(readShellConfig(config('shell: a | b\n'))).rejects.toThrow(/shell: must be a command/);
  });
});
