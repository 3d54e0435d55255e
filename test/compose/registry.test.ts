import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { convertStack } from '../../source/compose/convert.js';
import { loadCompose } from '../../source/compose/load.js';
import { applyPlan, planStack } from '../../source/compose/plan.js';
import { SwarmClient } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { registryAuthFor, registryOf } from '../../source/docker/registry-auth.js';
import { recordingProxy, type RecordingProxy } from '../helpers/proxy.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let dir: string | undefined;
let swarm: TestSwarm | undefined;
let proxy: RecordingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await swarm?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  swarm = undefined;
  proxy = undefined;
});
const config = (content: object) => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-registry-'));
  writeFileSync(join(dir!, 'config.json'), JSON.stringify(content));
  return dir!;
};

describe('registry credentials, as docker login stored them', () => {
  test('an image names its registry when its first part looks like a host, else Docker Hub', () => {
    expect(registryOf('nginx:1.27')).toBe('docker.io');
    expect(registryOf('library/nginx')).toBe('docker.io');
    expect(registryOf('registry.example.com/team/app:2')).toBe('registry.example.com');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
  });

  test('the auth entry of the registry is sent as user and password', () => {
    const at = config({ auths: { 'registry.example.com': { auth: Buffer.from('ci:s3cret').toString('base64') } } });
    expect(registryAuthFor('registry.example.com/app:1', at)).toEqual({ username: 'ci', password: 's3cret', serveraddress: 'registry.example.com' });
  });

  test('credentials kept by a helper are named, not guessed', () => {
    const at = config({ auths: {}, credsStore: 'pass' });
    expect(registryAuthFor('nginx', at)).toEqual({
      missing: 'the credentials for docker.io are in the docker-credential-pass helper, which swarmdeck does not run',
    });
  });
});

describe('applying a plan with credentials and image resolution', () => {
  test('the X-Registry-Auth header goes with the create, the digest is asked for, and an offline registry is a warning, not a failure', async () => {
    swarm = await startTestSwarm({ scenario: 'empty' });
    proxy = await recordingProxy(swarm.sim.socketPath!);
    const client = new SwarmClient({ ...parseHost(proxy.host, {}, undefined), label: 'test' });
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-registry-'));
    writeFileSync(join(dir!, 'app.yml'), 'services:\n  web:\n    image: registry.example.com/team/web:2\n');
    const plan = await planStack(client, 'app', convertStack(loadCompose([join(dir!, 'app.yml')]), 'app'), false);
    const warnings: string[] = [];
    const auth = { username: 'ci', password: 's3cret', serveraddress: 'registry.example.com' };
    await applyPlan(client, plan, () => {}, { resolveImage: 'always', auth: () => auth, warn: (w) => warnings.push(w) });
    expect(proxy.paths.some((p) => p.startsWith('/v1.41/distribution/registry.example.com/team/web:2/json'))).toBe(true);
    expect(warnings[0]).toMatch(/^image registry.example.com\/team\/web:2 could not be accessed on a registry to record its digest/);
    const create = proxy.sent.find((s) => s.startsWith('POST /v1.41/services/create'))!;
    const header = /X-Registry-Auth: (\S+)/i.exec(create)![1];
    expect(JSON.parse(Buffer.from(header, 'base64').toString())).toMatchObject({ username: 'ci', password: 's3cret' });
    expect([...swarm.sim.swarm.services.values()][0].spec.TaskTemplate?.ContainerSpec?.Image).toBe('registry.example.com/team/web:2');
  });
});
