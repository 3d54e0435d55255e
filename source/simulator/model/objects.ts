/** Swarm networks, secrets and configs: created, label-updated and removed with dockerd's checks and words. */
import { ApiError, errors } from '../errors.js';
import { iso, type PlainObject, type ServiceRecord } from './records.js';
import type { Random } from './random.js';
import type { ServiceSpec } from './types.js';
import type { SwarmState } from './state.js';

/** The network drivers a 20.10 engine has built in. */
export const NETWORK_DRIVERS = ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'];
/** Secret and config data limits (swarmkit's MaxSecretSize and MaxConfigSize). */
export const DATA_LIMIT = { secret: 500 * 1024, config: 1000 * 1024 } as const;

const rpc = (code: string, desc: string) => `rpc error: code = ${code} desc = ${desc}`;
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-_.]{0,62}[a-zA-Z0-9])?$/;

/** A network as GET /networks shows one. */
export function networkObject(
  source: { random: Random; now: number; networks?: Map<string, unknown> },
  request: Record<string, unknown>,
  scope: 'swarm' | 'local',
  subnet?: { Subnet: string; Gateway: string },
) {
  const id = scope === 'swarm' ? source.random.id() : source.random.containerId();
  const ipam = (request.IPAM as { Driver?: string; Options?: unknown; Config?: { Subnet?: string; Gateway?: string }[] } | undefined) ?? {};
  const config = ipam.Config && ipam.Config.length > 0 ? ipam.Config : subnet ? [subnet] : [];
  return {
    Name: String(request.Name),
    Id: id,
    ID: id,
    Created: iso(source.now),
    Scope: scope,
    Driver: String(request.Driver || (scope === 'swarm' ? 'overlay' : 'bridge')),
    EnableIPv6: request.EnableIPv6 === true,
    IPAM: { Driver: ipam.Driver || 'default', Options: ipam.Options ?? null, Config: config },
    Internal: request.Internal === true,
    Attachable: request.Attachable === true,
    Ingress: request.Ingress === true,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: scope === 'swarm' ? null : {},
    Options: {
      ...(scope === 'swarm' ? { 'com.docker.network.driver.overlay.vxlanid_list': String(4096 + (source.networks?.size ?? 0)) } : {}),
      ...((request.Options as object) ?? {}),
    },
    Labels: (request.Labels as Record<string, string>) ?? {},
  } satisfies PlainObject;
}

/** Refuses a network name or driver dockerd refuses, before any scope is chosen. */
export function checkNetworkRequest(request: Record<string, unknown>, taken: (name: string) => boolean): void {
  const name = typeof request.Name === 'string' ? request.Name : '';
  if (name === '') throw new ApiError(500, 'invalid name: ');
  const driver = String(request.Driver || 'bridge');
  if (!NETWORK_DRIVERS.includes(driver)) throw new ApiError(404, `plugin "${driver}" not found`);
  if (taken(name)) throw new ApiError(409, `network with name ${name} already exists`);
}

/** POST /networks/create of a swarm-scoped (overlay) network, on a manager. */
export function createSwarmNetwork(swarm: SwarmState, request: Record<string, unknown>, checked = true): PlainObject {
  if (checked) swarm.requireLeader();
  if (request.Ingress === true) {
    const ingress = [...swarm.networks.values()].find((n) => n.Ingress === true);
    if (ingress) throw new ApiError(409, rpc('AlreadyExists', `ingress network (${ingress.ID}) is already present`));
  }
  const n = swarm.nextSubnet++;
  const network = networkObject(swarm, request, 'swarm', { Subnet: `10.0.${n}.0/24`, Gateway: `10.0.${n}.1` });
  swarm.networks.set(network.ID, network);
  if (checked) swarm.emit('network', 'create', network.ID, { name: network.Name });
  return network;
}

/** The services attached to a network, by its id. */
export function servicesOnNetwork(swarm: SwarmState, id: string): ServiceRecord[] {
  const targets = (spec: ServiceSpec) => [...(spec.TaskTemplate?.Networks ?? []), ...(spec.Networks ?? [])].map((n) => n.Target);
  return [...swarm.services.values()].filter((s) => targets(s.spec).includes(id));
}

/** DELETE /networks/{id} of a swarm network: refused while a service is attached. */
export function removeSwarmNetwork(swarm: SwarmState, network: PlainObject): void {
  swarm.requireLeader();
  const users = servicesOnNetwork(swarm, network.ID);
  if (users.length > 0) throw errors.badParameter(rpc('FailedPrecondition', `network ${network.ID} is in use by service ${users[0].id}`));
  if (network.Ingress === true && [...swarm.services.values()].some((s) => s.ports.some((p) => p.PublishMode === 'ingress'))) {
    throw errors.badParameter(rpc('FailedPrecondition', 'ingress network cannot be removed because service(s) are using it'));
  }
  swarm.networks.delete(network.ID);
  swarm.emit('network', 'remove', network.ID, { name: String(network.Name) });
}

/** Resolves a service's network targets (id, name or id prefix) to ids, as dockerd stores them. */
export function resolveNetworks(swarm: SwarmState, spec: ServiceSpec): void {
  const resolve = (list: { Target: string }[] | undefined) => {
    for (const attachment of list ?? []) {
      const found =
        swarm.networks.get(attachment.Target) ??
        [...swarm.networks.values()].find((n) => n.Name === attachment.Target) ??
        [...swarm.networks.values()].filter((n) => attachment.Target !== '' && n.ID.startsWith(attachment.Target)).find((_n, _i, all) => all.length === 1);
      if (!found) throw new ApiError(500, `network ${attachment.Target} not found`);
      attachment.Target = found.ID;
    }
  };
  resolve(spec.TaskTemplate?.Networks);
  resolve(spec.Networks);
}

type Kind = 'secret' | 'config';
const storeOf = (swarm: SwarmState, kind: Kind) => (kind === 'secret' ? swarm.secrets : swarm.configs);
const specOf = (o: PlainObject) => o.Spec as { Name: string; Labels?: Record<string, string>; Data?: string; Templating?: unknown; Driver?: unknown };

/** Decodes standard base64 as Go does, naming the first bad byte. */
function base64Data(data: string): Buffer {
  const bad = /[^A-Za-z0-9+/=]/.exec(data);
  if (bad) throw errors.badParameter(`illegal base64 data at input byte ${bad.index}`);
  if (data.length % 4 !== 0) throw errors.badParameter(`illegal base64 data at input byte ${data.length - (data.length % 4)}`);
  return Buffer.from(data, 'base64');
}

/** POST /secrets/create and /configs/create. */
export function createObject(swarm: SwarmState, kind: Kind, spec: Record<string, unknown>): PlainObject {
  const data = base64Data(typeof spec.Data === 'string' ? spec.Data : '');
  swarm.requireLeader();
  const name = typeof spec.Name === 'string' ? spec.Name : '';
  if (name === '') throw errors.invalidArgument('name must be provided');
  if (!NAME.test(name)) {
    throw errors.invalidArgument('invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]');
  }
  const driver = (spec.Driver as { Name?: string } | undefined)?.Name;
  if (driver) throw new ApiError(500, rpc('Unknown', `plugin "${driver}" not found`));
  if (data.length === 0 || data.length >= DATA_LIMIT[kind]) {
    throw errors.invalidArgument(`${kind} data must be larger than 0 and less than ${DATA_LIMIT[kind]} bytes`);
  }
  const store = storeOf(swarm, kind);
  if ([...store.values()].some((o) => specOf(o).Name === name)) throw new ApiError(409, rpc('AlreadyExists', `${kind} ${name} already exists`));
  const id = swarm.random.id();
  const object: PlainObject = {
    ID: id,
    Version: { Index: ++swarm.index },
    CreatedAt: iso(swarm.now),
    UpdatedAt: iso(swarm.now),
    Spec: {
      Name: name,
      Labels: (spec.Labels as Record<string, string>) ?? {},
      Data: data.toString('base64'),
      ...(spec.Templating ? { Templating: spec.Templating } : {}),
    },
  };
  store.set(id, object);
  swarm.emit(kind, 'create', id, { name });
  return object;
}

/** An object as GET shows it: a secret's data is never shown, a config's is. */
export function objectJson(kind: Kind, object: PlainObject): PlainObject {
  if (kind === 'config') return object;
  const { Data: _data, ...spec } = specOf(object);
  return { ...object, Spec: spec };
}

/** POST /secrets/{id}/update and /configs/{id}/update: only the labels may change. */
export function updateObject(swarm: SwarmState, kind: Kind, object: PlainObject, version: number, spec: Record<string, unknown>): void {
  swarm.requireLeader();
  if (version !== (object.Version as { Index: number }).Index) throw errors.outOfSequence();
  const current = specOf(object);
  const given = typeof spec.Data === 'string' && spec.Data !== '' ? base64Data(spec.Data).toString('base64') : current.Data;
  if ((spec.Name ?? '') !== current.Name || given !== current.Data) throw errors.invalidArgument('only updates to Labels are allowed');
  object.Spec = { ...current, Labels: (spec.Labels as Record<string, string>) ?? {} };
  object.Version = { Index: ++swarm.index };
  object.UpdatedAt = iso(swarm.now);
  swarm.emit(kind, 'update', object.ID, { name: current.Name });
}

/** The references to secrets or configs in a spec. */
function referencesIn(kind: Kind, spec: ServiceSpec): { id: string; name: string }[] {
  const container = spec.TaskTemplate?.ContainerSpec as Record<string, unknown> | undefined;
  const list = (container?.[kind === 'secret' ? 'Secrets' : 'Configs'] as Record<string, string>[] | undefined) ?? [];
  const prefix = kind === 'secret' ? 'Secret' : 'Config';
  return list.map((r) => ({ id: r[`${prefix}ID`] ?? '', name: r[`${prefix}Name`] ?? '' }));
}

/** Refuses a spec whose secret or config references name no such object (by ID, with its name), as dockerd does. */
export function checkReferences(swarm: SwarmState, spec: ServiceSpec): void {
  for (const kind of ['secret', 'config'] as const) {
    for (const ref of referencesIn(kind, spec)) {
      const object = storeOf(swarm, kind).get(ref.id);
      if (!object || specOf(object).Name !== ref.name) throw errors.invalidArgument(`${kind} not found: ${ref.name || ref.id}`);
    }
  }
}

/** DELETE /secrets/{id} and /configs/{id}: refused while a service uses it. */
export function removeObject(swarm: SwarmState, kind: Kind, object: PlainObject): void {
  swarm.requireLeader();
  const users = [...swarm.services.values()].filter((s) => referencesIn(kind, s.spec).some((r) => r.id === object.ID)).map((s) => s.spec.Name ?? s.id);
  const name = specOf(object).Name;
  if (users.length > 0) {
    throw errors.invalidArgument(`${kind} '${name}' is in use by the following service${users.length > 1 ? 's' : ''}: ${users.join(', ')}`);
  }
  storeOf(swarm, kind).delete(object.ID);
  swarm.emit(kind, 'remove', object.ID, { name });
}
