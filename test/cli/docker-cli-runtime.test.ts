import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { docker, hasDockerCli } from '../helpers/docker-cli.js';

// The real docker CLI against one node's simulated engine: ps, stats, exec (with and without a TTY), top, system df, info.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
let sim: Simulator;
let dir: string;
let host: string;
let container: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasDockerCli)('the docker CLI on a simulated node engine', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-runtime-'));
    sim = await startSimulator({ scenario: 'tutorial', clock: 'real', engines: join(dir, 'engines') });
    const worker = [...sim.swarm.nodes.values()].find((n) => n.spec.Role === 'worker')!;
    host = `unix://${sim.engineSockets[worker.hostname]}`;
    container = (await docker(host, ['ps', '-q'])).stdout.split('\n')[0];
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('docker ps lists the node tasks containers', async () => {
    expect(container).toMatch(/^[0-9a-f]{12}$/);
  });

  test('docker stats --no-stream prints sane percentages and memory of limit', async () => {
    const { code, stdout } = await docker(host, ['stats', '--no-stream', '--format', '{{.ID}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.PIDs}}']);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [, cpu, used, , limit, mem, pids] = row.split(' ');
      expect(Number(cpu.replace('%', ''))).toBeGreaterThan(0);
      expect(Number(cpu.replace('%', ''))).toBeLessThanOrEqual(200);
      expect(used).toMatch(/^[\d.]+(KiB|MiB|GiB)$/);
      expect(limit).toMatch(/^[\d.]+(MiB|GiB)$/);
      expect(Number(mem.replace('%', ''))).toBeLessThan(100);
      expect(Number(pids)).toBeGreaterThan(0);
    }
  });

  test('docker exec CONTAINER hostname prints the container hostname; a missing program exits 126, sh -c nope 127', async () => {
    expect(await docker(host, ['exec', container, 'hostname'])).toMatchObject({ code: 0, stdout: `${container}\n` });
    expect((await docker(host, ['exec', container, 'bash'])).code).toBe(126);
    const nope = await docker(host, ['exec', container, 'sh', '-c', 'nope']);
    expect(nope).toMatchObject({ code: 127, stderr: 'sh: nope: not found\n' });
  });

  test('docker exec -i takes commands on stdin without a TTY', async () => {
    // Async: the simulator answers from this process, so a synchronous child would wait on it forever.
    const child = spawn('docker', ['exec', '-i', container, 'sh'], { env: { ...process.env, DOCKER_HOST: host, DOCKER_CONTEXT: '' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdin.end('echo hi\nhostname\nexit 4\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(4);
    expect(out).toBe(`hi\n${container}\n`);
  });

  test.skipIf(!hasTmux)('docker exec -it CONTAINER sh: a prompt, typed commands, exit 3 comes back as the exit code', async () => {
    const server = `swarmdeck-exec-${process.pid}`;
    const marker = join(dir, 'exec.exit');
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
    tmux(
      'new-session',
      '-d',
      '-s',
      'exec',
      '-x',
      '100',
      '-y',
      '30',
      `DOCKER_HOST=${host} docker exec -it ${container} sh 2>&1; echo "exit=$?" > ${marker}; sleep 30`,
    );
    try {
      const screen = () => tmux('capture-pane', '-p', '-t', 'exec');
      for (let i = 0; i < 100 && !screen().includes('/ #'); i++) await sleep(100);
      expect(screen()).toContain('/ #');
      tmux('send-keys', '-t', 'exec', 'hostname', 'Enter');
      for (let i = 0; i < 50 && !screen().includes(`${container}\n`); i++) await sleep(100);
      expect(screen()).toContain(`/ # hostname\n${container}\n/ #`);
      tmux('send-keys', '-t', 'exec', 'stty size', 'Enter');
      for (let i = 0; i < 50 && !screen().includes('30 100'); i++) await sleep(100);
      expect(screen()).toContain('30 100');
      tmux('send-keys', '-t', 'exec', 'exit 3', 'Enter');
      let exit = '';
      for (let i = 0; i < 50 && !exit; i++) {
        await sleep(100);
        exit = spawnSync('cat', [marker], { encoding: 'utf8' }).stdout.trim();
      }
      expect(exit).toBe('exit=3');
    } finally {
      spawnSync('tmux', ['-L', server, 'kill-server']);
    }
  });

  test('docker top, docker system df and docker info', async () => {
    const top = await docker(host, ['top', container]);
    expect(top.stdout).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD\n/);
    const df = await docker(host, ['system', 'df']);
    expect(df.stdout).toMatch(/Images\s+\d+\s+\d+/);
    expect(df.stdout).toMatch(/Containers\s+\d+\s+\d+/);
    const info = await docker(host, ['info', '--format', '{{.NCPU}} {{.MemTotal}}']);
    expect(info.stdout.trim()).toMatch(/^[1-9]\d* [1-9]\d*$/);
  });
});
