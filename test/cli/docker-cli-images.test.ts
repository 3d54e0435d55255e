import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../source/simulator/server.js';
import { docker, hasDockerCli } from '../helpers/docker-cli.js';

// Images with the real docker CLI against `sim --engines`: each engine has its own images, the
// simulated registry serves every well-formed name, and what one engine pushes another pulls.
let sim: Simulator;
let dir: string;
const on = (node: string, ...args: string[]) => docker(`unix://${sim.engineSockets[node]}`, args);

/** A tar archive (ustar) of the given files: what `docker save` writes, built here without docker. */
function tar(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.write('        ', 148);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

describe.skipIf(!hasDockerCli)('the docker CLI and images on per-node engines', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmdeck-images-'));
    sim = await startSimulator({ scenario: 'blank', clock: 'real', engines: join(dir, 'engines'), names: ['m1', 'w1'] });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('docker pull of any well-formed name works, with the same image ID on every engine', async () => {
    const pulled = await on('m1', 'pull', 'alpine:3.10');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain('3.10: Pulling from library/alpine');
    expect(pulled.stdout).toMatch(/Digest: sha256:[a-f0-9]{64}/);
    expect(pulled.stdout).toContain('Status: Downloaded newer image for alpine:3.10');
    expect((await on('m1', 'pull', 'alpine:3.10')).stdout).toContain('Status: Image is up to date for alpine:3.10');
    await on('w1', 'pull', 'alpine:3.10');
    const ids = await Promise.all(['m1', 'w1'].map(async (n) => (await on(n, 'image', 'inspect', '-f', '{{.Id}}', 'alpine:3.10')).stdout.trim()));
    expect(ids[0]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  test('a bad reference is refused as dockerd refuses it', async () => {
    const { code, stderr } = await on('m1', 'pull', 'Alpine');
    expect(code).not.toBe(0);
    expect(stderr).toContain('invalid reference format');
  });

  test('tag, images with filters, rmi: a tag moves, the image goes with its last tag', async () => {
    expect((await on('m1', 'tag', 'alpine:3.10', 'localhost:5000/team/app:v1')).code).toBe(0);
    const listed = await on('m1', 'images', '--filter', 'reference=localhost:5000/*/*', '--format', '{{.Repository}}:{{.Tag}}');
    expect(listed.stdout.trim()).toBe('localhost:5000/team/app:v1');
    const untagged = await on('m1', 'rmi', 'alpine:3.10');
    expect(untagged.stdout).toContain('Untagged: alpine:3.10');
    expect(untagged.stdout).not.toContain('Deleted:');
    expect((await on('m1', 'image', 'inspect', 'localhost:5000/team/app:v1')).code).toBe(0);
    // The other engine still has its own copy.
    expect((await on('w1', 'image', 'inspect', 'alpine:3.10')).code).toBe(0);
    const removed = await on('w1', 'rmi', 'alpine:3.10');
    expect(removed.stdout).toMatch(/Deleted: sha256:[a-f0-9]{64}/);
    expect((await on('w1', 'image', 'inspect', 'alpine:3.10')).stderr).toContain('No such image: alpine:3.10');
  });

  test('docker push, then a pull on another engine gets the pushed image', async () => {
    const pushed = await on('m1', 'push', 'localhost:5000/team/app:v1');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('The push refers to repository [localhost:5000/team/app]');
    const digest = /v1: digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(pushed.stdout)?.[1];
    expect(digest).toBeDefined();
    expect((await on('w1', 'pull', 'localhost:5000/team/app:v1')).stdout).toContain(`Digest: ${digest}`);
    const ids = await Promise.all(
      ['m1', 'w1'].map(async (n) => (await on(n, 'image', 'inspect', '-f', '{{.Id}}', 'localhost:5000/team/app:v1')).stdout.trim()),
    );
    expect(ids[1]).toBe(ids[0]);
  });

  test('docker load reads a docker save tarball: the ID is the config file digest, labels and tags kept; label and dangling filters', async () => {
    const config = JSON.stringify({
      architecture: 'amd64',
      created: '2024-01-02T03:04:05Z',
      config: { Labels: { team: 'blue' }, Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [] },
    });
    const id = createHash('sha256').update(config).digest('hex');
    const file = join(dir, 'saved.tar');
    writeFileSync(
      file,
      tar({ [`${id}.json`]: config, 'manifest.json': JSON.stringify([{ Config: `${id}.json`, RepoTags: ['blue/app:1'], Layers: [] }]), repositories: '{}' }),
    );
    const loaded = await on('w1', 'load', '-i', file);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('Loaded image: blue/app:1');
    expect((await on('w1', 'image', 'inspect', '-f', '{{.Id}} {{.Config.Labels.team}}', 'blue/app:1')).stdout.trim()).toBe(`sha256:${id} blue`);
    expect((await on('w1', 'images', '-q', '--no-trunc', '--filter', 'label=team=blue')).stdout.trim()).toBe(`sha256:${id}`);
    // Tagging another image with the same tag leaves the loaded one dangling.
    await on('w1', 'tag', 'localhost:5000/team/app:v1', 'blue/app:1');
    expect((await on('w1', 'images', '-q', '--no-trunc', '--filter', 'dangling=true')).stdout.trim()).toBe(`sha256:${id}`);
  });

  test('a name a drill marks missing fails as on dockerd; --offline refuses every pull', async () => {
    const { registryOf } = await import('../../source/simulator/model/registry.js');
    registryOf(sim.fleet).missing.add('ghost/app');
    const missing = await on('m1', 'pull', 'ghost/app:1');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("pull access denied for ghost/app, repository does not exist or may require 'docker login'");
    const offline = await startSimulator({ scenario: 'empty', clock: 'manual', offline: true });
    try {
      const refused = await docker(offline.host, ['pull', 'alpine']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('registry-1.docker.io');
    } finally {
      await offline.close();
    }
  });
});
