/** Services: create, update, roll back and remove, as the API asks; published ports assigned. */
import { errors } from '../errors.js';
import { iso, type ServiceRecord } from './records.js';
import { clone, effectiveUpdateConfig, isGlobal, replicasOf, templateKey } from './spec.js';
import { checkReferences, resolveNetworks } from './objects.js';
import { storedServiceSpec } from './spec-store.js';
import type { ServiceSpec } from './types.js';
import type { SwarmState } from './state.js';

/** POST /services/create. */
export function createService(swarm: SwarmState, spec: ServiceSpec): ServiceRecord {
  swarm.requireLeader();
  swarm.validateSpec(spec);
  const name = spec.Name || swarm.randomName();
  for (const s of swarm.services.values()) if (s.spec.Name === name) throw errors.nameConflict(name);
  const stored = normalizeSpec(swarm, clone({ ...spec, Name: name }));
  checkCapacity(swarm, stored);
  const service: ServiceRecord = {
    id: swarm.random.id(),
    createdAt: swarm.now,
    updatedAt: swarm.now,
    version: ++swarm.index,
    spec: stored,
    key: templateKey(stored),
    ports: [],
    restartAt: new Map(),
    restarts: new Map(),
    retired: new Set(),
  };
  allocateEndpoint(swarm, service);
  checkIngressPorts(swarm, service.ports);
  swarm.services.set(service.id, service);
  swarm.emit('service', 'create', service.id, { name });
  swarm.dirty.add(service);
  swarm.settle();
  return service;
}

/** Refuses a published ingress port another service already has, in dockerd's words. */
export function checkIngressPorts(swarm: SwarmState, ports: ServiceRecord['ports'], current?: ServiceRecord): void {
  for (const port of ports) {
    if (port.PublishMode !== 'ingress' || !port.PublishedPort) continue;
    for (const other of swarm.services.values()) {
      if (other === current) continue;
      if (other.ports.some((p) => p.PublishMode === 'ingress' && p.PublishedPort === port.PublishedPort && p.Protocol === port.Protocol)) {
        throw errors.invalidArgument(`port '${port.PublishedPort}' is already in use by service '${other.spec.Name}' (${other.id}) as an ingress port`);
      }
    }
  }
}

/** The simulator's own limits (a deviation from dockerd, documented in the README): a request past them is refused, not tried. */
export const SIMULATOR_LIMITS = { replicasPerService: 100_000, replicasInSwarm: 500_000 };

/** Refuses a replica count the simulator would take too long or too much memory to run, in words that say it is the simulator's limit. */
export function checkCapacity(swarm: SwarmState, spec: ServiceSpec, current?: ServiceRecord): void {
  const wanted = replicasOf(spec);
  const { replicasPerService, replicasInSwarm } = SIMULATOR_LIMITS;
  if (wanted > replicasPerService) {
    throw errors.invalidArgument(`swarmdeck simulator: ${wanted} replicas is over its limit of ${replicasPerService} per service (a real manager would try)`);
  }
  let total = wanted;
  for (const other of swarm.services.values()) if (other !== current && !isGlobal(other.spec)) total += replicasOf(other.spec);
  if (total > replicasInSwarm) {
    throw errors.invalidArgument(`swarmdeck simulator: ${total} replicas in the swarm is over its limit of ${replicasInSwarm} (a real manager would try)`);
  }
}

/**
 * The spec as dockerd stores it (spec-store.ts: the round trip through swarmkit's spec, with its
 * defaults), network names resolved to ids, and secret and config references checked.
 */
export function normalizeSpec(swarm: SwarmState, spec: ServiceSpec): ServiceSpec {
  const stored = storedServiceSpec(spec);
  resolveNetworks(swarm, stored);
  checkReferences(swarm, stored);
  return stored;
}

/** A name as dockerd makes one up for a service created without one. */
export function randomName(swarm: SwarmState): string {
  const left = ['brave', 'eager', 'quiet', 'vibrant', 'zen', 'focused', 'festive', 'nifty'];
  const right = ['turing', 'hopper', 'lovelace', 'knuth', 'ritchie', 'hamilton', 'curie', 'noether'];
  return `${left[swarm.random.int(left.length)]}_${right[swarm.random.int(right.length)]}`;
}

/** Published ports: those given, those already assigned kept, the others from 30000 on, as the routing mesh does. */
export function assignPorts(swarm: SwarmState, spec: ServiceSpec, old: ServiceRecord['ports']): ServiceRecord['ports'] {
  return (spec.EndpointSpec?.Ports ?? []).map((port) => {
    const protocol = port.Protocol ?? 'tcp';
    const mode = port.PublishMode ?? 'ingress';
    const kept = old.find((p) => p.TargetPort === port.TargetPort && p.Protocol === protocol);
    // A host-mode port without a published port gets none: each task's container picks its own.
    const published = port.PublishedPort || (mode === 'host' ? undefined : kept?.PublishedPort || swarm.nextPort++);
    return {
      ...(port.Name ? { Name: port.Name } : {}),
      Protocol: protocol,
      TargetPort: port.TargetPort ?? 0,
      ...(published ? { PublishedPort: published } : {}),
      PublishMode: mode,
    };
  });
}

/**
 * The allocator's pass over a created or updated service, as a 20.10 manager makes it: a service
 * with published ports or attached networks gets its endpoint (the endpoint spec copied, ports
 * assigned, a virtual IP per network unless dnsrr); one with neither has none, so an update that
 * dropped the endpoint spec releases what was published (dockerd's Endpoint is then `{Spec: {}}`).
 */
export function allocateEndpoint(swarm: SwarmState, service: ServiceRecord): void {
  const spec = service.spec;
  const networks = (spec.TaskTemplate?.Networks ?? []).map((n) => n.Target);
  if ((spec.EndpointSpec?.Ports ?? []).length === 0 && networks.length === 0) {
    service.ports = [];
    service.endpoint = undefined;
    return;
  }
  service.ports = swarm.assignPorts(spec, service.ports);
  service.endpoint = { spec: clone(spec.EndpointSpec ?? {}) as Record<string, unknown>, networks: spec.EndpointSpec?.Mode === 'dnsrr' ? [] : networks };
}

/** POST /services/{id}/update, or with rollback=previous a manual rollback. */
export function updateService(swarm: SwarmState, ref: string, version: number, spec: ServiceSpec | undefined, rollback: boolean): ServiceRecord {
  swarm.requireLeader();
  const service = swarm.service(ref);
  if (version !== service.version) throw errors.outOfSequence();
  if (rollback) {
    if (!service.previousSpec) throw errors.noPreviousSpec(service.id);
    swarm.applySpec(service, service.previousSpec, 'rollback', 'manually requested rollback');
    return service;
  }
  if (!spec) throw errors.invalidArgument('service spec is required');
  swarm.validateSpec(spec);
  if (isGlobal(spec) !== isGlobal(service.spec)) throw errors.modeChange();
  if (spec.Name && spec.Name !== service.spec.Name) {
    throw errors.invalidArgument('renaming services is not supported');
  }
  const next = normalizeSpec(swarm, clone({ ...spec, Name: service.spec.Name }));
  checkCapacity(swarm, next, service);
  // Checked on what the ports would be, before anything changes.
  checkIngressPorts(swarm, swarm.assignPorts(next, service.ports), service);
  swarm.applySpec(service, next, 'update');
  return service;
}

/** Puts a new spec in place (update, rollback, auto-rollback): the previous one kept, events emitted, a rollout started when the task template changed. */
export function applySpec(swarm: SwarmState, service: ServiceRecord, next: ServiceSpec, kind: 'update' | 'rollback' | 'auto-rollback', reason?: string): void {
  const old = service.spec;
  const oldState = service.updateStatus?.State;
  service.previousSpec = clone(old);
  service.spec = clone(next);
  allocateEndpoint(swarm, service);
  const newKey = templateKey(service.spec);
  const templateChanged = newKey !== service.key;
  service.key = newKey;
  swarm.touch(service);
  const attributes: Record<string, string> = { name: service.spec.Name ?? '' };
  const oldImage = old.TaskTemplate?.ContainerSpec?.Image ?? '';
  const newImage = service.spec.TaskTemplate?.ContainerSpec?.Image ?? '';
  if (oldImage !== newImage) Object.assign(attributes, { 'image.new': newImage, 'image.old': oldImage });
  const oldReplicas = replicasOf(old);
  const newReplicas = replicasOf(service.spec);
  if (!isGlobal(old) && oldReplicas !== newReplicas) {
    Object.assign(attributes, { 'replicas.new': String(newReplicas), 'replicas.old': String(oldReplicas) });
  }
  swarm.emit('service', 'update', service.id, attributes);

  if (kind === 'update' && !templateChanged) {
    // A scale or a no-op update clears UpdateStatus, as the engine does, unless a rollout is running.
    if (!service.rollout) service.updateStatus = undefined;
  } else {
    const rollback = kind !== 'update';
    const config = effectiveUpdateConfig(rollback ? service.spec.RollbackConfig : service.spec.UpdateConfig);
    // Nothing to replace (a rollback of a scale, say) still reports a started and finished rollout.
    service.rollout = {
      rollback,
      config,
      workers: [],
      failures: 0,
      total: swarm.outdatedSlots(service).length,
      watch: new Map(),
      paused: false,
    };
    service.updateStatus = rollback
      ? { State: 'rollback_started', StartedAt: iso(swarm.now), Message: reason ?? 'manually requested rollback' }
      : { State: 'updating', StartedAt: iso(swarm.now), Message: 'update in progress' };
    swarm.emitUpdateState(service, oldState);
  }
  swarm.dirty.add(service);
  swarm.settle();
}

/** Emits the service update event that carries UpdateStatus.State, as the engine does. */
export function emitUpdateState(swarm: SwarmState, service: ServiceRecord, oldState: string | undefined): void {
  const attributes: Record<string, string> = { name: service.spec.Name ?? '', 'updatestate.new': service.updateStatus!.State };
  if (oldState) attributes['updatestate.old'] = oldState;
  swarm.emit('service', 'update', service.id, attributes);
}

/** DELETE /services/{id}: its tasks are shut down and then removed. */
export function removeService(swarm: SwarmState, ref: string): void {
  swarm.requireLeader();
  const service = swarm.service(ref);
  swarm.services.delete(service.id);
  for (const task of swarm.tasksOf(service.id)) swarm.setDesired(task, 'remove');
  swarm.emit('service', 'remove', service.id, { name: service.spec.Name ?? '' });
  swarm.settle();
}
