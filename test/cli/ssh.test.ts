import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

// ssh:// as the docker CLI does it: the system ssh runs `docker system dial-stdio` on the manager.
// Here a stand-in ssh on PATH relays to the simulator; the engine suite does it with a real sshd.
const run = promisify(execFile);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
let sim: Simulator;
let bin: string;
let log: string;

beforeAll(async () => {
  sim = await startSimulator({ clock: 'real' });
  bin = mkdtempSync(join(tmpdir(), 'swarmdeck-ssh-'));
  const fake = new URL('../helpers/fake-ssh.mjs', import.meta.url).pathname;
  chmodSync(fake, 0o755);
  symlinkSync(fake, join(bin, 'ssh'));
  log = join(bin, 'args.log');
});
afterAll(() => sim?.close());

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`,
  FAKE_SSH_SOCKET: sim.socketPath!,
  FAKE_SSH_LOG: log,
  ...extra,
});

describe('ssh://', () => {
  test('reaches the manager through ssh and docker system dial-stdio, with the user and port given', async () => {
    const { stdout, stderr } = await run(process.execPath, [cli, '-H', 'ssh://ops@manager-1:2222', '--once', '--view', 'nodes'], { env: env() });
    expect(stdout).toMatch(/^ Nodes \(5\)/m);
    expect(stderr).toBe('');
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(calls[0]).toEqual(['-o', 'ConnectTimeout=30', '-T', '-l', 'ops', '-p', '2222', '--', 'manager-1', 'docker', 'system', 'dial-stdio']);
  });

  test('leaves the user and port to ssh (its config) when the URL has none', async () => {
    await run(process.execPath, [cli, '-H', 'ssh://manager-2', '--once', '--view', 'services'], { env: env() });
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // (The manager's; the nodes' engines are asked after it, for the services' CPU and MEM.)
    expect(calls.filter((c) => c.includes('manager-2')).at(-1)).toEqual(['-o', 'ConnectTimeout=30', '-T', '--', 'manager-2', 'docker', 'system', 'dial-stdio']);
  });

  test('says what ssh said when it fails, exit 1, and nothing else on the screen', async () => {
    const failed = await run(process.execPath, [cli, '-H', 'ssh://ops@manager-1', '--once'], {
      env: env({ FAKE_SSH_FAIL: 'ops@manager-1: Permission denied (publickey).' }),
    }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('swarmdeck: ssh manager-1: ops@manager-1: Permission denied (publickey).');
  });

  test('says that ssh is needed when there is none on PATH', async () => {
    const failed = await run(process.execPath, [cli, '-H', 'ssh://manager-1', '--once'], { env: { ...process.env, PATH: '/nonexistent' } }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ssh:\/\/ needs the ssh command on PATH/);
  });
});
