import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const emptyConfig = mkdtempSync(join(tmpdir(), 'swarmdeck-config-'));

/** Runs the built CLI against the simulator; no user config may map nodes. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    for (const key of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONFIG']) delete clean[key];
    const env = { ...clean, DOCKER_CONFIG: emptyConfig, XDG_CONFIG_HOME: emptyConfig, DOCKER_HOST: sim.host };
    const child = spawn(process.execPath, [cli, '--once', '--width', '220', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const row = (frame: string, name: string) => frame.split('\n').find((l) => l.startsWith(`${name} `))!;
const mib = (text: string) => Number.parseFloat(text) * (text.endsWith('GiB') ? 1024 : 1);

let sim: Simulator;
let silent: Server;
const silentSocket = join(mkdtempSync(join(tmpdir(), 'swarmdeck-silent-')), 'engine.sock');
beforeAll(async () => {
  sim = await startSimulator({ clock: 'manual' });
  // An engine that accepts and never answers: --once must not wait for it.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(silentSocket, resolve));
});
afterAll(async () => {
  await sim?.close();
  silent?.close();
});

describe('--once with CPU and MEM', () => {
  test("--view services shows each service's sum and hottest replica, the same the tasks view's figures add up to", async () => {
    const services = await run(['--view', 'services']);
    expect(services.code).toBe(0);
    const [cpu, mem] = row(services.stdout, 'getstartedlab_web')
      .trim()
      .split(/\s{2,}/)
      .slice(-2);
    expect(cpu).toMatch(/^\d+\.\d% max \d+(\.\d)?%$/);
    const tasks = await run(['--view', 'tasks', '--service', 'getstartedlab_web']);
    const rows = tasks.stdout.split('\n').filter((l) => /^getstartedlab_web\.\d /.test(l));
    expect(rows).toHaveLength(5);
    const figures = rows.map((l) => /\s(\d+\.\d)%\s+(\S+iB)/.exec(l)!);
    expect(Math.abs(figures.reduce((s, f) => s + Number(f[1]), 0) - Number.parseFloat(cpu))).toBeLessThanOrEqual(0.3);
    expect(Math.abs(figures.reduce((s, f) => s + mib(f[2]), 0) - mib(mem.split(' max ')[0]))).toBeLessThanOrEqual(1);
  });

  test('--view nodes shows every node its CPUS and MEMORY and its containers share of them', async () => {
    const { code, stdout } = await run(['--view', 'nodes']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/CPUS\s+MEMORY\s+CPU\s+MEM/);
    for (const node of ['core-01', 'core-02', 'core-03', 'core-04', 'core-05']) expect(row(stdout, node)).toMatch(/\s\d+%\s+\d+%\s/);
  });

  test('a node that cannot be reached is - with why in the title bar, and the others have their figures', async () => {
    const { code, stdout } = await run(['--view', 'nodes', '--node-host', 'core-03=unix:///nonexistent/swarmdeck-core-03.sock']);
    expect(code).toBe(0);
    expect(stdout).toContain('CPU/MEM -: core-03:');
    expect(row(stdout, 'core-03')).toMatch(/\s-\s+-\s/);
    expect(row(stdout, 'core-02')).toMatch(/\s\d+%\s+\d+%\s/);
  });

  test('--no-stats asks no node engine: the frame comes without figures, even with a node that never answers', async () => {
    const { code, stdout } = await run(['--view', 'tasks', '--node', 'core-02', '--node-host', `core-02=unix://${silentSocket}`, '--no-stats']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('CPU/MEM -');
    const running = stdout.split('\n').filter((l) => / Running\s+Running /.test(l));
    expect(running.length).toBeGreaterThan(0);
    for (const l of running) expect(l).not.toMatch(/\d%|iB/);
  });

  test('--no-stats without --once is refused: the console samples only what is on screen', async () => {
    const clean = { ...process.env, DOCKER_HOST: sim.host };
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, '--no-stats'], { env: clean, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      child.on('exit', (c) => resolve({ code: c, stderr: err }));
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--no-stats goes with --once');
  });

  test('a node that accepts and never answers gives - and the frame is printed all the same', async () => {
    const { code, stdout } = await run(['--view', 'tasks', '--node', 'core-02', '--node-host', `core-02=unix://${silentSocket}`]);
    expect(code).toBe(0);
    expect(stdout).toContain('CPU/MEM -: ');
    const running = stdout.split('\n').filter((l) => / Running\s+Running /.test(l));
    expect(running.length).toBeGreaterThan(0);
    for (const l of running) expect(l).toMatch(/\s-\s+-(\s|$)/);
  }, 20_000);
});
