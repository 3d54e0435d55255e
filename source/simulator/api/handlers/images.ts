import { createHash } from 'node:crypto';
import { ApiError, errors } from '../../errors.js';
import { isTerminal } from '../../model/types.js';
import { bool, Reply, type Context } from '../http.js';
import { nodeOf } from '../membership.js';

/** Images as an engine with no registry access has them: those its running tasks use and those the scenario seeded; pulls fail as offline pulls do. */

/** `nginx` -> `nginx:latest`; a tag or digest stays. */
export function normalizeImage(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? ref : `${ref}:latest`;
}

/** A stable image id for a reference, so that every engine of the simulation agrees on it. */
export const imageId = (ref: string) => `sha256:${createHash('sha256').update(normalizeImage(ref)).digest('hex')}`;

/** The image references this engine has, and the running containers using each. */
function imagesOf(ctx: Context): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ref of ctx.engine.images) out.set(normalizeImage(ref), []);
  const node = nodeOf(ctx.engine);
  if (node) {
    for (const task of ctx.engine.swarm!.tasksOn(node.id)) {
      const image = task.spec.ContainerSpec?.Image;
      if (!image || !task.containerId || isTerminal(task.state)) continue;
      const ref = normalizeImage(image.split('@')[0]);
      out.set(ref, [...(out.get(ref) ?? []), task.containerId]);
    }
  }
  return out;
}

const SIZE = 7_340_032;

/** GET /images/json. */
export function listImages(ctx: Context) {
  return [...imagesOf(ctx).keys()].sort().map((ref) => ({
    Containers: -1,
    Created: Math.floor(ctx.fleet.now / 1000) - 86_400,
    Id: imageId(ref),
    Labels: null,
    ParentId: '',
    RepoDigests: null,
    RepoTags: [ref],
    SharedSize: -1,
    Size: SIZE,
    VirtualSize: SIZE,
  }));
}

/** Finds an image by reference or id (prefix), as `docker image inspect` does. */
function findImage(ctx: Context, ref: string): string | undefined {
  const images = [...imagesOf(ctx).keys()];
  const normal = normalizeImage(ref);
  return images.find((r) => r === normal) ?? images.find((r) => ref.length >= 4 && imageId(r).replace('sha256:', '').startsWith(ref.replace('sha256:', '')));
}

/** GET /images/{name}/json. */
export function inspectImage(ctx: Context) {
  const ref = ctx.params[0];
  const found = findImage(ctx, ref);
  if (!found) throw new ApiError(404, `no such image: ${ref}: No such image: ${ref}`);
  return {
    Id: imageId(found),
    RepoTags: [found],
    RepoDigests: [],
    Parent: '',
    Comment: '',
    Created: new Date(ctx.fleet.now - 86_400_000).toISOString(),
    DockerVersion: '20.10.24',
    Author: '',
    Config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: null, Image: '', Labels: null },
    Architecture: 'amd64',
    Os: 'linux',
    Size: SIZE,
    VirtualSize: SIZE,
    GraphDriver: { Data: null, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: [imageId(`${found}/layer`)] },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

/** POST /images/create: there is no registry to pull from, as on an engine without network access. */
export function pullImage(ctx: Context) {
  const from = ctx.query.get('fromImage') ?? '';
  if (from === '') throw errors.badParameter('invalid reference format');
  const first = from.split('/')[0];
  const registry = from.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'registry-1.docker.io';
  throw errors.registryUnreachable(registry);
}

/** DELETE /images/{name}: refused while a running container uses it. */
export function removeImage(ctx: Context) {
  const ref = ctx.params[0];
  const found = findImage(ctx, ref);
  if (!found) throw new ApiError(404, `No such image: ${ref}`);
  const users = imagesOf(ctx).get(found) ?? [];
  if (users.length > 0) {
    const id = imageId(found).slice(7, 19);
    const why = bool(ctx.query, 'force')
      ? `(cannot be forced) - image is being used by running container ${users[0].slice(0, 12)}`
      : `(must force) - container ${users[0].slice(0, 12)} is using its referenced image ${id}`;
    throw new ApiError(409, `conflict: unable to remove repository reference "${ref}" ${why}`);
  }
  for (const r of [...ctx.engine.images]) if (normalizeImage(r) === found) ctx.engine.images.delete(r);
  return new Reply(200, [{ Untagged: found }, { Deleted: imageId(found) }]);
}
