import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';
import { removeServicesNamed } from '../helpers/docker-cli.js';

// Issue 16's defects on a real swarm of three managers (CI brings one up apart from the main one,
// SWARMDECK_TEST_QUORUM_HOST its first manager, SWARMDECK_TEST_QUORUM_CTL its realswarm.sh).
const host = process.env.SWARMDECK_TEST_QUORUM_HOST;
const ctl = process.env.SWARMDECK_TEST_QUORUM_CTL;
const control = (action: 'stop' | 'start', node: string) => {
  const [cmd, ...pre] = ctl!.split(' ');
  execFileSync(cmd, [...pre, action, node], { stdio: 'ignore', timeout: 120_000 });
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
const PREFIX = `sdk-trust-${process.pid.toString(36)}`;

describe.skipIf(!host || !ctl)('what the screen says is true, on a real swarm of three managers', () => {
  let docker: Docker;
  let c: MountedConsole;

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    c = await mountConsole(host!, { width: 160 });
    await c.waitFor(/managers 3 \(leader manager\d\)/, 60_000);
  });

  afterAll(async () => {
    await c?.close();
    await removeServicesNamed(docker, PREFIX);
  });

  test("a crash loop (sh -c 'sleep 3; exit 3') shows its restarts and is marked, whether or not its task runs this second", async () => {
    const name = `${PREFIX}-crash`;
    await docker.createService({
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ['sh', '-c', 'sleep 3; exit 3'] } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    const frame = await c.waitFor(new RegExp(`${name}\\s+replicated\\s+[01]/1 \\([3-9]\\d*\\+? restarts in 10m(, every ~\\d+s)?\\).*crash loop`), 120_000);
    expect(frame).toMatch(/services \d+ \(1 crash-looping\)/);
    await c.selectRow(name);
    await c.press(KEY.enter);
    await c.waitFor(/Crash loop: \d+\+? restarts in 10m(, every ~\d+s)?; last exit .* ago: task: non-zero exit \(3\)/, 30_000);
    await c.press(KEY.escape);
    await docker.getService(name).remove();
  });

  test('secrets in env, URLs, labels and arguments are masked in inspect and in --once --view inspect', async () => {
    const name = `${PREFIX}-masked`;
    await docker.createService({
      Name: name,
      Labels: { password: 'hunter2' },
      TaskTemplate: {
        ContainerSpec: {
          Image: IMAGE,
          Args: ['sleep', '100000', '--password=hunter2'],
          Env: ['MYSQL_PWD=hunter2', 'DATABASE_URL=postgres://app:hunter2@db/x', 'LOG_LEVEL=info'],
        },
      },
      Mode: { Replicated: { Replicas: 0 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    await c.waitFor(name, 30_000);
    await c.selectRow(name);
    await c.press('i');
    const shown = await c.waitFor('MYSQL_PWD=******', 30_000);
    expect(shown).toContain('postgres://app:******@db/x');
    expect(shown).toContain('LOG_LEVEL=info');
    expect(shown).not.toContain('hunter2');
    await c.press(KEY.escape);
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/cli.js', '--once', '--view', 'inspect', '--service', name, '--height', '80'], {
      env: { ...process.env, DOCKER_HOST: host! },
    });
    expect(stdout).toContain('MYSQL_PWD=******');
    expect(stdout).toContain('--password=******');
    expect(stdout).toMatch(/password: ["']?\*{6}["']?/);
    expect(stdout).not.toContain('hunter2');
    await docker.getService(name).remove();
  });

  test('with two of three managers stopped the header says no leader within seconds of the first failing request, and says when the leader is back', async () => {
    const others = ['manager2', 'manager3'];
    await Promise.all(others.map(async (m) => control('stop', m)));
    try {
      // The docker CLI's view: the first request that fails.
      let failedAt = 0;
      for (let i = 0; i < 240 && !failedAt; i++) {
        await docker.listNodes().catch(() => (failedAt = Date.now()));
        if (!failedAt) await sleep(500);
      }
      expect(failedAt).toBeGreaterThan(0);
      const frame = await c.waitFor(/x no leader: quorum lost \(1 of 3 managers reachable\)|! quorum lost: 1 of 3 managers reachable/, 60_000);
      const late = Date.now() - failedAt;
      // "Within a few seconds" of it: the probe asks every 3 s and waits 4 s at most for an answer.
      expect(late).toBeLessThan(10_000);
      expect(frame).toMatch(/managers 3 \(no leader\)|the leader will step down/);
      await c.waitFor(/data from .* ago: managers 3 \(no leader\)/, 30_000);
    } finally {
      for (const m of others) control('start', m);
    }
    await c.waitFor(/leader back: manager\d after \d+s without one; quorum regained/, 120_000);
    await c.waitFor(/\* connected/, 60_000);
  });
});
