import { createHash } from 'node:crypto';
import { ApiError, errors } from '../../errors.js';
import {
  addPulled,
  familiarName,
  familiarTagged,
  findLocal,
  isMissing,
  parseReference,
  pullMissing,
  registryImage,
  registryOf,
  retag,
  storeOf,
  type LocalImage,
} from '../../model/registry.js';
import { isTerminal } from '../../model/types.js';
import { parseFilters } from '../filters.js';
import { bool, Reply, STREAMED, type Context } from '../http.js';
import { nodeOf } from '../membership.js';

/** Images, per engine as on real engines: pull from the simulated registry, tag, remove, inspect, list with filters, push, load. */

/** `nginx` -> `nginx:latest`; a tag or digest stays. */
export function normalizeImage(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? ref : `${ref}:latest`;
}

/** A stable image id for a reference, so that every engine of the simulation agrees on it (the registry's ID for the name). */
export function imageId(ref: string): string {
  try {
    return registryImage(familiarTagged(parseReference(ref))).id;
  } catch {
    return registryImage(ref).id;
  }
}

/** This engine's store, with the images its running tasks use (their engine pulled them to start them). */
function storeFor(ctx: Context): Map<string, LocalImage> {
  const store = storeOf(ctx.engine, ctx.fleet.now);
  const node = nodeOf(ctx.engine);
  if (node) {
    for (const task of ctx.engine.swarm!.tasksOn(node.id)) {
      const image = task.spec.ContainerSpec?.Image;
      if (!image || !task.containerId || isTerminal(task.state)) continue;
      try {
        const ref = parseReference(image);
        if (!findLocal(store, familiarTagged(ref))) addPulled(store, ref, ctx.fleet.now, registryOf(ctx.fleet));
      } catch {
        // A reference the engine could not parse never ran.
      }
    }
  }
  return store;
}

/** The running containers (tasks) of this engine that use an image. */
function usersOf(ctx: Context, image: LocalImage): string[] {
  const node = nodeOf(ctx.engine);
  if (!node) return [];
  const out: string[] = [];
  for (const task of ctx.engine.swarm!.tasksOn(node.id)) {
    const ref = task.spec.ContainerSpec?.Image;
    if (!ref || !task.containerId || isTerminal(task.state)) continue;
    try {
      const parsed = parseReference(ref);
      if (image.tags.has(familiarTagged(parsed)) || (parsed.digest && image.digests.has(`${familiarName(parsed)}@${parsed.digest}`)))
        out.push(task.containerId);
    } catch {
      // Not a reference: not this image.
    }
  }
  return out;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const repoTags = (i: LocalImage) => [...i.tags].sort();
const repoDigests = (i: LocalImage) => [...i.digests].sort();

/** A glob as `reference=` filters take it (path.Match: * stops at /). */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(text);
}

/** GET /images/json, with the reference, dangling, label, before and since filters. */
export function listImages(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), ['dangling', 'label', 'before', 'since', 'reference']);
  const store = storeFor(ctx);
  const all = [...store.values()];
  const dangling = filters.get('dangling');
  for (const value of dangling ?? []) if (!['true', 'false', '1', '0'].includes(value)) throw errors.badParameter(`Invalid filter 'dangling=${value}'`);
  const pivot = (key: 'before' | 'since') => {
    const values = filters.get(key);
    if (!values?.length) return undefined;
    const found = findLocal(store, values[0]);
    if (!found) throw new ApiError(404, `No such image: ${values[0]}`);
    return found;
  };
  const before = pivot('before');
  const since = pivot('since');
  const labels = filters.get('label') ?? [];
  const references = filters.get('reference') ?? [];
  const matchesReference = (name: string) => references.some((pattern) => globMatch(pattern, name) || globMatch(pattern, name.replace(/[:@][^/]*$/, '')));
  const list = all.filter((image) => {
    const isDangling = image.tags.size === 0;
    if (dangling?.length && (dangling[0] === 'true' || dangling[0] === '1') !== isDangling) return false;
    if (!dangling?.length && isDangling && !bool(ctx.query, 'all') && image.digests.size === 0) return false;
    if (before && !(image.added < before.added || (image.added === before.added && image.id < before.id))) return false;
    if (since && !(image.added > since.added || (image.added === since.added && image.id > since.id))) return false;
    for (const label of labels) {
      const [key, ...rest] = label.split('=');
      const value = image.labels?.[key];
      if (value === undefined || (rest.length > 0 && value !== rest.join('='))) return false;
    }
    if (references.length > 0 && ![...image.tags, ...image.digests].some(matchesReference)) return false;
    return true;
  });
  // With a reference filter only the matching tags are listed, as dockerd lists them.
  const shown = (names: string[]) => (references.length > 0 ? names.filter(matchesReference) : names);
  return list
    .sort((a, b) => b.created - a.created || b.added - a.added || a.id.localeCompare(b.id))
    .map((image) => ({
      Containers: -1,
      Created: seconds(image.created),
      Id: image.id,
      Labels: image.labels,
      ParentId: '',
      RepoDigests: image.digests.size > 0 ? shown(repoDigests(image)) : image.tags.size === 0 ? ['<none>@<none>'] : [],
      RepoTags: image.tags.size > 0 ? shown(repoTags(image)) : ['<none>:<none>'],
      SharedSize: -1,
      Size: image.size,
      VirtualSize: image.size,
    }));
}

/** GET /images/{name}/json. */
export function inspectImage(ctx: Context) {
  const ref = ctx.params[0];
  const image = findLocal(storeFor(ctx), ref);
  if (!image) throw new ApiError(404, `no such image: ${ref}: No such image: ${ref}`);
  return {
    Id: image.id,
    RepoTags: repoTags(image),
    RepoDigests: repoDigests(image),
    Parent: '',
    Comment: '',
    Created: new Date(image.created).toISOString(),
    Container: '',
    ContainerConfig: { Hostname: '', Domainname: '', User: '', Env: null, Cmd: null, Image: '', Labels: null },
    DockerVersion: '20.10.24',
    Author: '',
    Config: { Env: image.env, Cmd: image.cmd, Image: '', Labels: image.labels },
    Architecture: image.arch,
    Os: 'linux',
    Size: image.size,
    VirtualSize: image.size,
    GraphDriver: { Data: null, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: image.layers.map((l) => `sha256:${l}`) },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}

/** Writes a JSON-lines progress stream as dockerd does, then ends it. */
function stream(ctx: Context, lines: object[]): typeof STREAMED {
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Api-Version': '1.41', 'Docker-Experimental': 'false', Ostype: 'linux' });
  for (const line of lines) ctx.res.write(`${JSON.stringify(line)}\r\n`);
  ctx.res.end();
  return STREAMED;
}

const short = (hex: string) => hex.slice(0, 12);

/** The per-layer lines of a pull, as dockerd writes them. */
function pullLines(layers: string[]): object[] {
  const out: object[] = [];
  for (const layer of layers) out.push({ status: 'Pulling fs layer', progressDetail: {}, id: short(layer) });
  for (const layer of layers) {
    const total = 2_797_541;
    out.push({
      status: 'Downloading',
      progressDetail: { current: total, total },
      progress: '[==================================================>]  2.798MB/2.798MB',
      id: short(layer),
    });
    out.push({ status: 'Verifying Checksum', progressDetail: {}, id: short(layer) });
    out.push({ status: 'Download complete', progressDetail: {}, id: short(layer) });
  }
  for (const layer of layers) {
    out.push({
      status: 'Extracting',
      progressDetail: { current: 2_797_541, total: 2_797_541 },
      progress: '[==================================================>]  2.798MB/2.798MB',
      id: short(layer),
    });
    out.push({ status: 'Pull complete', progressDetail: {}, id: short(layer) });
  }
  return out;
}

/** POST /images/create: a pull from the simulated registry (fromSrc imports are not simulated). */
export function pullImage(ctx: Context) {
  const from = ctx.query.get('fromImage') ?? '';
  if (ctx.query.get('fromSrc')) throw errors.badParameter('swarmdeck simulator: docker import is not simulated');
  if (from === '') throw errors.badParameter('invalid reference format');
  const tag = ctx.query.get('tag') ?? '';
  const text = tag === '' ? from : tag.startsWith('sha256:') ? `${from}@${tag}` : `${from}:${tag}`;
  const ref = parseReference(text);
  const registry = registryOf(ctx.fleet);
  if (registry.offline) throw errors.registryUnreachable(ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain);
  if (isMissing(registry, ref, ctx.engine.swarm?.brokenImages ?? [])) throw pullMissing(ref);
  const store = storeFor(ctx);
  const had = findLocal(store, familiarTagged(ref));
  const { image } = addPulled(store, ref, ctx.fleet.now, registry);
  const tagged = familiarTagged(ref);
  const digest = [...image.digests].find((d) => d.startsWith(`${familiarName(ref)}@`))?.split('@')[1] ?? '';
  const lines: object[] = [{ status: `Pulling from ${ref.path}`, id: ref.digest && !ref.tag ? ref.digest : (ref.tag ?? 'latest') }];
  if (had?.id === image.id) {
    lines.push({ status: `Digest: ${digest}` }, { status: `Status: Image is up to date for ${tagged}` });
  } else {
    lines.push(...pullLines(image.layers), { status: `Digest: ${digest}` }, { status: `Status: Downloaded newer image for ${tagged}` });
  }
  ctx.engine.images.add(tagged);
  return stream(ctx, lines);
}

/** POST /images/{name}/tag?repo=&tag=. */
export function tagImage(ctx: Context) {
  const name = ctx.params[0];
  const store = storeFor(ctx);
  const image = findLocal(store, name);
  if (!image) throw new ApiError(404, `No such image: ${name}`);
  const repo = ctx.query.get('repo') ?? '';
  const tag = ctx.query.get('tag') ?? '';
  const target = parseReference(tag ? `${repo}:${tag}` : repo);
  if (target.digest) throw errors.badParameter('refusing to create a tag with a digest reference');
  const tagged = familiarTagged(target);
  retag(store, image, tagged);
  ctx.engine.images.add(tagged);
  return new Reply(201, '', null);
}

/** DELETE /images/{name}: a tag is untagged (the image goes with its last tag); refused while a running container uses it. */
export function removeImage(ctx: Context) {
  const name = ctx.params[0];
  const store = storeFor(ctx);
  const image = findLocal(store, name);
  if (!image) throw new ApiError(404, `No such image: ${name}`);
  const force = bool(ctx.query, 'force');
  const byId = image.id.slice(7).startsWith(name.replace(/^sha256:/, ''));
  const users = usersOf(ctx, image);
  const id12 = image.id.slice(7, 19);
  if (users.length > 0 && (byId || image.tags.size <= 1)) {
    const why = force
      ? `(cannot be forced) - image is being used by running container ${users[0].slice(0, 12)}`
      : `(must force) - container ${users[0].slice(0, 12)} is using its referenced image ${id12}`;
    throw new ApiError(409, `conflict: unable to ${byId ? `delete ${id12}` : `remove repository reference "${name}"`} ${why}`);
  }
  if (byId && image.tags.size > 1 && !force) {
    throw new ApiError(409, `conflict: unable to delete ${id12} (must be forced) - image is referenced in multiple repositories`);
  }
  if (!byId) {
    let ref;
    try {
      ref = parseReference(name);
    } catch {
      ref = undefined;
    }
    const tagged = ref ? (ref.digest ? `${familiarName(ref)}@${ref.digest}` : familiarTagged(ref)) : name;
    if (image.tags.size > 1 || (image.tags.size === 1 && ref?.digest)) {
      image.tags.delete(tagged);
      image.digests.delete(tagged);
      ctx.engine.images.delete(tagged);
      const out: object[] = [{ Untagged: tagged }];
      // The repository's last tag gone, its digest reference goes too, as on dockerd.
      const repo = familiarName(ref!);
      if (![...image.tags].some((t) => t.startsWith(`${repo}:`))) {
        for (const digest of [...image.digests].filter((d) => d.startsWith(`${repo}@`))) {
          image.digests.delete(digest);
          out.push({ Untagged: digest });
        }
      }
      return out;
    }
  }
  const out: object[] = [];
  for (const tag of repoTags(image)) {
    out.push({ Untagged: tag });
    ctx.engine.images.delete(tag);
  }
  for (const digest of repoDigests(image)) out.push({ Untagged: digest });
  out.push({ Deleted: image.id });
  for (const layer of image.layers) out.push({ Deleted: `sha256:${layer}` });
  store.delete(image.id);
  return out;
}

/** POST /images/{name}/push?tag=: the image goes to the simulated registry; a pull of the name elsewhere then gets it. */
export function pushImage(ctx: Context) {
  const name = ctx.params[0];
  const tag = ctx.query.get('tag') ?? '';
  const ref = parseReference(tag ? `${name}:${tag}` : name);
  const registry = registryOf(ctx.fleet);
  const store = storeFor(ctx);
  const tags = tag ? [familiarTagged(ref)] : [...store.values()].flatMap((i) => [...i.tags]).filter((t) => t.startsWith(`${familiarName(ref)}:`));
  if (tags.length === 0 || !tags.every((t) => findLocal(store, t)))
    throw new ApiError(404, `An image does not exist locally with the tag: ${familiarName(ref)}`);
  if (registry.offline) throw errors.registryUnreachable(ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain);
  const lines: object[] = [{ status: `The push refers to repository [${ref.domain}/${ref.path}]` }];
  for (const t of tags) {
    const image = findLocal(store, t)!;
    const digest = `sha256:${registryDigest(image, t)}`;
    for (const layer of image.layers) lines.push({ status: 'Pushed', progressDetail: {}, id: short(layer) });
    const tagName = t.slice(t.lastIndexOf(':') + 1);
    lines.push({ status: `${tagName}: digest: ${digest} size: 528` });
    lines.push({ progressDetail: {}, aux: { Tag: tagName, Digest: digest, Size: 528 } });
    registry.pushed.set(t, { id: image.id, digest, labels: image.labels, created: image.created, layers: image.layers });
    registry.missing.delete(t);
    image.digests.add(`${familiarName(parseReference(t))}@${digest}`);
  }
  return stream(ctx, lines);
}

/** The digest a push gives: from the image and where it went, the same on every run. */
function registryDigest(image: LocalImage, tagged: string): string {
  return createHash('sha256').update(`pushed:${image.id}:${tagged}`).digest('hex');
}

/** POST /images/load: a `docker save` tarball (manifest.json, each image's config) read into this engine's store. */
export async function loadImage(ctx: Context) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > 512 * 1024 * 1024) throw errors.bodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const { loadTarball } = await import('../../model/image-load.js');
  const loaded = loadTarball(Buffer.concat(chunks), storeFor(ctx), ctx.fleet.now);
  for (const tag of loaded.tags) ctx.engine.images.add(tag);
  const lines = [...loaded.tags.map((t) => `Loaded image: ${t}\n`), ...loaded.untagged.map((id) => `Loaded image ID: ${id}\n`)];
  return stream(
    ctx,
    lines.map((text) => ({ stream: text })),
  );
}
