import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { docker, hasDockerCli } from '../helpers/docker-cli.js';

// The real docker CLI against the simulator, on the wall clock, as a user would run it.
let sim: Simulator;
const run = (...args: string[]) => docker(sim.host, args);

describe.skipIf(!hasDockerCli)('the docker CLI drives the simulator', () => {
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'tutorial', clock: 'real' });
  });
  afterAll(() => sim?.close());

  test('docker node ls marks the node it talks to and shows the leader', async () => {
    const { code, stdout } = await run('node', 'ls');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\w+ \*\s+core-01\s+Ready\s+Active\s+Leader\s+20\.10\.24-swarmdeck-sim$/m);
    expect(stdout).toMatch(/core-05\s+Ready\s+Active\s+Reachable/);
  });

  test('docker service ls shows modes, replica counts and published ports', async () => {
    const { stdout } = await run('service', 'ls');
    expect(stdout).toMatch(/flaskontesting\s+replicated\s+5\/5\s+p0bailey\/docker-flask:latest\s+\*:80->80\/tcp/);
    expect(stdout).toMatch(/node-exporter\s+global\s+5\/5/);
  });

  test('docker service ps shows tasks with their history rows', async () => {
    const { stdout } = await run('service', 'ps', 'web');
    expect(stdout).toMatch(/web\.1\s+nginx:1\.27-alpine\s+core-\d\d\s+Running\s+Running/);
    expect(stdout).toMatch(/\\_ web\.\d\s+nginx:1\.25-alpine\s+core-\d\d\s+Shutdown\s+Shutdown/);
  });

  test('docker service inspect and an unknown service', async () => {
    const { stdout } = await run('service', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}', 'counter');
    expect(stdout.trim()).toBe('counter 3');
    const missing = await run('service', 'inspect', 'doesnotexist');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such service: doesnotexist');
  });

  test('docker service scale waits for convergence', async () => {
    const { code, stdout } = await run('service', 'scale', 'redis=3');
    expect(code).toBe(0);
    expect(stdout).toContain('verify: Service redis converged');
    expect((await run('service', 'ls', '--filter', 'name=redis')).stdout).toMatch(/redis\s+replicated\s+3\/3/);
  });

  test('docker service scale refuses a global service, as against a real manager', async () => {
    const { code, stderr } = await run('service', 'scale', 'node-exporter=2');
    expect(code).toBe(1);
    expect(stderr).toContain('scale can only be used with replicated or replicated-job mode');
  });

  test('docker service update --force replaces the tasks and converges', async () => {
    const { code, stdout } = await run('service', 'update', '--force', 'counter');
    expect(code).toBe(0);
    expect(stdout).toContain('verify: Service counter converged');
    const ps = await run('service', 'ps', '--filter', 'desired-state=shutdown', 'counter');
    expect(ps.stdout.match(/Shutdown/g)?.length).toBeGreaterThanOrEqual(3);
  });

  test('docker service update --image rolls out the new image', async () => {
    const { code } = await run('service', 'update', '--image', 'redis:7.4', 'redis');
    expect(code).toBe(0);
    const image = await run('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', 'redis');
    expect(image.stdout.trim()).toBe('redis:7.4');
  });

  test('docker service rollback returns web to its previous image', async () => {
    const { code, stdout } = await run('service', 'rollback', 'web');
    expect(code).toBe(0);
    expect(stdout).toContain('rollback: manually requested rollback');
    const image = await run('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.UpdateStatus.State}}', 'web');
    expect(image.stdout.trim()).toBe('nginx:1.25-alpine rollback_completed');
  });

  test('docker service logs prints task@node prefixes and lines', async () => {
    // Flask writes its access log to stderr; the CLI passes each stream through to its own.
    const { code, stderr } = await run('service', 'logs', '--tail', '1', 'flaskontesting');
    expect(code).toBe(0);
    expect(stderr).toMatch(/^flaskontesting\.\d\.\w+@core-\d\d\s+\| \d+\.\d+\.\d+\.\d+ - - \[/m);
  });

  test('docker service create and rm', async () => {
    const created = await run('service', 'create', '--name', 'cli-probe', '--replicas', '2', 'busybox:1', 'sleep', '1000');
    expect(created.code).toBe(0);
    // After create the CLI names the service by the id the server returned.
    expect(created.stdout).toMatch(/verify: Service [0-9a-z]{25} converged/);
    const removed = await run('service', 'rm', 'cli-probe');
    expect(removed.stdout.trim()).toBe('cli-probe');
  });

  test('docker node update --availability drain and active', async () => {
    expect((await run('node', 'update', '--availability', 'drain', 'core-04')).code).toBe(0);
    expect((await run('node', 'ls')).stdout).toMatch(/core-04\s+Ready\s+Drain/);
    expect((await run('node', 'update', '--availability', 'active', 'core-04')).code).toBe(0);
  });

  test('docker node promote and demote, with the last-manager guard', async () => {
    expect((await run('node', 'promote', 'core-02')).stdout).toContain('Node core-02 promoted to a manager in the swarm.');
    expect((await run('node', 'demote', 'core-02')).stdout).toContain('Manager core-02 demoted in the swarm.');
    await run('node', 'demote', 'core-05');
    const last = await run('node', 'demote', 'core-01');
    expect(last.stderr).toContain('attempting to demote the last manager of the swarm');
    await run('node', 'promote', 'core-05');
  });

  test('docker stack ls, services and ps', async () => {
    expect((await run('stack', 'ls')).stdout).toMatch(/getstartedlab\s+1/);
    // On the wall clock a task may be between states at the moment of asking: ask until converged.
    let services = '';
    for (let i = 0; i < 20 && !/getstartedlab_web\s+replicated\s+5\/5/.test(services); i++) {
      if (i) await new Promise((r) => setTimeout(r, 250));
      services = (await run('stack', 'services', 'getstartedlab')).stdout;
    }
    expect(services).toMatch(/getstartedlab_web\s+replicated\s+5\/5/);
    expect((await run('stack', 'ps', 'getstartedlab')).stdout).toMatch(/getstartedlab_web\.1\s/);
    const missing = await run('stack', 'ps', 'nope');
    expect(missing.stderr).toContain('nothing found in stack: nope');
  });

  test('docker events --since replays swarm events', async () => {
    const { code, stdout } = await run('events', '--since', '3h', '--until', '0s', '--filter', 'type=service');
    expect(code).toBe(0);
    expect(stdout).toMatch(/service create \w+ \(name=flaskontesting\)/);
    expect(stdout).toMatch(/service update \w+ \(name=web, updatestate\.new=completed, updatestate\.old=updating\)/);
  });
});
