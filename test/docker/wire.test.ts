import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwarmClient } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { ActionLog } from '../../source/store/action-log.js';
import { runAction, type ActionContext } from '../../source/store/run-action.js';
import { createStore } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { serviceId, startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

// Every request the console and `swarmdeck deploy` make, recorded between them and the simulator:
// no spec (nor any part of one) ever travels in a URL, and every path names the API version.

const cli = join(import.meta.dirname, '../../dist/cli.js');
/** Values planted in specs: each must reach the engine in a body, and none may appear in a URL. */
const MARK = { env: 'pw-in-env-7f3a9c', label: 'label-value-51be0e', image: 'registry.example/team/app:mark-2c4d', deploy: 'deploy-env-9e8d7c' };
/** The query keys the console may send, and the only ones an update may carry (as the docker CLI's: version, registryAuthFrom, rollback). */
const QUERY_KEYS = new Set(['filters', 'status', 'since', 'until', 'stdout', 'stderr', 'follow', 'tail', 'timestamps', 'details', 'target', 'insertDefaults']);
const UPDATE_KEYS = new Set(['version', 'registryAuthFrom', 'rollback']);

let swarm: TestSwarm;
let proxy: RecordingProxy;
let sync: Sync;
let dir: string;

/** What is wrong with one request target ("POST /v1.41/services/x/update?version=3"), or nothing. */
function wrongWith(target: string): string | undefined {
  const [method, raw] = target.split(' ');
  const url = new URL(raw, 'http://engine');
  if (!/^\/v1\.\d+\//.test(url.pathname)) return `unversioned path: ${target}`;
  const keys = [...url.searchParams.keys()];
  const update = method === 'POST' && /\/update$/.test(url.pathname);
  const allowed = update ? UPDATE_KEYS : QUERY_KEYS;
  const odd = keys.filter((k) => !allowed.has(k));
  if (odd.length > 0) return `query keys ${odd.join(', ')} in ${target}`;
  if (update && !url.searchParams.get('version')) return `an update without its version: ${target}`;
  const decoded = decodeURIComponent(raw);
  const mark = Object.values(MARK).find((m) => decoded.includes(m));
  if (mark) return `spec value ${mark} in ${target}`;
  return undefined;
}

function deploy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DOCKER_HOST: proxy.host, DOCKER_CONTEXT: '', XDG_STATE_HOME: join(dir, 'state') };
    const child = spawn(process.execPath, [cli, 'deploy', ...args], { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

beforeAll(async () => {
  swarm = await startTestSwarm();
  proxy = await recordingProxy(swarm.sim.socketPath!);
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-wire-'));
});
afterAll(async () => {
  sync?.stop();
  await proxy?.close();
  await swarm?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what goes on the wire', () => {
  test('every verb of the console sends the spec in the body only, and names the API version', async () => {
    // A service with a password in its environment, made directly (not through the proxy).
    await swarm.docker.createService({
      Name: 'vault',
      Labels: { owner: MARK.label },
      TaskTemplate: { ContainerSpec: { Image: 'redis:7', Env: [`DB_PASSWORD=${MARK.env}`] } },
      Mode: { Replicated: { Replicas: 1 } },
    } as never);
    const client = new SwarmClient({ ...parseHost(proxy.host, {}, undefined), label: 'test' });
    const store = createStore('test');
    sync = new Sync(client, store);
    await sync.start();
    const ctx: ActionContext = { store, sync, readOnly: false, log: new ActionLog(join(dir, 'actions.log')) };
    const id = await serviceId(swarm.docker, 'vault');
    const service = { id, name: 'vault' };
    const nodes = await swarm.docker.listNodes();
    const worker = nodes.find((n) => n.Spec?.Role === 'worker')!;
    const node = { id: worker.ID!, name: worker.Description?.Hostname ?? '' };
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, MARK.env);

    const done = async (request: Parameters<typeof runAction>[1]) => {
      expect(await runAction(ctx, request), `${request.verb}: ${store.getSnapshot().status?.text}`).toBe(true);
      swarm.advance(10_000);
    };
    await done({ verb: 'scale', service, replicas: 2 });
    await done({ verb: 'restart', service });
    await done({ verb: 'image', service, image: MARK.image });
    await done({ verb: 'rollback', service });
    const current = await swarm.docker.getService(id).inspect();
    await done({
      verb: 'edit',
      kind: 'service',
      object: service,
      version: current.Version.Index,
      spec: { ...current.Spec, Labels: { owner: MARK.label, x: '1' } },
      summary: 'label',
    });
    await done({ verb: 'availability', node, availability: 'pause' });
    await done({ verb: 'role', node, role: 'manager' });
    await done({ verb: 'role', node, role: 'worker' });
    await done({ verb: 'labels', node, add: { owner: MARK.label }, remove: [] });
    const fresh = await swarm.docker.getNode(worker.ID!).inspect();
    await done({ verb: 'edit', kind: 'node', object: node, version: fresh.Version.Index, spec: { ...fresh.Spec, Availability: 'active' }, summary: 'active' });
    await done({ verb: 'create', kind: 'secret', name: 'db_pw', path: secretFile });
    const secret = (await swarm.docker.listSecrets()).find((s) => s.Spec?.Name === 'db_pw')!;
    await done({ verb: 'delete', kind: 'secret', object: { id: secret.ID, name: 'db_pw' } });
    // Reads of every kind: tasks, logs, inspect, resources, events.
    await client.listTasks({ service: id });
    await client.inspectTask((await client.listTasks({ service: id }))[0].ID);
    await client.listResources('networks');
    await client.listResources('configs');
    await client.inspectSwarm();
    const stop = await client.logs(
      { service: id },
      { follow: false, tail: 10, tty: false },
      () => {},
      () => {},
    );
    stop();
    await client.eventsBetween(0, 1);
    await done({ verb: 'remove', service });

    const sent = proxy.sent.join('');
    // The planted values did travel, in bodies: the check below can see them when they are misplaced.
    for (const mark of [MARK.env, MARK.label, MARK.image]) expect(sent).toContain(mark);
    const updates = proxy.targets.filter((t) => /^POST \S+\/update\?/.test(t));
    expect(updates.length).toBeGreaterThanOrEqual(9);
    expect(proxy.targets.filter((t) => wrongWith(t))).toEqual([]);
    // As the docker CLI sends them (traces/service-*.requests).
    expect(updates).toContainEqual(expect.stringMatching(new RegExp(`^POST /v1\\.41/services/${id}/update\\?version=\\d+$`)));
    expect(updates).toContainEqual(expect.stringMatching(new RegExp(`^POST /v1\\.41/services/${id}/update\\?version=\\d+&registryAuthFrom=spec$`)));
    expect(updates).toContainEqual(expect.stringMatching(new RegExp(`^POST /v1\\.41/services/${id}/update\\?version=\\d+&rollback=previous$`)));
    expect(updates).toContainEqual(expect.stringMatching(new RegExp(`^POST /v1\\.41/nodes/${worker.ID}/update\\?version=\\d+$`)));
  });

  test('swarmdeck deploy (create, then update) sends its specs in bodies, on versioned paths', async () => {
    writeFileSync(
      join(dir, 'stack.yml'),
      `services:\n  api:\n    image: redis:7\n    environment:\n      TOKEN: ${MARK.deploy}\n    deploy:\n      labels:\n        owner: ${MARK.label}\n`,
    );
    const before = proxy.targets.length;
    const first = await deploy('-c', 'stack.yml', '-y', '--detach', '--resolve-image', 'never', 'wire');
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'stack.yml'), `services:\n  api:\n    image: redis:7\n    environment:\n      TOKEN: ${MARK.deploy}-2\n`);
    const second = await deploy('-c', 'stack.yml', '-y', '--detach', '--resolve-image', 'never', 'wire');
    expect(second.code, second.stderr).toBe(0);
    const targets = proxy.targets.slice(before);
    expect(targets).toContainEqual(expect.stringMatching(/^POST \/v1\.41\/services\/create$/));
    expect(targets).toContainEqual(expect.stringMatching(/^POST \/v1\.41\/services\/\w+\/update\?version=\d+/));
    expect(proxy.sent.join('')).toContain(MARK.deploy);
    expect(targets.filter((t) => wrongWith(t))).toEqual([]);
  });

  test('a request naming a spec value in its URL is caught by the check', () => {
    // The shape dockerode's service.update() gives (captures/dockerode-style-update.request.txt).
    expect(wrongWith(`POST /v1.41/services/x/update?Name=x&TaskTemplate=%7B%22Env%22%3A%5B%22P%3D${MARK.env}%22%5D%7D&version=3`)).toMatch(/query keys/);
    expect(wrongWith('POST /services/x/update?version=3')).toMatch(/unversioned/);
    expect(wrongWith(`GET /v1.41/services?filters=%7B%22label%22%3A%5B%22${MARK.label}%22%5D%7D`)).toMatch(/spec value/);
    expect(wrongWith('POST /v1.41/services/x/update?version=3&rollback=previous')).toBeUndefined();
  });
});
