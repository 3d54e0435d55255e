import { ApiError } from '../../errors.js';
import {
  checkNetworkRequest,
  createObject,
  createSwarmNetwork,
  objectJson,
  removeObject,
  removeSwarmNetwork,
  servicesOnNetwork,
  updateObject,
} from '../../model/objects.js';
import { findByRef } from '../../model/lookup.js';
import type { PlainObject } from '../../model/records.js';
import { exactMatch, labelMatch, parseFilters, prefixMatch, type Filters } from '../filters.js';
import { decoded, EMPTY, Reply, versionParam, type Context } from '../http.js';
import { managerOf, requireManager } from '../membership.js';

/** Networks (the engine's local ones and, on a manager, the swarm's), secrets and configs. */

const NETWORK_FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];
// 20.10 takes `names` (exact) for secrets only; for configs it is an invalid filter.
const OBJECT_FILTERS = { secret: ['id', 'label', 'name', 'names'], config: ['id', 'label', 'name'] };
const PREDEFINED = ['bridge', 'host', 'none'];

/** The networks this engine shows: its own local ones, and the swarm's when it is a manager. */
function visibleNetworks(ctx: Context): PlainObject[] {
  const local = [...ctx.engine.localNetworks.values()];
  const swarm = managerOf(ctx.engine);
  return swarm ? [...swarm.networks.values(), ...local] : local;
}

function networkMatches(ctx: Context, filters: Filters, n: PlainObject): boolean {
  const name = String(n.Name);
  const swarmScoped = n.Scope === 'swarm';
  for (const type of filters.get('type') ?? []) {
    if (type !== 'custom' && type !== 'builtin') throw new ApiError(500, `invalid filter: 'type'='${type}'`);
  }
  const builtin = !swarmScoped && PREDEFINED.includes(name);
  const swarm = managerOf(ctx.engine);
  const used = swarmScoped ? Boolean(swarm && servicesOnNetwork(swarm, n.ID).length > 0) || n.Ingress === true : builtin;
  const danglingOk = (filters.get('dangling') ?? []).every((v) => (v === 'true' || v === '1') === (!used && !builtin));
  // The swarm's own listing matches names exactly and ids by prefix; the engine's matches both as substrings.
  const nameOk = swarmScoped ? exactMatch(filters, 'name', name) : !filters.has('name') || filters.get('name')!.some((v) => name.includes(v));
  const idOk = swarmScoped ? prefixMatch(filters, 'id', n.ID) : !filters.has('id') || filters.get('id')!.some((v) => n.ID.includes(v));
  return (
    nameOk &&
    idOk &&
    danglingOk &&
    exactMatch(filters, 'driver', String(n.Driver)) &&
    exactMatch(filters, 'scope', String(n.Scope)) &&
    exactMatch(filters, 'type', builtin ? 'builtin' : 'custom') &&
    labelMatch(filters, 'label', (n.Labels as Record<string, string> | null) ?? {})
  );
}

/** GET /networks. */
export function listNetworks(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), NETWORK_FILTERS);
  return visibleNetworks(ctx).filter((n) => networkMatches(ctx, filters, n));
}

/** One object by full id, then name, then unique id prefix. */
function find(kind: string, list: PlainObject[], ref: string, nameOf: (o: PlainObject) => string): PlainObject {
  return findByRef(kind, list, ref, (o) => o.ID, nameOf);
}

const networkNamed = (o: PlainObject) => String(o.Name);

/** GET /networks/{id}. */
export const getNetwork = (ctx: Context) => {
  // ?scope= narrows the lookup to networks of that scope (local, swarm, global), as dockerd does.
  const scope = ctx.query.get('scope') ?? '';
  const visible = visibleNetworks(ctx).filter((n) => scope === '' || n.Scope === scope);
  return find('network', visible, ctx.params[0], networkNamed);
};

/** POST /networks/create: overlay networks on a manager, the others on this engine. */
export async function createNetwork(ctx: Context) {
  const request = await decoded(ctx, 'NetworkCreateRequest');
  const visible = visibleNetworks(ctx);
  checkNetworkRequest(request, (name) => visible.some((n) => n.Name === name));
  const driver = String(request.Driver || 'bridge');
  if (driver === 'overlay' || request.Scope === 'swarm') {
    if (ctx.engine.state === 'active' && !managerOf(ctx.engine)) {
      throw new ApiError(403, 'Cannot create a multi-host network from a worker node. Please create the network from a manager node.');
    }
    const swarm = requireManager(ctx.engine);
    const network = createSwarmNetwork(swarm, request);
    return new Reply(201, { Id: network.ID, Warning: '' });
  }
  const network = ctx.fleet.addLocalNetwork(ctx.engine, String(request.Name), driver, undefined, request);
  return new Reply(201, { Id: network.ID, Warning: '' });
}

/** DELETE /networks/{id}. */
export function removeNetwork(ctx: Context) {
  const network = find('network', visibleNetworks(ctx), ctx.params[0], networkNamed);
  if (network.Scope === 'swarm') removeSwarmNetwork(requireManager(ctx.engine), network);
  else if (PREDEFINED.includes(String(network.Name))) throw new ApiError(403, `${network.Name} is a pre-defined network and cannot be removed`);
  else ctx.engine.localNetworks.delete(network.ID);
  return new Reply(204, '', null);
}

/** POST /networks/prune: every custom network nothing uses (the ingress network is kept). */
export function pruneNetworks(ctx: Context) {
  const deleted: string[] = [];
  const swarm = managerOf(ctx.engine);
  if (swarm) {
    for (const n of [...swarm.networks.values()]) {
      if (n.Ingress === true || servicesOnNetwork(swarm, n.ID).length > 0) continue;
      removeSwarmNetwork(swarm, n);
      deleted.push(String(n.Name));
    }
  }
  for (const n of [...ctx.engine.localNetworks.values()]) {
    if (PREDEFINED.includes(String(n.Name))) continue;
    ctx.engine.localNetworks.delete(n.ID);
    deleted.push(String(n.Name));
  }
  return { NetworksDeleted: deleted.length > 0 ? deleted : null };
}

type Kind = 'secret' | 'config';
const storeOf = (ctx: Context, kind: Kind) => (kind === 'secret' ? ctx.swarm.secrets : ctx.swarm.configs);
const objectNamed = (o: PlainObject) => String((o.Spec as { Name?: string } | undefined)?.Name ?? '');

/** GET /secrets, /configs. */
export const listObjects = (kind: Kind) => (ctx: Context) => {
  const filters = parseFilters(ctx.query.get('filters'), OBJECT_FILTERS[kind]);
  return [...storeOf(ctx, kind).values()]
    .filter(
      (o) =>
        prefixMatch(filters, 'id', o.ID) &&
        prefixMatch(filters, 'name', objectNamed(o)) &&
        exactMatch(filters, 'names', objectNamed(o)) &&
        labelMatch(filters, 'label', (o.Spec as { Labels?: Record<string, string> }).Labels ?? {}),
    )
    .map((o) => objectJson(kind, o));
};

/** GET /secrets/{id}, /configs/{id}. */
export const getObject = (kind: Kind) => (ctx: Context) => objectJson(kind, find(kind, [...storeOf(ctx, kind).values()], ctx.params[0], objectNamed));

/** POST /secrets/create, /configs/create. */
export const createSecretOrConfig = (kind: Kind) => async (ctx: Context) => {
  const spec = await decoded(ctx, kind === 'secret' ? 'SecretSpec' : 'ConfigSpec');
  const object = createObject(ctx.swarm, kind, spec);
  return new Reply(201, { ID: object.ID });
};

/** POST /secrets/{id}/update, /configs/{id}/update. */
export const updateSecretOrConfig = (kind: Kind) => async (ctx: Context) => {
  const version = versionParam(ctx.query, kind);
  const object = find(kind, [...storeOf(ctx, kind).values()], ctx.params[0], objectNamed);
  updateObject(ctx.swarm, kind, object, version, await decoded(ctx, kind === 'secret' ? 'SecretSpec' : 'ConfigSpec'));
  return EMPTY();
};

/** DELETE /secrets/{id}, /configs/{id}. */
export const removeSecretOrConfig = (kind: Kind) => (ctx: Context) => {
  removeObject(ctx.swarm, kind, find(kind, [...storeOf(ctx, kind).values()], ctx.params[0], objectNamed));
  return new Reply(204, '', null);
};
