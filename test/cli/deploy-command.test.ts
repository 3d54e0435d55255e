import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

// `swarmdeck deploy` from the built CLI against a simulator on the wall clock, as a user runs it.
const cli = join(import.meta.dirname, '../../dist/cli.js');
const corpus = join(import.meta.dirname, '../compose/corpus');
let sim: Simulator;
let dir: string;

function deploy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Its own state directory: the action log of a test is not the user's.
    const env = { ...process.env, DOCKER_HOST: sim.host, DOCKER_CONTEXT: '', XDG_STATE_HOME: join(dir, 'state') };
    const child = spawn(process.execPath, [cli, 'deploy', ...args], { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('swarmdeck deploy', () => {
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'empty', clock: 'real' });
    sim.swarm.addNode({ hostname: 'worker-1', role: 'worker' });
    sim.swarm.addNode({ hostname: 'worker-2', role: 'worker' });
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-deploy-'));
    for (const f of ['keys.yml', 'pw.txt', 'site.conf', 'getstartedlab.yml']) copyFileSync(join(corpus, f), join(dir, f));
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run prints the plan and creates nothing', async () => {
    const { code, stdout } = await deploy('-c', 'keys.yml', '--dry-run', 'demo');
    expect(code).toBe(0);
    expect(stdout).toContain('create    network demo_front');
    expect(stdout).toContain('create    service demo_api');
    expect(stdout).toContain('7 to create, 0 to update, 0 unchanged');
    expect(sim.swarm.services.size).toBe(0);
  });

  test('without a terminal it asks for -y, and creates nothing', async () => {
    const { code, stderr } = await deploy('-c', 'keys.yml', 'demo');
    expect(code).toBe(2);
    expect(stderr).toContain('not a terminal to ask on: give -y to apply the plan above');
    expect(sim.swarm.services.size).toBe(0);
  });

  test('--read-only refuses to apply, and creates nothing', async () => {
    const { code, stderr } = await deploy('-c', 'keys.yml', '-y', '--read-only', 'demo');
    expect(code).toBe(2);
    expect(stderr).toContain('read-only mode: this would change the swarm, so nothing was sent');
    expect(sim.swarm.services.size).toBe(0);
  });

  test('-y applies the plan, follows the services until they converge, and exits 0', async () => {
    const { code, stdout } = await deploy('-c', 'keys.yml', '-y', 'demo');
    expect(code).toBe(0);
    expect(stdout).toContain('Creating network demo_back');
    expect(stdout).toContain('Creating service demo_api');
    expect(stdout).toContain('stack demo: every service converged');
    // ${LOG_LEVEL:-info} with no LOG_LEVEL in the environment.
    const api = [...sim.swarm.services.values()].find((s) => s.spec.Name === 'demo_api')!;
    expect(api.spec.TaskTemplate?.ContainerSpec?.Env).toEqual(['LOG_LEVEL=info', 'REGION=eu']);
    // The action log has it, with the docker command that does the same.
    const log = readFileSync(join(dir, 'state', 'swarmdeck', 'actions.log'), 'utf8');
    expect(log).toContain('docker stack deploy -c keys.yml demo');
  }, 60_000);

  test('the same file again is up to date, and nothing is sent', async () => {
    const before = sim.swarm.index;
    const { code, stdout } = await deploy('-c', 'keys.yml', '-y', 'demo');
    expect(code).toBe(0);
    expect(stdout).toContain('stack demo is up to date: nothing was sent');
    expect(sim.swarm.index).toBe(before);
  });

  test('several -c files are merged in order, and the plan shows the changed fields', async () => {
    writeFileSync(join(dir, 'override.yml'), 'services:\n  api:\n    deploy:\n      replicas: 3\n');
    const { code, stdout } = await deploy('-c', 'keys.yml', '-c', 'override.yml', '--dry-run', 'demo');
    expect(code).toBe(0);
    expect(stdout).toContain('update    service demo_api');
    expect(stdout).toContain('Mode.Replicated.Replicas: 2 -> 3');
  });

  test('a variable the file requires (${VAR:?message}) and the environment lacks is a clear error, exit 2, nothing created', async () => {
    writeFileSync(join(dir, 'need.yml'), 'services:\n  x:\n    image: ${IMAGE:?set IMAGE to the image to run}\n');
    const { code, stderr } = await deploy('-c', 'need.yml', 'demo2');
    expect(code).toBe(2);
    expect(stderr).toContain('required variable IMAGE is missing a value: set IMAGE to the image to run');
    expect([...sim.swarm.services.values()].map((s) => s.spec.Name)).not.toContain('demo2_x');
  });

  test('a YAML mistake names the file, line and column, exit 2', async () => {
    writeFileSync(join(dir, 'bad.yml'), 'services:\n  x:\n    image: [nginx\n');
    const { code, stderr } = await deploy('-c', 'bad.yml', 'demo3');
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yml:\d+:\d+: /);
  });

  test('keys a swarm ignores are warned about, as the CLI does', async () => {
    writeFileSync(join(dir, 'build.yml'), 'services:\n  x:\n    image: nginx\n    build: .\n    depends_on: [y]\n');
    const { stderr } = await deploy('-c', 'build.yml', '--dry-run', 'demo4');
    expect(stderr).toContain('Ignoring unsupported options: build, depends_on');
  });
});
