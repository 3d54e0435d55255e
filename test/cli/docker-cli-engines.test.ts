import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { docker, hasDockerCli } from '../helpers/docker-cli.js';

// A learner's practice session: the real docker CLI against `sim --scenario blank --engines DIR`,
// one engine per node, from `docker swarm init` to `docker node rm`. Each test builds on the last.
let sim: Simulator;
let dir: string;
const on = (node: string, ...args: string[]) => docker(`unix://${sim.engineSockets[node]}`, args);

describe.skipIf(!hasDockerCli)('the docker CLI on per-node engines, from swarm init on', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-practice-'));
    sim = await startSimulator({ scenario: 'blank', clock: 'real', engines: join(dir, 'engines'), names: ['core-01', 'core-02', 'core-03'] });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('docker swarm init makes the first node a manager and prints the join command', async () => {
    const { code, stdout } = await on('core-01', 'swarm', 'init');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Swarm initialized: current node \(\w{25}\) is now a manager\./);
    expect(stdout).toMatch(/docker swarm join --token SWMTKN-1-\w{50}-\w{25} \d+\.\d+\.\d+\.\d+:2377/);
  });

  test('two nodes join with the worker token, by the manager address and by its hostname', async () => {
    const token = (await on('core-01', 'swarm', 'join-token', '-q', 'worker')).stdout.trim();
    const addr = /(\d+\.\d+\.\d+\.\d+:2377)/.exec((await on('core-01', 'swarm', 'join-token', 'worker')).stdout)![1];
    expect((await on('core-02', 'swarm', 'join', '--token', token, addr)).stdout).toContain('This node joined a swarm as a worker.');
    expect((await on('core-03', 'swarm', 'join', '--token', token, 'core-01:2377')).stdout).toContain('This node joined a swarm as a worker.');
    const { stdout } = await on('core-01', 'node', 'ls');
    expect(stdout).toMatch(/\*\s+core-01\s+Ready\s+Active\s+Leader/);
    expect(stdout).toMatch(/core-02\s+Ready\s+Active\s+\S/);
    expect(stdout).toMatch(/core-03\s+Ready\s+Active/);
  });

  test('a worker refuses node ls in dockerd words', async () => {
    const { code, stderr } = await on('core-02', 'node', 'ls');
    expect(code).toBe(1);
    expect(stderr).toContain("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state.");
  });

  test('networks, secrets and configs are created on the manager', async () => {
    expect((await on('core-01', 'network', 'create', '-d', 'overlay', 'backend')).code).toBe(0);
    writeFileSync(join(dir, 'pw'), 's3cret\n');
    expect((await on('core-01', 'secret', 'create', 'db_password', join(dir, 'pw'))).code).toBe(0);
    expect((await on('core-01', 'config', 'create', 'site_conf', join(dir, 'pw'))).code).toBe(0);
    expect((await on('core-01', 'secret', 'ls', '--format', '{{.Name}}')).stdout.trim()).toBe('db_password');
    expect((await on('core-01', 'network', 'ls', '--filter', 'driver=overlay', '--format', '{{.Name}}')).stdout.split('\n').filter(Boolean).sort()).toEqual([
      'backend',
      'ingress',
    ]);
  });

  test('docker stack deploy -c creates the stack network, secret, config and service; docker ps on a worker shows its container', async () => {
    writeFileSync(join(dir, 'app.conf'), 'listen 80;\n');
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      [
        'version: "3.8"',
        'services:',
        '  web:',
        '    image: nginx:latest',
        '    deploy:',
        '      replicas: 3',
        '    ports: ["4000:80"]',
        '    networks: [webnet]',
        '    secrets: [pw]',
        '    configs:',
        '      - source: conf',
        '        target: /etc/app.conf',
        'networks:',
        '  webnet: {}',
        'secrets:',
        '  pw:',
        `    file: ${join(dir, 'pw')}`,
        'configs:',
        '  conf:',
        `    file: ${join(dir, 'app.conf')}`,
        '',
      ].join('\n'),
    );
    const deploy = await on('core-01', 'stack', 'deploy', '-c', join(dir, 'docker-compose.yml'), 'lab');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain('Creating network lab_webnet');
    expect(deploy.stdout).toContain('Creating secret lab_pw');
    expect(deploy.stdout).toContain('Creating config lab_conf');
    expect(deploy.stdout).toContain('Creating service lab_web');
    let ps = '';
    for (let i = 0; i < 50 && !/lab_web\.\d\./.test(ps); i++) {
      await new Promise((r) => setTimeout(r, 200));
      ps = (await on('core-02', 'ps')).stdout + (await on('core-03', 'ps')).stdout;
    }
    expect(ps).toMatch(/nginx:latest .* lab_web\.\d\.\w{25}/);
    expect((await on('core-01', 'stack', 'services', 'lab')).stdout).toMatch(/lab_web\s+replicated\s+\d\/3\s+nginx:latest\s+\*:4000->80\/tcp/);
  });

  test('docker stack rm removes exactly the stack objects', async () => {
    const { code, stdout } = await on('core-01', 'stack', 'rm', 'lab');
    expect(code).toBe(0);
    expect(stdout).toContain('Removing network lab_webnet');
    const networks = (await on('core-01', 'network', 'ls', '--format', '{{.Name}}')).stdout.split('\n').filter(Boolean).sort();
    expect(networks).toEqual(['backend', 'bridge', 'docker_gwbridge', 'host', 'ingress', 'none']);
    expect((await on('core-01', 'secret', 'ls', '--format', '{{.Name}}')).stdout.trim()).toBe('db_password');
    expect((await on('core-01', 'config', 'ls', '--format', '{{.Name}}')).stdout.trim()).toBe('site_conf');
    expect((await on('core-01', 'service', 'ls', '-q')).stdout.trim()).toBe('');
  });

  test('a worker leaves, shows Down, and docker node rm removes it', async () => {
    expect((await on('core-03', 'swarm', 'leave')).stdout).toContain('Node left the swarm.');
    expect((await on('core-01', 'node', 'ls')).stdout).toMatch(/core-03\s+Down/);
    expect((await on('core-01', 'node', 'rm', 'core-03')).code).toBe(0);
    expect((await on('core-01', 'node', 'ls')).stdout).not.toContain('core-03');
  });
});
