import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeError } from '../../source/docker/client.js';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');

/** Runs the built CLI; the environment is cleaned of any real Docker settings. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    for (const key of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONFIG']) delete clean[key];
    const child = spawn(process.execPath, [cli, ...args], { env: { ...clean, DOCKER_CONFIG: emptyConfig, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const emptyConfig = mkdtempSync(join(tmpdir(), 'swarmdeck-config-'));
let sim: Simulator;
let worker: Simulator;
let inactive: Simulator;
beforeAll(async () => {
  [sim, worker, inactive] = await Promise.all([
    startSimulator({ clock: 'manual' }),
    startSimulator({ clock: 'manual', scenario: 'empty', as: 'worker' }),
    startSimulator({ clock: 'manual', scenario: 'empty', as: 'inactive' }),
  ]);
});
afterAll(async () => {
  await Promise.all([sim?.close(), worker?.close(), inactive?.close()]);
});

describe('--once', () => {
  test('prints one plain-text frame of the services view and exits 0', async () => {
    const { code, stdout } = await run(['--once', '--view', 'services', '--width', '100', '--height', '20'], { DOCKER_HOST: sim.host });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/\u001b/);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(stdout).toMatch(/flaskontesting\s+replicated\s+5\/5/);
  });

  test("a short list prints as tall as its content, not a terminal's worth of blank rows", async () => {
    const { stdout } = await run(['--once', '--view', 'services', '--width', '100', '--height', '40'], { DOCKER_HOST: sim.host });
    const lines = stdout.trimEnd().split('\n');
    // Header (2), title, column names, 6 services, status line, footer.
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toMatch(/^\? help/);
  });

  test('shows the tasks of a node', async () => {
    const { code, stdout } = await run(['--once', '--view', 'tasks', '--node', 'core-02'], { DOCKER_HOST: sim.host });
    expect(code).toBe(0);
    expect(stdout).toContain('Tasks of node core-02');
  });

  test('shows the logs of a service', async () => {
    const { code, stdout } = await run(['--once', '--view', 'logs', '--service', 'counter', '--height', '12'], { DOCKER_HOST: sim.host });
    expect(code).toBe(0);
    expect(stdout).toMatch(/counter\.\d\.\w+@core-\d\d \| counter: \d+/);
  });

  test('refuses an unknown view with the valid ones, exit 2', async () => {
    const { code, stderr } = await run(['--once', '--view', 'bogus'], { DOCKER_HOST: sim.host });
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--view must be one of nodes, services, stacks, tasks, logs, top, map, networks, configs, secrets, containers, events, inspect, swarm, actions, messages, not "bogus"',
    );
  });

  test('prints every other view: stacks, map, networks, configs, secrets, events', async () => {
    const frames = await Promise.all(
      ['stacks', 'map', 'networks', 'configs', 'secrets', 'events'].map((view) => run(['--once', '--view', view, '--width', '100'], { DOCKER_HOST: sim.host })),
    );
    const [stacks, map, networks, configs, secrets, events] = frames.map((f) => (expect(f.code).toBe(0), f.stdout));
    expect(stacks).toMatch(/getstartedlab\s+1\s+5\/5\s+Swarm/);
    expect(map).toMatch(/^core-01\s+core-02\s+core-03\s+core-04\s+core-05$/m);
    expect(map).toMatch(/## flaskontesting\.1/);
    expect(networks).toMatch(/backend\s+\w{12}\s+overlay\s+swarm\s+yes/);
    expect(configs).toMatch(/nginx_conf\s+\w{12}/);
    expect(secrets).toMatch(/redis_password\s+\w{12}/);
    expect(events).toMatch(/service\s+update\s+web\s+updatestate updating -> completed/);
  });

  test('--view inspect --service NAME prints its YAML with secret-looking env values masked; --view swarm the join tokens masked', async () => {
    const service = await run(['--once', '--view', 'inspect', '--service', 'counter', '--height', '60'], { DOCKER_HOST: sim.host });
    expect(service.code).toBe(0);
    expect(service.stdout).toContain('Inspect service counter');
    expect(service.stdout).toContain('- "REDIS_PASSWORD=******"');
    expect(service.stdout).not.toContain('counter-demo-pass');
    const swarm = await run(['--once', '--view', 'swarm', '--height', '60'], { DOCKER_HOST: sim.host });
    expect(swarm.stdout).toMatch(/Worker: "\*{6}"/);
    expect(swarm.stdout).not.toContain('SWMTKN');
    // Nothing but the frame: no cursor codes left on stderr for scripts.
    expect(swarm.stderr).toBe('');
  });

  test('a tasks view without a service or node says what it needs', async () => {
    const { code, stderr } = await run(['--once', '--view', 'tasks'], { DOCKER_HOST: sim.host });
    expect(code).toBe(2);
    expect(stderr).toContain('--view tasks needs --service NAME or --node NAME');
  });

  test('an unknown service is named', async () => {
    const { code, stderr } = await run(['--once', '--view', 'tasks', '--service', 'nope'], { DOCKER_HOST: sim.host });
    expect(code).toBe(2);
    expect(stderr).toContain('no service "nope"');
  });
});

describe('connection errors are clear, with no stack trace', () => {
  test('an unsupported DOCKER_HOST scheme exits 2', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: 'ftp://example' });
    expect(code).toBe(2);
    expect(stderr).toBe('swarmdeck: invalid DOCKER_HOST "ftp://example": unsupported scheme ftp; use unix://, tcp:// or ssh://\n');
  });

  test('DOCKER_TLS_VERIFY without certificates exits 2 naming the missing file', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' });
    expect(code).toBe(2);
    expect(stderr).toContain('missing TLS file /nonexistent/ca.pem');
  });

  test('a socket that does not exist', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(code).toBe(1);
    expect(stderr).toBe('swarmdeck: cannot reach unix:///nonexistent/docker.sock: no such socket (is Docker running there?)\n');
  });

  test('a port nobody listens on', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: 'tcp://127.0.0.1:9' });
    expect(code).toBe(1);
    expect(stderr).toBe('swarmdeck: cannot reach tcp://127.0.0.1:9: connection refused\n');
  });

  test('permission denied on the socket says what to do', () => {
    // As root no socket refuses us, so this checks the wording on the error Node reports.
    const error = Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES' });
    expect(describeError(error, { url: 'unix:///var/run/docker.sock', label: '', options: {} }).message).toBe(
      'permission denied on unix:///var/run/docker.sock: add your user to the docker group, or run with sudo',
    );
  });

  test('a worker node is named as such, with what to do', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: worker.host });
    expect(code).toBe(1);
    expect(stderr).toContain('is a swarm worker, not a manager: workers cannot show or change cluster state. Point swarmdeck at a manager');
  });

  test('an engine not in a swarm is named as such, with what to do', async () => {
    const { code, stderr } = await run(['--once'], { DOCKER_HOST: inactive.host });
    expect(code).toBe(1);
    expect(stderr).toContain('is not part of a swarm (swarm state: inactive). Run `docker swarm init` there');
  });

  test('-H and --context together are refused', async () => {
    const { code, stderr } = await run(['--once', '-H', sim.host, '--context', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('either specify --host or --context, not both');
  });

  test('an unknown context exits 2', async () => {
    const { code, stderr } = await run(['--once', '--context', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toBe('swarmdeck: context "nope" does not exist\n');
  });

  test('the console refuses to start without a terminal and points at --once', async () => {
    const { code, stderr } = await run([], { DOCKER_HOST: sim.host });
    expect(code).toBe(2);
    expect(stderr).toContain('the console needs a terminal; for scripts use --once --view NAME');
  });
});

describe('connecting like the docker CLI', () => {
  function contextDir(name: string, host: string, current?: string) {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-ctx-'));
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    if (current) writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
    return dir;
  }

  test('-H takes a host', async () => {
    const { code, stdout } = await run(['--once', '-H', sim.host]);
    expect(code).toBe(0);
    expect(stdout).toContain('flaskontesting');
  });

  test('--context reads the endpoint from the docker config', async () => {
    const { code, stdout } = await run(['--once', '--context', 'lab'], { DOCKER_CONFIG: contextDir('lab', sim.host) });
    expect(code).toBe(0);
    expect(stdout).toContain(`${sim.host} (context lab)`);
  });

  test('the current context of config.json is used when nothing else is given', async () => {
    const { code, stdout } = await run(['--once'], { DOCKER_CONFIG: contextDir('lab', sim.host, 'lab') });
    expect(code).toBe(0);
    expect(stdout).toContain('(context lab)');
  });

  test('DOCKER_HOST wins over the current context', async () => {
    const { code, stdout } = await run(['--once'], { DOCKER_CONFIG: contextDir('lab', 'unix:///nonexistent.sock', 'lab'), DOCKER_HOST: sim.host });
    expect(code).toBe(0);
    expect(stdout).not.toContain('(context lab)');
  });

  test('-H may be given several times: the first reachable manager is used', async () => {
    const { code, stdout } = await run(['--once', '-H', 'unix:///nonexistent.sock', '-H', sim.host]);
    expect(code).toBe(0);
    expect(stdout).toContain('flaskontesting');
  });
});

describe('flag mistakes and endpoints that are not Docker', () => {
  const cliPath = new URL('../../dist/cli.js', import.meta.url).pathname;
  const runCli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cliPath, ...args], (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  test('an unknown flag is a sentence with the valid flags, exit 2', async () => {
    const { code, stderr } = await runCli(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^swarmdeck: unknown flag --bogus; the flags are --host, .*--context, /);
    expect(stderr).toMatch(/--read-only/);
  });

  test('--help lists every view --once can print', async () => {
    const { stdout } = await runCli(['--help']);
    for (const view of [
      'nodes',
      'services',
      'stacks',
      'tasks',
      'top',
      'logs',
      'map',
      'networks',
      'configs',
      'secrets',
      'events',
      'inspect',
      'swarm',
      'actions',
    ]) {
      expect(stdout).toMatch(new RegExp(`VIEW: .*\\b${view}\\b`));
    }
  });

  test('an endpoint that answers HTTP but is not Docker is said to be not a Docker engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-notdocker-'));
    const socket = join(dir, 'web.sock');
    const server = createServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const { code, stderr } = await runCli(['-H', `unix://${socket}`, '--once']);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`swarmdeck: unix://${socket} is not a Docker engine: it answered /info with HTTP 404`);
    } finally {
      server.close();
    }
  });
});
