import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { certificates } from '../helpers/certs.js';

// TLS as the docker CLI does it, against an engine that requires a client certificate signed by
// its CA (dockerd --tlsverify): here a TLS front with certificates made by openssl, relaying to the
// simulator. The handshake, the verification and the refusals are real.
const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let sim: Simulator;
let front: Server;
let dir: string;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-tls-'));
  const { ca, sign } = certificates(dir);
  ca('ca');
  ca('other-ca');
  sign('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  sign('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  // DOCKER_CERT_PATH's layout: ca.pem, cert.pem, key.pem.
  mkdirSync(join(dir, 'docker'));
  copyFileSync(join(dir, 'ca.pem'), join(dir, 'docker/ca.pem'));
  copyFileSync(join(dir, 'client.pem'), join(dir, 'docker/cert.pem'));
  copyFileSync(join(dir, 'client-key.pem'), join(dir, 'docker/key.pem'));
  sim = await startSimulator({ clock: 'real' });
  const read = (f: string) => readFileSync(join(dir, f));
  front = createServer({ key: read('server-key.pem'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (socket) => {
    const upstream = createConnection(sim.socketPath!);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  port = (front.address() as { port: number }).port;
});
afterAll(async () => {
  front?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const swarmdeck = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [cli, ...args], { env: { ...process.env, DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '', ...env } }).catch((e) => e);

describe('TLS to a tcp:// engine', () => {
  test('DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker CLI reads them', async () => {
    const { stdout } = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--once', '--view', 'nodes'], {
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: join(dir, 'docker'),
    });
    expect(stdout).toMatch(/^ Nodes \(5\)/m);
  });

  test('--tlsverify with --tlscacert, --tlscert and --tlskey', async () => {
    const files = ['--tlscacert', join(dir, 'ca.pem'), '--tlscert', join(dir, 'client.pem'), '--tlskey', join(dir, 'client-key.pem')];
    const { stdout } = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', ...files, '--once', '--view', 'services']);
    expect(stdout).toMatch(/^ Services \(6\)/m);
  });

  test('an engine whose certificate another CA signed is refused with a clear message, exit 1, no stack trace', async () => {
    const files = ['--tlscacert', join(dir, 'other-ca.pem'), '--tlscert', join(dir, 'client.pem'), '--tlskey', join(dir, 'client-key.pem')];
    const failed = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', ...files, '--once']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^swarmdeck: TLS to tcp:\/\/127\.0\.0\.1:\d+ failed \(\w+\).*check the CA and client certificate/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  test('a certificate file that is not there is named, exit 2', async () => {
    const failed = await swarmdeck(['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', join(dir, 'nope.pem'), '--once']);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trim()).toBe(`swarmdeck: --tlscacert: no such file ${join(dir, 'nope.pem')}`);
  });
});
