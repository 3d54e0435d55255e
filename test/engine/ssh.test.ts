import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

// The console reaches the real manager over ssh:// as the docker CLI does: the system ssh, with a
// key file and known_hosts from its config (no agent), runs `docker system dial-stdio` through a
// real OpenSSH server on 127.0.0.1 that this test starts, with its own host key, and stops.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const sshdPath = '/usr/sbin/sshd';
const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

describe.skipIf(!host || !existsSync(sshdPath))('ssh:// to a real manager through a real sshd', () => {
  let sshd: TestSshd;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sshd = await startSshd('sshd');
    dir = sshd.dir;
    const bin = sshd.useConfig([sshd.stanza('swarm-manager', host!, [`User ${sshd.user}`])]);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, SSH_AUTH_SOCK: '' };
    delete env.DOCKER_HOST;
    await sshd.ready(['swarm-manager'], env);
  }, 60_000);

  afterAll(() => sshd?.stop());

  test('--once lists the real nodes over ssh', async () => {
    const { stdout, stderr } = await run(process.execPath, [cli, '-H', 'ssh://swarm-manager', '--once', '--view', 'nodes'], { env });
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ Nodes \(\d+\)/m);
    expect(stdout).toMatch(/Leader/);
  });

  test('a host whose key does not match known_hosts is refused, in the words of ssh', async () => {
    writeFileSync(
      join(dir, 'bad_known_hosts'),
      readFileSync(join(dir, 'known_hosts'), 'utf8').replace(
        /ssh-ed25519 \S+/,
        `ssh-ed25519 ${readFileSync(join(dir, 'id_ed25519.pub'), 'utf8').split(' ')[1]}`,
      ),
    );
    writeFileSync(
      join(dir, 'ssh_config'),
      readFileSync(join(dir, 'ssh_config'), 'utf8').replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${join(dir, 'bad_known_hosts')}`),
    );
    const failed = await run(process.execPath, [cli, '-H', 'ssh://swarm-manager', '--once'], { env }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^swarmdeck: ssh swarm-manager: .*(verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|Host key)/im);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });
});
