import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { certificates, freePort } from '../helpers/certs.js';

// TLS to a real dockerd started with --tlsverify and certificates this test makes with openssl:
// the console reaches it (and it answers, through TLS, that it is in no swarm), a client signed by
// another CA is refused by the engine, and an engine certificate another CA signed is refused by us.
const engineSuite = process.env.SWARMDECK_TEST_DOCKER_HOST;
const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

describe.skipIf(!engineSuite || !existsSync('/usr/sbin/dockerd'))('TLS to a real dockerd --tlsverify', () => {
  let dir: string;
  let daemon: ChildProcess | undefined;
  let port: number;
  const swarmdeck = (args: string[]) =>
    run(process.execPath, [cli, ...args], { env: { ...process.env, DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '', DOCKER_HOST: '' } }).catch((e) => e);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-dockerd-tls-'));
    const { ca, sign } = certificates(dir);
    ca('ca');
    ca('other-ca');
    sign('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    sign('client', 'ca', 'extendedKeyUsage=clientAuth\n');
    sign('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    port = await freePort();
    for (const d of ['data', 'exec', 'run']) mkdirSync(join(dir, d));
    // Its own data, exec root, pid file and sockets; no bridge, no iptables: nothing of the host's is touched.
    daemon = spawn(
      '/usr/sbin/dockerd',
      [
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'run/docker.pid'),
        '-H',
        `unix://${join(dir, 'run/docker.sock')}`,
        '-H',
        `tcp://127.0.0.1:${port}`,
        '--tlsverify',
        '--tlscacert',
        join(dir, 'ca.pem'),
        '--tlscert',
        join(dir, 'server.pem'),
        '--tlskey',
        join(dir, 'server-key.pem'),
        '--bridge',
        'none',
        '--iptables=false',
        '--ip-masq=false',
        '--storage-driver',
        'vfs',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !existsSync(join(dir, 'run/docker.sock')); i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500));
  }, 60_000);

  afterAll(async () => {
    // Only the dockerd this test started, by its pid; it stops its own containerd.
    daemon?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (cert: string) => ['--tlscacert', join(dir, 'ca.pem'), '--tlscert', join(dir, `${cert}.pem`), '--tlskey', join(dir, `${cert}-key.pem`)];

  test('reaches the engine through TLS: it answers that it is in no swarm', async () => {
    const result = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', ...client('client'), '--once']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not part of a swarm \(swarm state: inactive\)/);
  });

  test('a client certificate from another CA is refused by the engine, in a sentence', async () => {
    const result = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', ...client('stranger'), '--once']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^swarmdeck: (TLS to|lost the connection to) tcp:\/\/127\.0\.0\.1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('an engine certificate another CA signed is refused: wrong CA', async () => {
    const result = await swarmdeck([
      '-H',
      `tcp://127.0.0.1:${port}`,
      '--tlsverify',
      '--tlscacert',
      join(dir, 'other-ca.pem'),
      '--tlscert',
      join(dir, 'client.pem'),
      '--tlskey',
      join(dir, 'client-key.pem'),
      '--once',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^swarmdeck: TLS to tcp:\/\/127\.0\.0\.1:\d+ failed/);
  });
});
