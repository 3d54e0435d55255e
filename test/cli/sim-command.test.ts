import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tmpdir } from 'node:os';

// The built CLI (npm test builds it first), as a user runs it.
const cli = join(import.meta.dirname, '../../dist/cli.js');

describe('swarmdeck sim', () => {
  test('prints DOCKER_HOST, serves, and removes its socket on SIGTERM', async () => {
    const socket = join(tmpdir(), `swarmdeck-test-${process.pid}.sock`);
    const child = spawn(process.execPath, [cli, 'sim', '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (c) => ((out += c), out.includes('export') && resolve())));
    expect(out).toContain(`export DOCKER_HOST=unix://${socket}`);
    expect(existsSync(socket)).toBe(true);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  test('--port listens on loopback and prints a tcp DOCKER_HOST', async () => {
    const child = spawn(process.execPath, [cli, 'sim', '--port', '0', '--scenario', 'empty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (c) => ((out += c), out.includes('export') && resolve())));
    const host = /export DOCKER_HOST=tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    expect(host).not.toBeNull();
    const ping = await fetch(`http://127.0.0.1:${host![1]}/_ping`);
    expect(await ping.text()).toBe('OK');
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  });

  test('--scenario blank --engines DIR --names serves one socket per engine, prints them, and removes them on exit', async () => {
    const dir = join(tmpdir(), `swarmdeck-engines-${process.pid}`);
    const child = spawn(process.execPath, [cli, 'sim', '--scenario', 'blank', '--engines', dir, '--names', 'm1,w1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (c) => ((out += c), out.includes('Ctrl+C') && resolve())));
    expect(out).toContain('swarmdeck simulated engines (blank): m1, w1, none in a swarm yet: start with docker swarm init');
    expect(out).toMatch(new RegExp(`m1\\s+unix://${dir}/m1\\.sock`));
    const info = await new Promise<string>((resolve) => {
      request({ socketPath: join(dir, 'w1.sock'), path: '/info' }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      }).end();
    });
    expect(JSON.parse(info)).toMatchObject({ Name: 'w1', Swarm: { LocalNodeState: 'inactive' } });
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(existsSync(join(dir, 'w1.sock'))).toBe(false);
  });

  test('--engines given to the console is refused: it goes with swarmdeck sim', () => {
    const result = spawnSync(process.execPath, [cli, '--sim', '--once', '--view', 'services', '--engines', '/tmp/x'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--engines and --names go with swarmdeck sim');
  });

  test('deploy flags given to the console are refused: they go with swarmdeck deploy', () => {
    const result = spawnSync(process.execPath, [cli, '--sim', '--once', '--view', 'services', '--dry-run'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('-c, --dry-run, --prune and --detach go with swarmdeck deploy -c FILE STACK');
  });

  test("sim --help prints the simulator's help, exit 0, and starts no simulator", () => {
    const result = spawnSync(process.execPath, [cli, 'sim', '--help'], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('$ swarmdeck sim [options]');
    expect(result.stdout).toContain('--engines DIR');
    expect(result.stdout).toContain('--offline');
    expect(result.stdout).not.toContain('DOCKER_HOST=');
    expect(result.stderr).toBe('');
  });

  test('an unknown scenario is refused with the valid ones listed, exit 2', () => {
    const result = spawnSync(process.execPath, [cli, 'sim', '--scenario', 'mars'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown scenario "mars"; valid scenarios: tutorial, empty, blank, large');
  });

  test('an unknown flag is refused with exit 2', () => {
    const result = spawnSync(process.execPath, [cli, 'sim', '--bogus'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^swarmdeck: unknown flag --bogus; the flags are /);
  });

  test('a bad number for a flag is refused with exit 2', () => {
    const result = spawnSync(process.execPath, [cli, 'sim', '--scenario', 'large', '--nodes', '0'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--nodes must be a whole number from 1 to 100000, not 0');
  });
});
