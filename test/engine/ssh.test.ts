import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../helpers/certs.js';

// The console reaches the real manager over ssh:// as the docker CLI does: the system ssh, with a
// key file and known_hosts from its config (no agent), runs `docker system dial-stdio` through a
// real OpenSSH server on 127.0.0.1 that this test starts, with its own host key, and stops.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const sshd = '/usr/sbin/sshd';
const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

describe.skipIf(!host)('ssh:// to a real manager through a real sshd', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-sshd-'));
    const port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')));
    // sshd's privilege separation directory.
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
        // The manager's socket, as a manager's own shell would have it in DOCKER_HOST.
        'AcceptEnv DOCKER_HOST',
      ].join('\n'),
    );
    const user = execFileSync('id', ['-un']).toString().trim();
    writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    writeFileSync(
      join(dir, 'ssh_config'),
      [
        'Host swarm-manager',
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  User ${user}`,
        `  IdentityFile ${join(dir, 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
        '  StrictHostKeyChecking yes',
        `  SetEnv DOCKER_HOST=${host}`,
      ].join('\n'),
    );
    // OpenSSH reads ~/.ssh/config of the passwd entry, not $HOME: a wrapper on PATH gives it this one.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`, { mode: 0o755 });
    env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, SSH_AUTH_SOCK: '' };
    delete env.DOCKER_HOST;
    server = spawn(sshd, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
    // Ready when it accepts a connection.
    for (let i = 0; i < 50; i++) {
      const ok = await run('ssh', ['-o', 'BatchMode=yes', 'swarm-manager', 'true'], { env }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(() => {
    // Only the sshd this test started, by its pid.
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

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
