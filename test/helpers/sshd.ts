import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './certs.js';

const run = promisify(execFile);

/** A real OpenSSH server on 127.0.0.1 that a test started, with its own host and client keys. */
export interface TestSshd {
  /** Its directory: keys, configs, the ssh wrapper. */
  dir: string;
  port: number;
  /** The user the tests log in as (this process's). */
  user: string;
  /** An ssh_config stanza: `pattern` reaches this sshd with the test key, DOCKER_HOST set to `dockerHost` there. */
  stanza(pattern: string, dockerHost: string, extra?: string[]): string;
  /** Writes ssh_config and an `ssh` wrapper that reads it; returns the directory to put first on PATH. */
  useConfig(stanzas: string[]): string;
  /** Waits until `ssh ARGS true` gets through (the server accepts connections). */
  ready(args: string[], env?: NodeJS.ProcessEnv): Promise<void>;
  /** Stops the server (by the pid it was started with) and removes its directory. */
  stop(): void;
}

/** Starts sshd with a config of its own (no PAM, keys only, DOCKER_HOST accepted from the client). */
export async function startSshd(name: string): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), `swarmdeck-${name}-`));
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
      // The engine's socket, as the node's own shell would have it in DOCKER_HOST.
      'AcceptEnv DOCKER_HOST',
    ].join('\n'),
  );
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  const server: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  const user = execFileSync('id', ['-un']).toString().trim();
  return {
    dir,
    port,
    user,
    stanza: (pattern, dockerHost, extra = []) =>
      [
        `Host ${pattern}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        ...extra.map((line) => `  ${line}`),
        `  IdentityFile ${join(dir, 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
        '  StrictHostKeyChecking yes',
        `  SetEnv DOCKER_HOST=${dockerHost}`,
      ].join('\n'),
    useConfig(stanzas) {
      writeFileSync(join(dir, 'ssh_config'), `${stanzas.join('\n')}\n`);
      // OpenSSH reads ~/.ssh/config of the passwd entry, not $HOME: a wrapper on PATH gives it this one.
      mkdirSync(join(dir, 'bin'), { recursive: true });
      writeFileSync(join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`, { mode: 0o755 });
      return join(dir, 'bin');
    },
    async ready(args, env) {
      for (let i = 0; i < 50; i++) {
        const ok = await run('ssh', ['-o', 'BatchMode=yes', ...args, 'true'], env ? { env } : {}).then(
          () => true,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() {
      // Only the sshd this test started, by its pid.
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
