import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { NodeReach } from '../../source/docker/node-reach.js';
import { freePort } from '../helpers/certs.js';

// Node reach over ssh, through a real sshd on 127.0.0.1 that this test starts: with the manager reached
// as ssh://USER@manager, each node is reached as the same user at its Status.Addr. The ssh config maps
// each node address to that sshd with DOCKER_HOST set to the node's own socket (realswarm's layout), as
// each node's own shell would have it.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const nodesDir = host?.startsWith('unix://') ? dirname(dirname(host.slice(7))) : undefined;
const run = promisify(execFile);

describe.skipIf(!nodesDir || !existsSync('/usr/sbin/sshd'))('node reach over ssh, as the manager is reached', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  const saved = { PATH: process.env.PATH, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
  let nodes: { ID: string; Description: { Hostname: string }; Status: { Addr: string } }[];

  beforeAll(async () => {
    nodes = (await new Docker({ socketPath: host!.slice(7) }).listNodes()) as typeof nodes;
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-node-sshd-'));
    const port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')));
    mkdirSync('/run/sshd', { recursive: true });
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'AcceptEnv DOCKER_HOST',
      ].join('\n'),
    );
    const key = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${key}\n`);
    const stanza = (pattern: string, socket: string) =>
      [
        `Host ${pattern}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  IdentityFile ${join(dir, 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
        '  StrictHostKeyChecking yes',
        `  SetEnv DOCKER_HOST=unix://${socket}`,
      ].join('\n');
    writeFileSync(join(dir, 'ssh_config'), nodes.map((n) => stanza(n.Status.Addr, join(nodesDir!, n.Description.Hostname, 'docker.sock'))).join('\n') + '\n');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`, { mode: 0o755 });
    // NodeReach runs the system ssh from PATH, as the docker CLI does.
    process.env.PATH = `${join(dir, 'bin')}:${saved.PATH}`;
    process.env.SSH_AUTH_SOCK = '';
    server = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
    const user = execFileSync('id', ['-un']).toString().trim();
    for (let i = 0; i < 50; i++) {
      const ok = await run('ssh', ['-o', 'BatchMode=yes', '-l', user, nodes[0].Status.Addr, 'true']).then(
        () => true,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(() => {
    process.env.PATH = saved.PATH;
    process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
    // Only the sshd this test started, by its pid.
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
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
