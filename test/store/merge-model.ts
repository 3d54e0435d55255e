import fc from 'fast-check';

/**
 * The merge property's model and oracle, written apart from source/store/merge.ts on purpose: a
 * spec is a set of atomic facts (a label's value, an env variable's entry, a constraint being
 * there, a mount's source, the whole Args list), each side's change is which facts it changed,
 * and the expected result is decided fact by fact. The merge code walks JSON trees; this never does.
 */

/** A spec as facts: slot -> value (undefined: absent). */
export type Model = Record<string, string | undefined>;

const LABELS = ['a', 'b', 'c.password'];
const ENV = ['A', 'B', 'C', 'DB_PASSWORD', 'FLAG'];
const MOUNTS = ['/a', '/b'];
const CONSTRAINTS = ['node.role==manager', 'node.role==worker', 'node.labels.zone==a'];
const PORTS = ['30001', '30002'];
const HOSTS = ['10.0.0.1 db', '10.0.0.2 cache'];
const PRESENT = 'yes';

/** Every slot and the values it can take (undefined where it can be absent). */
const SLOTS: Record<string, fc.Arbitrary<string | undefined>> = {
  image: fc.constantFrom('nginx:1', 'nginx:2', 'redis:7'),
  replicas: fc.constantFrom('0', '1', '2', '3'),
  // No empty Args and no ReadOnly: false: dockerd leaves empty and false fields out of what it stores (omitempty).
  args: fc.option(
    fc.array(fc.constantFrom('a', 'b', '--x'), { minLength: 1, maxLength: 3 }).map((a) => JSON.stringify(a)),
    { nil: undefined },
  ),
};
for (const l of LABELS) SLOTS[`label:${l}`] = fc.constantFrom(undefined, 'x', 'y');
for (const e of ENV) SLOTS[`env:${e}`] = fc.constantFrom(undefined, `${e}=1`, `${e}=2`, ...(e === 'FLAG' ? ['FLAG'] : []));
for (const m of MOUNTS) {
  SLOTS[`mount:${m}:source`] = fc.constantFrom(undefined, 'v1', 'v2');
  SLOTS[`mount:${m}:ro`] = fc.constantFrom(undefined, 'true');
}
for (const c of CONSTRAINTS) SLOTS[`constraint:${c}`] = fc.constantFrom(undefined, PRESENT);
for (const p of PORTS) SLOTS[`port:${p}:target`] = fc.constantFrom(undefined, '80', '81');
for (const h of HOSTS) SLOTS[`host:${h}`] = fc.constantFrom(undefined, PRESENT);

const slots = Object.keys(SLOTS);

/** A mount is there when it has a source: a read-only flag alone is no mount. */
function normalise(model: Model): Model {
  const out = { ...model };
  for (const m of MOUNTS) if (out[`mount:${m}:source`] === undefined) out[`mount:${m}:ro`] = undefined;
  return out;
}

const KEEP = Symbol('keep');

/** A random spec. */
export const modelArb: fc.Arbitrary<Model> = fc.record(SLOTS).map(normalise);

/** A random change of a spec: each slot kept (mostly) or set to a random value. */
export const changeArb = fc.record(
  Object.fromEntries(slots.map((s) => [s, fc.oneof({ weight: 3, arbitrary: fc.constant(KEEP) }, { weight: 1, arbitrary: SLOTS[s] })])),
) as fc.Arbitrary<Record<string, string | undefined | typeof KEEP>>;

/** The spec a change makes of another. */
export function applyChange(model: Model, change: Record<string, string | undefined | typeof KEEP>): Model {
  return normalise(Object.fromEntries(slots.map((s) => [s, change[s] === KEEP ? model[s] : (change[s] as string | undefined)])));
}

/** The facts as a service spec; `reverse` lists env entries, mounts and ports backwards (order means nothing there). */
export function build(model: Model, reverse = false): Record<string, unknown> {
  const order = <T>(list: T[]) => (reverse ? list.reverse() : list);
  const labels: Record<string, string> = {};
  for (const l of LABELS) if (model[`label:${l}`] !== undefined) labels[l] = model[`label:${l}`]!;
  const container: Record<string, unknown> = {
    Image: model.image,
    Env: order(ENV.map((e) => model[`env:${e}`]).filter((v) => v !== undefined)),
    Mounts: order(
      MOUNTS.filter((m) => model[`mount:${m}:source`] !== undefined).map((m) => ({
        Type: 'volume',
        Source: model[`mount:${m}:source`],
        Target: m,
        ...(model[`mount:${m}:ro`] !== undefined ? { ReadOnly: model[`mount:${m}:ro`] === 'true' } : {}),
      })),
    ),
    Hosts: HOSTS.filter((h) => model[`host:${h}`] !== undefined),
  };
  if (model.args !== undefined) container.Args = JSON.parse(model.args);
  return {
    Name: 'svc',
    Labels: labels,
    TaskTemplate: { ContainerSpec: container, Placement: { Constraints: CONSTRAINTS.filter((c) => model[`constraint:${c}`] !== undefined) } },
    Mode: { Replicated: { Replicas: Number(model.replicas) } },
    EndpointSpec: {
      Ports: order(
        PORTS.filter((p) => model[`port:${p}:target`] !== undefined).map((p) => ({
          Protocol: 'tcp',
          PublishedPort: Number(p),
          TargetPort: Number(model[`port:${p}:target`]),
          PublishMode: 'ingress',
        })),
      ),
    },
  };
}

/** The facts of a spec (absent lists are empty); throws when a keyed entry is there twice (a merge that duplicated it). */
export function facts(spec: any): Model {
  const out: Model = Object.fromEntries(slots.map((s) => [s, undefined]));
  const once = (slot: string, value: string) => {
    if (out[slot] !== undefined) throw new Error(`${slot} is there twice: ${out[slot]} and ${value}`);
    out[slot] = value;
  };
  const container = spec.TaskTemplate?.ContainerSpec ?? {};
  out.image = container.Image;
  out.replicas = String(spec.Mode?.Replicated?.Replicas);
  if (container.Args !== undefined) out.args = JSON.stringify(container.Args);
  for (const [k, v] of Object.entries(spec.Labels ?? {})) once(`label:${k}`, String(v));
  for (const e of container.Env ?? []) once(`env:${String(e).split('=')[0]}`, e);
  for (const m of container.Mounts ?? []) {
    once(`mount:${m.Target}:source`, m.Source);
    if (m.ReadOnly !== undefined) out[`mount:${m.Target}:ro`] = String(m.ReadOnly);
  }
  for (const h of container.Hosts ?? []) once(`host:${h}`, PRESENT);
  for (const c of spec.TaskTemplate?.Placement?.Constraints ?? []) once(`constraint:${c}`, PRESENT);
  for (const p of spec.EndpointSpec?.Ports ?? []) once(`port:${p.PublishedPort}:target`, String(p.TargetPort));
  for (const key of Object.keys(out)) if (!(key in SLOTS)) throw new Error(`a fact nobody made: ${key}`);
  return out;
}

/** A spec without the facts the model is about (and the mappings that are then empty): what must not change at all. */
export function rest(spec: any): unknown {
  const copy = structuredClone(spec);
  delete copy.Labels;
  const container = copy.TaskTemplate?.ContainerSpec ?? {};
  for (const k of ['Image', 'Env', 'Args', 'Mounts', 'Hosts']) delete container[k];
  delete copy.TaskTemplate?.Placement?.Constraints;
  delete copy.Mode?.Replicated?.Replicas;
  delete copy.EndpointSpec?.Ports;
  const prune = (v: unknown): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (!(p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0)) out[k] = p;
    }
    return out;
  };
  return prune(copy);
}

/**
 * The oracle: fact by fact, the side that changed it wins; both changing it differently is a
 * conflict, and so is one side removing a mount the other changed.
 */
export function expected(base: Model, mine: Model, theirs: Model): { conflict: true } | { conflict: false; facts: Model } {
  const out: Model = {};
  for (const s of slots) {
    if (mine[s] === base[s]) out[s] = theirs[s];
    else if (theirs[s] === base[s] || theirs[s] === mine[s]) out[s] = mine[s];
    else return { conflict: true };
  }
  for (const m of MOUNTS) {
    const group = [`mount:${m}:source`, `mount:${m}:ro`];
    const changed = (side: Model) => group.some((s) => side[s] !== base[s]);
    const removed = (side: Model) => base[group[0]] !== undefined && side[group[0]] === undefined;
    if ((removed(mine) && changed(theirs)) || (removed(theirs) && changed(mine))) {
      // Both removed it: no conflict; one removed what the other changed inside: a conflict.
      if (!(removed(mine) && removed(theirs))) return { conflict: true };
    }
  }
  return { conflict: false, facts: out };
}
