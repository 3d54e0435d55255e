/**
 * How the arrays of a service or node spec are compared: which are sets of values, which are keyed
 * by one field of their entries (Env by variable name, Mounts by target, ...), and which are ordered
 * lists whose order means something (Args, Command, ...). The three-way merge and the edit preview
 * both read this table, so the dialog lists changes the way the merge makes them. Pure.
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON mapping (not an array, not null). */
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How an array is compared: by a key of each entry, or as an ordered list. */
export type ArrayKind = { kind: 'keyed'; key: (entry: unknown) => string | undefined; set: boolean } | { kind: 'ordered' };

/** JSON with the keys of every mapping sorted: the identity of a set entry. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const field =
  (...names: string[]) =>
  (entry: unknown) => {
    if (!isObject(entry)) return undefined;
    for (const name of names) {
      const parts = name.split('.');
      let at: unknown = entry;
      for (const p of parts) at = isObject(at) ? at[p] : undefined;
      if (typeof at === 'string' || typeof at === 'number') return String(at);
    }
    return undefined;
  };

/** An env entry's variable name: what is before the first `=` (the whole entry when there is none). */
const envName = (entry: unknown) => (typeof entry === 'string' ? entry.split('=', 1)[0] : undefined);

/** A port by what it publishes: published port and protocol, or, unpublished, its target port. */
const portKey = (entry: unknown) => {
  if (!isObject(entry)) return undefined;
  const protocol = typeof entry.Protocol === 'string' ? entry.Protocol : 'tcp';
  if (typeof entry.PublishedPort === 'number' && entry.PublishedPort > 0) return `${entry.PublishedPort}/${protocol}`;
  return typeof entry.TargetPort === 'number' ? `target ${entry.TargetPort}/${protocol}` : undefined;
};

const keyed = (key: (entry: unknown) => string | undefined): ArrayKind => ({ kind: 'keyed', key, set: false });
const SET: ArrayKind = { kind: 'keyed', key: stableJson, set: true };

/** The arrays that are not ordered lists, by their path of mapping keys (array entries skipped). */
const KINDS: Record<string, ArrayKind> = {
  'TaskTemplate.ContainerSpec.Env': keyed(envName),
  'TaskTemplate.ContainerSpec.Mounts': keyed(field('Target')),
  'TaskTemplate.ContainerSpec.Secrets': keyed(field('File.Name', 'SecretName')),
  'TaskTemplate.ContainerSpec.Configs': keyed(field('File.Name', 'ConfigName')),
  'TaskTemplate.ContainerSpec.Ulimits': keyed(field('Name')),
  'TaskTemplate.ContainerSpec.Hosts': SET,
  'TaskTemplate.ContainerSpec.Groups': SET,
  'TaskTemplate.ContainerSpec.CapabilityAdd': SET,
  'TaskTemplate.ContainerSpec.CapabilityDrop': SET,
  'TaskTemplate.ContainerSpec.DNSConfig.Nameservers': SET,
  'TaskTemplate.ContainerSpec.DNSConfig.Search': SET,
  'TaskTemplate.ContainerSpec.DNSConfig.Options': SET,
  'TaskTemplate.Placement.Constraints': SET,
  'TaskTemplate.Placement.Platforms': SET,
  'TaskTemplate.Resources.Reservations.GenericResources': SET,
  'TaskTemplate.Networks': keyed(field('Target')),
  'TaskTemplate.Networks.Aliases': SET,
  Networks: keyed(field('Target')),
  'Networks.Aliases': SET,
  'EndpointSpec.Ports': keyed(portKey),
};

/** Mappings of names to values (labels, options): absent is the same as empty. Other mappings are structs, removed or kept whole. */
export const mapLike = (shape: string) => /(^|\.)(Labels|Sysctls|DriverOpts|Options)$/.test(shape);

/** How the array at this path (mapping keys only) is compared; ordered unless the table says otherwise. */
export const arrayKind = (shape: string): ArrayKind => KINDS[shape] ?? { kind: 'ordered' };

/**
 * The entries of an array by their key, in order; undefined when an entry has no key or two
 * entries share one (then the array can only be compared as a whole).
 */
export function byKey(list: unknown[], key: (entry: unknown) => string | undefined): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const entry of list) {
    const k = key(entry);
    if (k === undefined || map.has(k)) return undefined;
    map.set(k, entry);
  }
  return map;
}

/** Structural equality of JSON values: mappings regardless of key order (an undefined field is an absent one), arrays in order. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!equal(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** How a key is written in a path: cut, so that a huge key (a set entry, a long name) costs no more than a short one. */
export const keyLabel = (key: string) => (key.length > 40 ? `${key.slice(0, 40)}...` : key);
