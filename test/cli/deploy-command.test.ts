import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serviceConverged } from '../../source/commands/deploy.js';
import type { SwarmService } from '../../source/docker/types.js';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';

// `swarmdeck deploy` from the built CLI against a simulator on the wall clock, as a user runs it.
const cli = join(import.meta.dirname, '../../dist/cli.js');
const corpus = join(import.meta.dirname, '../compose/corpus');
let sim: Simulator;
let dir: string;

function deploy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return deployWith(() => {}, ...args);
}

/** Runs deploy; `onOut` sees the output so far and the child, to signal it. */
function deployWith(
  onOut: (stdout: string, child: ReturnType<typeof spawn>) => void,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Its own state directory: the action log of a test is not the user's.
    const env = { ...process.env, DOCKER_HOST: sim.host, DOCKER_CONTEXT: '', XDG_STATE_HOME: join(dir, 'state') };
    const child = spawn(process.execPath, [cli, 'deploy', ...args], { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      onOut(stdout, child);
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
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

  test('the plan names the file each secret and config is read from', async () => {
    const { code, stdout } = await deploy('-c', 'keys.yml', '--dry-run', 'files');
    expect(code).toBe(0);
    expect(stdout).toContain(`create    secret  files_db_password  (read from ${join(dir, 'pw.txt')})`);
    expect(stdout).toContain(`create    config  files_site  (read from ${join(dir, 'site.conf')})`);
  });

  test('inputs past sane bounds are refused with exit 2 and the bound in words, and nothing is created', async () => {
    const before = sim.swarm.index;
    writeFileSync(join(dir, 'huge.yml'), `services:\n  x:\n    image: nginx\n# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    let r = await deploy('-c', 'huge.yml', '-y', 'bounds');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is 4.0 MB, over the 4.0 MB swarmdeck reads as a compose file')]);
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(500 * 1024 + 1));
    writeFileSync(join(dir, 'bigsecret.yml'), 'services:\n  x:\n    image: nginx\n    secrets: [s]\nsecrets:\n  s:\n    file: ./big.bin\n');
    r = await deploy('-c', 'bigsecret.yml', '-y', 'bounds');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('over the 500 KB the Engine takes for a secret or config')]);
    // A FIFO would block a reader forever: it is refused before it is opened.
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'fifo.yml'), 'services:\n  x:\n    image: nginx\n    configs: [c]\nconfigs:\n  c:\n    file: ./fifo\n');
    r = await deploy('-c', 'fifo.yml', '-y', 'bounds');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(`${join(dir, 'fifo')} is a FIFO; swarmdeck reads regular files only`)]);
    writeFileSync(join(dir, 'dev.yml'), 'services:\n  x:\n    image: nginx\n    configs: [c]\nconfigs:\n  c:\n    file: /dev/zero\n');
    r = await deploy('-c', 'dev.yml', '-y', 'bounds');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('/dev/zero is a device; swarmdeck reads regular files only')]);
    writeFileSync(join(dir, 'many.yml'), 'services:\n  x:\n    image: nginx\n    deploy:\n      replicas: 100001\n');
    r = await deploy('-c', 'many.yml', '-y', 'bounds');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('100001 replicas is more than swarmdeck will ask for (100000 at most)')]);
    expect(sim.swarm.index).toBe(before);
  }, 60_000);

  test('the whole stack is checked before anything is sent: every problem the Engine would refuse is listed, exit 2, nothing created', async () => {
    const before = sim.swarm.index;
    writeFileSync(
      join(dir, 'refused.yml'),
      'services:\n  a:\n    image: nginx\n    ports: ["7001:80"]\n  b:\n    image: nginx\n    ports: ["7001:80"]\n    volumes:\n      - type: tmpfs\n        target: relative/dir\n',
    );
    const { code, stderr } = await deploy('-c', 'refused.yml', '-y', 'pre');
    expect(code).toBe(2);
    expect(stderr).toContain('the Engine would refuse this stack, so nothing was sent:');
    expect(stderr).toContain('service pre_b: port 7001/tcp is already published by service pre_a');
    expect(stderr).toContain('service pre_b: mount target "relative/dir" is not an absolute path');
    expect(sim.swarm.index).toBe(before);
  });

  test('names from the file reach the terminal inert: no escape sequence, bidi override shown visibly', async () => {
    writeFileSync(join(dir, 'esc.yml'), 'services:\n  "x\\u001b[31mred\\u202e":\n    image: nginx\n');
    const { code, stderr, stdout } = await deploy('-c', 'esc.yml', '--dry-run', 'esc');
    expect(code).toBe(2);
    expect(stderr + stdout).not.toMatch(/[\u001b\u202e]/);
    expect(stderr).toContain('service esc_x^[[31mred\\u202e:');
  });

  test('a step the Engine refuses half-way says what was done before it and that running again continues; running again does', async () => {
    // A service outside the stack holds port 7002, so the stack's second service is refused by the Engine, not by our checks.
    const docker = new Docker({ socketPath: sim.socketPath });
    const blocker = await docker.createService({
      Name: 'blocker',
      TaskTemplate: { ContainerSpec: { Image: 'nginx:latest' } },
      EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 7002 }] },
    } as any);
    writeFileSync(join(dir, 'half.yml'), 'services:\n  a:\n    image: nginx\n    deploy: { replicas: 0 }\n  b:\n    image: nginx\n    ports: ["7002:80"]\n');
    const first = await deploy('-c', 'half.yml', '-y', '--detach', 'half');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('creating service half_b failed:');
    expect(first.stderr).toContain(
      'done before it: created network half_default, created service half_a; nothing after it was sent. Running the same deploy again continues from there',
    );
    await docker.getService(blocker.id).remove();
    const again = await deploy('-c', 'half.yml', '-y', '--detach', 'half');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 to create, 0 to update, 2 unchanged');
    expect(again.stdout).toContain('Creating service half_b');
    expect(again.stdout).not.toContain('Creating service half_a');
  }, 60_000);

  test('SIGINT during the apply stops after the step under way, says how far it got, and leaves an action-log entry', async () => {
    const services = Array.from({ length: 200 }, (_, i) => `  s${i}:\n    image: nginx\n    deploy: { replicas: 0 }\n`).join('');
    writeFileSync(join(dir, 'many-services.yml'), `services:\n${services}`);
    let sent = false;
    const r = await deployWith(
      (stdout, child) => {
        if (!sent && stdout.includes('Creating service')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
      '-c',
      'many-services.yml',
      '-y',
      '--detach',
      'intr',
    );
    expect(r.code).toBe(130);
    const m = /interrupted after (\d+) of 200 services \(SIGINT\)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    const made = [...sim.swarm.services.values()].filter((s) => s.spec.Name?.startsWith('intr_')).length;
    expect(Number(m![1])).toBe(made);
    expect(made).toBeLessThan(200);
    expect(r.stdout).toContain('running the same deploy again continues from there');
    const log = readFileSync(join(dir, 'state', 'swarmdeck', 'actions.log'), 'utf8');
    expect(log).toContain(`interrupted after ${made} of 200 services (SIGINT)`);
  }, 60_000);
});

describe('when a stack has converged', () => {
  const service = (mode: 'global' | 'replicated', running: number, desired: number, state?: string) =>
    ({
      ID: 'x',
      Version: { Index: 1 },
      Spec: { Name: 's', Mode: mode === 'global' ? { Global: {} } : { Replicated: { Replicas: desired } } },
      ServiceStatus: { RunningTasks: running, DesiredTasks: desired },
      UpdateStatus: state ? { State: state } : undefined,
    }) as unknown as SwarmService;
  test('a replicated service runs its replicas; a global one a task on every eligible node, and none is not converged', () => {
    expect(serviceConverged(service('replicated', 2, 2))).toBe(true);
    expect(serviceConverged(service('replicated', 0, 0))).toBe(true);
    expect(serviceConverged(service('replicated', 1, 2))).toBe(false);
    expect(serviceConverged(service('global', 3, 3))).toBe(true);
    expect(serviceConverged(service('global', 2, 3))).toBe(false);
    expect(serviceConverged(service('global', 0, 0))).toBe(false);
    expect(serviceConverged(service('replicated', 2, 2, 'updating'))).toBe(false);
  });
});
