import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { NodeViewReader } from '../../source/docker/node-views.js';
import { NodeReach, type NodeRef } from '../../source/docker/node-reach.js';
import { diskTable, humanSize } from '../../source/ui/present/disk.js';
import { host, image, nodesDir, sockets } from '../helpers/realswarm-nodes.js';

// The containers view, docker top and system df of a real node's own engine, against the docker
// CLI's answers for the same node (each realswarm node's socket beside the manager's).
const hasCli = spawnSync('docker', ['--version'], { stdio: 'ignore' }).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (host && sockets.length > 0 && hasCli) {
  describe("a node's own engine in the console's views (real swarm)", () => {
    const docker = new Docker({ socketPath: host!.slice(7) });
    const map = new Map(sockets.map((name) => [name, `unix://${join(nodesDir!, name, 'docker.sock')}`]));
    const reach = new NodeReach({ manager: parseHost(host!, {}, undefined), map });
    const reader = new NodeViewReader(reach);
    let serviceId = '';
    let plain: Docker.Container | undefined;
    let node: NodeRef;
    let taskContainer = '';
    const cli = (...args: string[]) => execFileSync('docker', ['-H', map.get(node.hostname)!, ...args], { encoding: 'utf8' });

    beforeAll(async () => {
      const { id } = (await docker.createService({
        Name: `views-${process.pid}`,
        TaskTemplate: { ContainerSpec: { Image: image, Args: ['sleep', '100000'], StopSignal: 'SIGKILL' } },
        Mode: { Replicated: { Replicas: 1 } },
      } as never)) as { id: string };
      serviceId = id;
      for (let i = 0; i < 150 && !taskContainer; i++) {
        const [task] = (await docker.listTasks({ filters: { service: [id] } })).filter((t) => t.Status?.State === 'running');
        if (task) {
          const n = (await docker.getNode(task.NodeID!).inspect()) as { ID: string; Description: { Hostname: string }; Status: { Addr: string } };
          node = { id: n.ID, hostname: n.Description.Hostname, addr: n.Status.Addr };
          taskContainer = task.Status!.ContainerStatus!.ContainerID!;
        } else await sleep(200);
      }
      // A container of the node's engine that is not the swarm's: docker run on the node itself.
      const engine = new Docker({ socketPath: map.get(node.hostname)!.slice(7) });
      plain = await engine.createContainer({ Image: image, Cmd: ['sleep', '100000'], name: `plain-${process.pid}`, StopSignal: 'SIGKILL' } as never);
      await plain.start();
    });
    afterAll(async () => {
      await plain?.remove({ force: true }).catch(() => undefined);
      await docker
        .getService(serviceId)
        .remove()
        .catch(() => undefined);
      reach.close();
    });

    test('containers: every one docker ps -a lists, swarm or not, with the task of those that are; figures for the running', async () => {
      const rows = await reader.containers(node);
      const ids = cli('ps', '-a', '--no-trunc', '--format', '{{.ID}}').trim().split('\n').filter(Boolean);
      expect(rows.map((r) => r.id).sort()).toEqual(ids.sort());
      const mine = rows.find((r) => r.name === `plain-${process.pid}`)!;
      expect(mine).toMatchObject({ state: 'running', taskId: undefined });
      const task = rows.find((r) => r.id === taskContainer)!;
      expect(task.taskId).toBeTruthy();
      expect(task.serviceName).toBe(`views-${process.pid}`);
      for (const r of rows.filter((x) => x.state === 'running')) {
        expect(r.figures?.memoryBytes).toBeGreaterThan(0);
        expect(r.figures?.cpuPercent).toBeGreaterThanOrEqual(0);
      }
    });

    test('processes: the titles and rows docker top gives', async () => {
      const list = await reader.processes(node, taskContainer);
      const [head, ...lines] = cli('top', taskContainer).trim().split('\n');
      expect(list.titles).toEqual(head.trim().split(/\s+/));
      expect(list.rows.map((r) => r[list.titles.indexOf('PID')])).toEqual(lines.map((l) => l.trim().split(/\s+/)[1]));
      expect(list.rows.some((r) => r.at(-1) === 'sleep 100000')).toBe(true);
    });

    test('disk use: the four lines docker system df prints, the same counts and sizes', async () => {
      const lines = await reader.disk(node);
      const theirs = cli('system', 'df', '--format', '{{json .}}')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { Type: string; TotalCount: string; Active: string; Size: string; Reclaimable: string });
      expect(lines.map((l) => l.type)).toEqual(theirs.map((t) => t.Type));
      for (const [i, t] of theirs.entries()) {
        expect(String(lines[i].total)).toBe(t.TotalCount);
        expect(String(lines[i].active)).toBe(t.Active);
        expect(humanSize(lines[i].size)).toBe(t.Size);
        // The table cell: the reclaimable size, and its share when there is a size.
        expect(diskTable(lines)[i + 1].trim().endsWith(t.Reclaimable)).toBe(true);
      }
    });
  });
} else {
  console.warn('SKIP: node views need SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket and the docker CLI');
  describe('node views (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket and the docker CLI', () => {});
  });
}
