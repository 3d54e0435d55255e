import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY, mountConsole, type MountedConsole } from '../helpers/console.js';
import { removeServicesNamed } from '../helpers/docker-cli.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';

// Issue 26 on a real swarm (SWARMDECK_TEST_DOCKER_HOST): since and tail are dockerd's, asked as
// they are; a stack's services' lines merge in time order; a task that ends says so while followed.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
const STACK = `sdklogs${process.pid.toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = (frame: string) => frame.split('\n').filter((l) => l.includes(' | '));

/** A service that writes `NAME line N` every half second, in the stack. */
const ticker = (name: string, extra = '') => ({
  Name: `${STACK}_${name}`,
  Labels: { 'com.docker.stack.namespace': STACK },
  TaskTemplate: {
    ContainerSpec: { Image: IMAGE, Args: ['sh', '-c', `i=0; while true; do echo "${name} line $i"; i=$((i+1)); ${extra} sleep 0.5; done`], StopSignal: 'KILL' },
  },
  Mode: { Replicated: { Replicas: 1 } },
  EndpointSpec: { Mode: 'dnsrr' },
});

describe.skipIf(!host)('logs on a real swarm', () => {
  let docker: Docker;
  let proxy: RecordingProxy;
  let c: MountedConsole;

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    await docker.createService(ticker('web') as any);
    await docker.createService(ticker('db') as any);
    // Writes ten lines, then exits 3: its task ends while its logs are followed.
    await docker.createService({
      ...ticker('job', '[ $i -ge 10 ] && exit 3;'),
      TaskTemplate: { ...ticker('job', '[ $i -ge 10 ] && exit 3;').TaskTemplate, RestartPolicy: { Condition: 'none' } },
    } as any);
    proxy = await recordingProxy(host!.replace(/^unix:\/\//, ''));
    c = await mountConsole(proxy.host, { width: 160 });
    await c.waitFor(`${STACK}_web`, 60_000);
    // Some history to cut.
    await sleep(12_000);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await proxy?.close();
    await removeServicesNamed(docker, STACK);
  });

  test('--tail and --since are asked of the manager, and dockerd answers with just that', async () => {
    await c.press(':', ...`logs ${STACK}_web --tail 3`, KEY.enter);
    // The last 3 lines, then what follows them (2 a second): no line of the 12 s of history before those 3.
    await c.waitFor(/last 3, ([3-9]|\d{2,}) lines/, 30_000);
    const numbers = c.store.getSnapshot().logs.lines.map((l) => Number(/web line (\d+)/.exec(l.text)?.[1]));
    expect(numbers[0]).toBeGreaterThanOrEqual(15);
    expect(numbers).toEqual(numbers.map((_n, i) => numbers[0] + i));
    const asked = proxy.paths.filter((p) => /\/services\/\w+\/logs\?/.test(p)).at(-1)!;
    expect(new URLSearchParams(asked.split('?')[1]).get('tail')).toBe('3');
    await c.press(':', ...`logs ${STACK}_web --since 3s`, KEY.enter);
    await c.waitFor(/since 3s, [4-9] lines/, 30_000);
    const since = new URLSearchParams(
      proxy.paths
        .filter((p) => /\/services\/\w+\/logs\?/.test(p))
        .at(-1)!
        .split('?')[1],
    );
    expect(since.get('tail')).toBe('all');
    for (const line of c.store.getSnapshot().logs.lines) expect(line.time! / 1000).toBeGreaterThanOrEqual(Number(since.get('since')) - 1);
    await c.press(KEY.escape, KEY.escape);
  });

  test("a stack's logs: every service's lines in time order, named by service and slot; a task's end is said", async () => {
    await c.press(':', ...`logs ${STACK}`, KEY.enter);
    const frame = await c.waitFor((f) => ['web', 'db'].every((s) => rows(f).some((r) => r.startsWith(`${STACK}_${s}.1 | ${s} line`))), 30_000);
    expect(frame).toMatch(new RegExp(`Logs of stack ${STACK}`));
    await sleep(2000);
    const { lines } = c.store.getSnapshot().logs;
    for (let i = 1; i < lines.length; i++) expect(lines[i].time!).toBeGreaterThanOrEqual(lines[i - 1].time!);
    await c.press('/', ...'job|exited', KEY.enter);
    await c.waitFor(new RegExp(`${STACK}_job\\.1 \\| task exited: Failed \\(exit 3\\) at \\d\\d:\\d\\d:\\d\\d`), 30_000);
  });
});
