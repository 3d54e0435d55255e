import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { NodeReach } from '../../source/docker/node-reach.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

// Node reach over ssh, through a real sshd on 127.0.0.1 that this test starts: with the manager reached
// as ssh://USER@manager, each node is reached as the same user at its Status.Addr. The ssh config maps
// each node address to that sshd with DOCKER_HOST set to the node's own socket (realswarm's layout), as
// each node's own shell would have it.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const nodesDir = host?.startsWith('unix://') ? dirname(dirname(host.slice(7))) : undefined;

describe.skipIf(!nodesDir || !existsSync('/usr/sbin/sshd'))('node reach over ssh, as the manager is reached', () => {
  let sshd: TestSshd;
  let dir: string;
  const saved = { PATH: process.env.PATH, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
  let nodes: { ID: string; Description: { Hostname: string }; Status: { Addr: string } }[];

  beforeAll(async () => {
    nodes = (await new Docker({ socketPath: host!.slice(7) }).listNodes()) as typeof nodes;
    sshd = await startSshd('node-sshd');
    dir = sshd.dir;
    // Each node's address reaches the sshd with DOCKER_HOST set to that node's own socket (realswarm's layout).
    const bin = sshd.useConfig(nodes.map((n) => sshd.stanza(n.Status.Addr, `unix://${join(nodesDir!, n.Description.Hostname, 'docker.sock')}`)));
    // NodeReach runs the system ssh from PATH, as the docker CLI does.
    process.env.PATH = `${bin}:${saved.PATH}`;
    process.env.SSH_AUTH_SOCK = '';
    await sshd.ready(['-l', sshd.user, nodes[0].Status.Addr]);
  }, 60_000);

  afterAll(() => {
    process.env.PATH = saved.PATH;
    process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
    sshd?.stop();
  });

  test('every node is reached over ssh at its address as the manager user, and answers as itself', async () => {
    const user = execFileSync('id', ['-un']).toString().trim();
    const reach = new NodeReach({ manager: parseHost(`ssh://${user}@swarm-manager`, {}, undefined), configDir: join(dir, 'no-contexts') });
    try {
      for (const n of nodes) {
        const node = { id: n.ID, hostname: n.Description.Hostname, addr: n.Status.Addr };
        const engine = await reach.engine(node);
        expect(reach.status(node.id)).toMatchObject({ state: 'reachable', source: 'ssh', url: `ssh://${user}@${n.Status.Addr}` });
        expect((await engine.info()).nodeId).toBe(n.ID);
      }
    } finally {
      reach.close();
    }
  });

  test("a node ssh cannot reach is unreachable with ssh's own words", async () => {
    const reach = new NodeReach({ manager: parseHost('ssh://nobody@swarm-manager', {}, undefined), configDir: join(dir, 'no-contexts'), timeoutMs: 10_000 });
    try {
      const n = nodes[0];
      await expect(reach.engine({ id: n.ID, hostname: n.Description.Hostname, addr: '127.0.0.1' })).rejects.toThrow(/ssh 127\.0\.0\.1: /);
    } finally {
      reach.close();
    }
  });
});
