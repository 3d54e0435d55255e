/**
 * `docker load`: a `docker save` tarball read into an engine's store. The tarball holds
 * manifest.json (each image's config file, tags and layers) and the config files themselves; an
 * image's ID is the sha256 of its config file, as dockerd computes it, so a loaded image keeps the
 * ID it had where it was saved. A small ustar reader: the format is simple and fixed.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.js';
import { familiarTagged, parseReference, retag, type LocalImage } from './registry.js';

/** The files of a tar archive by name (regular files only). */
export function readTar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new ApiError(400, 'archive/tar: invalid tar header');
    const type = text(156, 1) || '0';
    const prefix = text(257, 6).startsWith('ustar') ? text(345, 155) : '';
    let name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    longName = undefined;
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), Buffer.from(body));
    name = '';
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

interface ManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/** Loads every image of the tarball into `store`; answers the tags and the IDs of untagged images loaded. */
export function loadTarball(tar: Buffer, store: Map<string, LocalImage>, now: number): { tags: string[]; untagged: string[] } {
  const files = readTar(tar);
  const manifestFile = files.get('manifest.json');
  if (!manifestFile) throw new ApiError(500, 'open /var/lib/docker/tmp/docker-import/manifest.json: no such file or directory');
  let manifest: ManifestEntry[];
  try {
    manifest = JSON.parse(manifestFile.toString('utf8')) as ManifestEntry[];
  } catch {
    throw new ApiError(500, 'invalid character in manifest.json');
  }
  const tags: string[] = [];
  const untagged: string[] = [];
  for (const entry of manifest) {
    const configFile = files.get(entry.Config);
    if (!configFile) throw new ApiError(500, `open /var/lib/docker/tmp/docker-import/${entry.Config}: no such file or directory`);
    const config = JSON.parse(configFile.toString('utf8')) as {
      created?: string;
      architecture?: string;
      config?: { Env?: string[]; Cmd?: string[]; Labels?: Record<string, string> | null };
      rootfs?: { diff_ids?: string[] };
    };
    const id = `sha256:${createHash('sha256').update(configFile).digest('hex')}`;
    let image = store.get(id);
    if (!image) {
      image = {
        id,
        tags: new Set(),
        digests: new Set(),
        labels: config.config?.Labels ?? null,
        created: Date.parse(config.created ?? '') || now,
        added: now,
        size: [...files.entries()].filter(([name]) => entry.Layers.includes(name)).reduce((sum, [, b]) => sum + b.length, 0),
        layers: (config.rootfs?.diff_ids ?? []).map((d) => d.replace(/^sha256:/, '')),
        env: config.config?.Env ?? [],
        cmd: config.config?.Cmd ?? null,
        arch: config.architecture ?? 'amd64',
      };
      store.set(id, image);
    }
    for (const tag of entry.RepoTags ?? []) {
      const tagged = familiarTagged(parseReference(tag));
      retag(store, image, tagged);
      tags.push(tagged);
    }
    if (!entry.RepoTags?.length) untagged.push(id);
  }
  return { tags, untagged };
}
