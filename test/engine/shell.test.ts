import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { chooseShell, runShell, type ShellTerminal } from '../../source/docker/exec-shell.js';
import { NodeReach } from '../../source/docker/node-reach.js';
import { host, image, nodesDir, sockets } from '../helpers/realswarm-nodes.js';

// The shell of `s` on a real swarm: each realswarm node's own socket (…/nodes/NAME/docker.sock)
// mapped as --node-host does, the shell chosen and run in the right task's container on its node.
const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A terminal the test types into and reads, of a size it sets. */
function fakeTerminal(rows: number, cols: number) {
  const input = new PassThrough();
  let output = '';
  let size = { rows, cols };
  const listeners = new Set<() => void>();
  const terminal: ShellTerminal = {
    input,
    output: { write: (data) => (output += Buffer.from(data).toString('utf8')) },
    size: () => size,
    onResize: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return {
    terminal,
    output: () => output,
    type: (text: string) => input.write(text),
    resize(next: { rows: number; cols: number }) {
      size = next;
      for (const listener of listeners) listener();
    },
    async until(text: string) {
      for (let i = 0; i < 100 && !output.includes(text); i++) await sleep(100);
      expect(output).toContain(text);
    },
  };
}

if (host && sockets.length > 0) {
  describe('the shell in a task (real swarm)', () => {
    const docker = new Docker({ socketPath: host!.slice(7) });
    const map = new Map(sockets.map((name) => [name, `unix://${join(nodesDir!, name, 'docker.sock')}`]));
    const reach = new NodeReach({ manager: parseHost(host!, {}, undefined), map });
    const services: string[] = [];

    /** A service's running tasks, with their node and container. */
    async function running(name: string, replicas: number, spec: Record<string, unknown>) {
      const { id } = (await docker.createService({
        Name: `${name}-${process.pid}`,
        TaskTemplate: { ContainerSpec: { StopSignal: 'SIGKILL', ...spec }, Placement: { MaxReplicas: 1 } },
        Mode: { Replicated: { Replicas: replicas } },
      } as never)) as { id: string };
      services.push(id);
      for (let i = 0; i < 150; i++) {
        const tasks = (await docker.listTasks({ filters: { service: [id] } })).filter((t) => t.Status?.State === 'running');
        if (tasks.length === replicas) {
          return Promise.all(
            tasks.map(async (t) => {
              const node = (await docker.getNode(t.NodeID!).inspect()) as { ID: string; Description: { Hostname: string }; Status: { Addr: string } };
              const engine = await reach.engine({ id: node.ID, hostname: node.Description.Hostname, addr: node.Status.Addr });
              return { engine, container: t.Status!.ContainerStatus!.ContainerID!, node: node.Description.Hostname };
            }),
          );
        }
        await sleep(200);
      }
      throw new Error(`${name}: ${replicas} tasks did not start`);
    }

    afterAll(async () => {
      for (const id of services)
        await docker
          .getService(id)
          .remove()
          .catch(() => undefined);
      reach.close();
    });

    test('runs hostname in the right container on its node, passes the window size and its change, and ends with the exit code', async () => {
      const tasks = await running('shell', 2, { Image: image, Args: ['sleep', '100000'] });
      expect(new Set(tasks.map((t) => t.node)).size).toBe(2);
      for (const [i, task] of tasks.entries()) {
        const other = tasks[1 - i];
        const hostname = ((await task.engine.docker.getContainer(task.container).inspect()) as { Config: { Hostname: string } }).Config.Hostname;
        const otherName = ((await other.engine.docker.getContainer(other.container).inspect()) as { Config: { Hostname: string } }).Config.Hostname;
        // busybox has no bash: sh, found with the image's own `command -v`.
        expect(await chooseShell(task.engine, task.container)).toEqual({ cmd: ['sh'] });
        const t = fakeTerminal(24, 80);
        const ended = runShell(task.engine, task.container, ['sh'], t.terminal);
        t.type('hostname\n');
        await t.until(`${hostname}\r\n`);
        expect(t.output()).not.toContain(otherName);
        t.type('stty size\n');
        await t.until('24 80');
        t.resize({ rows: 33, cols: 101 });
        await sleep(300);
        t.type('stty size\n');
        await t.until('33 101');
        t.type('exit 3\n');
        expect(await ended).toEqual({ exitCode: 3, notFound: undefined });
      }
      // Nothing left running: the container's exec sessions have all ended.
      for (const task of tasks) {
        const inspect = (await task.engine.docker.getContainer(task.container).inspect()) as { ExecIDs: string[] | null };
        for (const id of inspect.ExecIDs ?? []) expect(((await task.engine.docker.getExec(id).inspect()) as { Running: boolean }).Running).toBe(false);
      }
    });

    test.skipIf(!busybox)('a container with no shell in its image is said so (dockerd: exit 126, runc: executable file not found)', async () => {
      // An image of one file, /busybox (no sh, no PATH to find one on), imported on every node.
      const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-noshell-'));
      try {
        copyFileSync(busybox!, join(dir, 'busybox'));
        execFileSync('tar', ['-C', dir, '-cf', join(dir, 'image.tar'), 'busybox']);
        for (const name of sockets) {
          const node = new Docker({ socketPath: join(nodesDir!, name, 'docker.sock') });
          const stream = (await node.importImage(
            createReadStream(join(dir, 'image.tar')) as never,
            { repo: 'local/noshell', tag: '1' } as never,
          )) as unknown as NodeJS.ReadableStream;
          await new Promise((resolve, reject) => node.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined))));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const [task] = await running('noshell', 1, { Image: 'local/noshell:1', Command: ['/busybox', 'sleep', '100000'] });
      expect(await chooseShell(task.engine, task.container)).toEqual({ why: 'the container has no shell (neither bash nor sh is in its image)' });
      // A shell set by hand that is not there: the engine's words, exit 126.
      const t = fakeTerminal(24, 80);
      const end = await runShell(task.engine, task.container, ['bash'], t.terminal);
      expect(end.exitCode).toBe(126);
      expect(end.notFound).toMatch(/executable file not found/);
    });
  });
} else {
  console.warn('SKIP: the shell on a real swarm needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket (its nodes sockets beside it)');
  describe('the shell in a task (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket', () => {});
  });
}
