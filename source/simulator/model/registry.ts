/**
 * Images of the simulation: references parsed as the docker CLI and dockerd parse them, a
 * simulated registry from which every well-formed reference can be pulled (the image ID and digest
 * follow from the name, so every engine agrees) unless a drill marks it missing, and each engine's
 * own image store (tags, digests, labels), as each real engine has its own.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.js';

/** A parsed reference: registry domain, repository path, tag and digest. */
export interface Reference {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

/** Parses a reference as the distribution library does; a bad one is dockerd's 400 "invalid reference format". */
export function parseReference(text: string): Reference {
  const match = REFERENCE.exec(text);
  if (!match) {
    const lower = REFERENCE.exec(text.toLowerCase());
    throw new ApiError(400, lower ? 'invalid reference format: repository name must be lowercase' : 'invalid reference format');
  }
  const [, name, tag, digest] = match;
  const first = name.split('/')[0];
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? name.slice(first.length + 1) : name;
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (name.length > 255) throw new ApiError(400, 'invalid reference format: repository name must not be more than 255 characters');
  return { domain, path, tag, digest };
}

/** The repository as the CLI shows it: `alpine`, `user/app`, `localhost:5000/app`. */
export function familiarName(ref: Reference): string {
  if (ref.domain === 'docker.io') return ref.path.replace(/^library\//, '');
  return `${ref.domain}/${ref.path}`;
}

/** `alpine` -> `alpine:latest`, a tag kept, a digest alone kept as name@digest. */
export function familiarTagged(ref: Reference): string {
  return ref.digest && !ref.tag ? `${familiarName(ref)}@${ref.digest}` : `${familiarName(ref)}:${ref.tag ?? 'latest'}`;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The image a registry serves for a tagged name: its ID, digest and layers follow from the name. */
export function registryImage(tagged: string): { id: string; digest: string; layers: string[] } {
  return {
    id: `sha256:${sha(`image:${tagged}`)}`,
    digest: `sha256:${sha(`manifest:${tagged}`)}`,
    layers: [1, 2].map((n) => sha(`layer:${tagged}:${n}`)),
  };
}

/** One image in an engine's store. */
export interface LocalImage {
  id: string;
  /** Familiar `name:tag` references. */
  tags: Set<string>;
  /** Familiar `name@sha256:...` references. */
  digests: Set<string>;
  labels: Record<string, string> | null;
  /** When the image was built, ms. */
  created: number;
  /** When it came into this engine's store, ms (before/since order). */
  added: number;
  size: number;
  layers: string[];
  env: string[];
  cmd: string[] | null;
  arch: string;
}

/** What the simulated registry holds besides what any name yields: images pushed to it, and names a drill made missing. */
export interface Registry {
  /** No registry at all: pulls and pushes fail as on an engine without network access (sim --offline). */
  offline: boolean;
  /** Familiar `name:tag` (or a bare name for the whole repository) that a pull does not find. */
  missing: Set<string>;
  /** Familiar `name:tag` -> the image pushed there. */
  pushed: Map<string, { id: string; digest: string; labels: Record<string, string> | null; created: number; layers: string[] }>;
}

/** A fresh registry (online, nothing missing, nothing pushed). */
export const newRegistry = (offline = false): Registry => ({ offline, missing: new Set(), pushed: new Map() });

/** dockerd's words for a pull the registry cannot serve. */
export function pullMissing(ref: Reference): ApiError {
  const name = familiarName(ref);
  if (ref.domain === 'docker.io' || !ref.tag) {
    return new ApiError(
      404,
      `pull access denied for ${name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
    );
  }
  return new ApiError(404, `manifest for ${name}:${ref.tag} not found: manifest unknown: manifest unknown`);
}

/** Whether a drill made this reference (or its whole repository) missing. */
export function isMissing(registry: Registry, ref: Reference, extra: Iterable<string> = []): boolean {
  const tagged = familiarTagged(ref);
  const marks = new Set([...registry.missing, ...extra]);
  return marks.has(tagged) || marks.has(familiarName(ref)) || (!ref.tag && !ref.digest && marks.has(`${familiarName(ref)}:latest`));
}

/** What a pull of `tagged` brings: the image pushed there, or the one the name yields. */
export function fetchImage(registry: Registry, tagged: string, now: number): Omit<LocalImage, 'tags' | 'digests' | 'added'> & { digest: string } {
  const pushed = registry.pushed.get(tagged);
  if (pushed) return { ...pushed, size: SIZE, env: DEFAULT_ENV, cmd: ['sh'], arch: 'amd64' };
  const made = registryImage(tagged);
  return {
    id: made.id,
    digest: made.digest,
    labels: null,
    created: now - 86_400_000,
    layers: made.layers,
    size: SIZE,
    env: DEFAULT_ENV,
    cmd: ['sh'],
    arch: 'amd64',
  };
}

/** A pulled image's size: small, as a base image is. */
export const SIZE = 7_340_032;
const DEFAULT_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];

const registries = new WeakMap<object, Registry>();
/** The registry the engines of one simulation (a fleet) share. */
export function registryOf(fleet: object): Registry {
  let registry = registries.get(fleet);
  if (!registry) registries.set(fleet, (registry = newRegistry()));
  return registry;
}

const stores = new WeakMap<object, Map<string, LocalImage>>();
/** One engine's image store by ID, seeded on first use with the references the scenario gave the engine. */
export function storeOf(engine: { images: Set<string> }, now: number): Map<string, LocalImage> {
  let store = stores.get(engine);
  if (!store) {
    stores.set(engine, (store = new Map()));
    for (const text of engine.images) addPulled(store, parseReference(text), now, newRegistry(), 0);
  }
  return store;
}

/** Puts a pulled image in a store: the tag moves to it from any image that had it; returns the image and whether it was new. */
export function addPulled(store: Map<string, LocalImage>, ref: Reference, now: number, registry: Registry, added = now): { image: LocalImage; fresh: boolean } {
  const tagged = familiarTagged(ref);
  const fetched = fetchImage(registry, ref.tag || !ref.digest ? tagged : `${familiarName(ref)}:latest`, now);
  let image = store.get(fetched.id);
  const fresh = !image;
  if (!image) {
    const { digest: _digest, ...rest } = fetched;
    image = { ...rest, tags: new Set(), digests: new Set(), added };
    store.set(image.id, image);
  }
  if (ref.tag || !ref.digest) retag(store, image, tagged);
  image.digests.add(`${familiarName(ref)}@${ref.digest ?? fetched.digest}`);
  return { image, fresh };
}

/** Gives `image` the tag `tagged`, taking it from whichever image had it (that one may be left dangling). */
export function retag(store: Map<string, LocalImage>, image: LocalImage, tagged: string): void {
  for (const other of store.values()) if (other !== image) other.tags.delete(tagged);
  image.tags.add(tagged);
}

/** Finds an image by reference, full or short ID (at least a unique prefix), or name@digest. */
export function findLocal(store: Map<string, LocalImage>, text: string): LocalImage | undefined {
  const hex = text.replace(/^sha256:/, '');
  if (/^[a-f0-9]{4,64}$/.test(hex)) {
    const matches = [...store.values()].filter((i) => i.id.slice(7).startsWith(hex));
    if (matches.length === 1) return matches[0];
  }
  let ref: Reference;
  try {
    ref = parseReference(text);
  } catch {
    return undefined;
  }
  const wanted = ref.digest ? `${familiarName(ref)}@${ref.digest}` : familiarTagged(ref);
  return [...store.values()].find((i) => (ref.digest ? i.digests.has(wanted) : i.tags.has(wanted)));
}
