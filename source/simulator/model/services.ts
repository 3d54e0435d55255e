/** Services: create, update, roll back and remove, as the API asks; published ports assigned. */
import { errors } from '../errors.js';
import { iso, type ServiceRecord } from './records.js';
import { clone, effectiveUpdateConfig, isGlobal, replicasOf, templateKey } from './spec.js';
import type { ServiceSpec } from './types.js';
import type { Swarm } from './swarm.js';

/** POST /services/create. */
export function createService(swarm: Swarm, spec: ServiceSpec): ServiceRecord {
  swarm.requireLeader();
  swarm.validateSpec(spec);
  const name = spec.Name || swarm.randomName();
  for (const s of swarm.services.values()) if (s.spec.Name === name) throw errors.nameConflict(name);
  const stored = clone({ ...spec, Name: name });
  stored.Labels ??= {};
  if (!stored.Mode) stored.Mode = { Replicated: { Replicas: 1 } };
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
  service.ports = swarm.assignPorts(stored, []);
  swarm.services.set(service.id, service);
  swarm.emit('service', 'create', service.id, { name });
  swarm.dirty.add(service);
  swarm.settle();
  return service;
}

/** A name as dockerd makes one up for a service created without one. */
export function randomName(swarm: Swarm): string {
  const left = ['brave', 'eager', 'quiet', 'vibrant', 'zen', 'focused', 'festive', 'nifty'];
  const right = ['turing', 'hopper', 'lovelace', 'knuth', 'ritchie', 'hamilton', 'curie', 'noether'];
  return `${left[swarm.random.int(left.length)]}_${right[swarm.random.int(right.length)]}`;
}

/** Published ports: those given, those already assigned kept, the others from 30000 on, as the routing mesh does. */
export function assignPorts(swarm: Swarm, spec: ServiceSpec, old: ServiceRecord['ports']): ServiceRecord['ports'] {
  return (spec.EndpointSpec?.Ports ?? []).map((port) => {
    const protocol = port.Protocol ?? 'tcp';
    const kept = old.find((p) => p.TargetPort === port.TargetPort && p.Protocol === protocol);
    return {
      ...(port.Name ? { Name: port.Name } : {}),
      Protocol: protocol,
      TargetPort: port.TargetPort ?? 0,
      PublishedPort: port.PublishedPort || kept?.PublishedPort || swarm.nextPort++,
      PublishMode: port.PublishMode ?? 'ingress',
    };
  });
}

/** POST /services/{id}/update, or with rollback=previous a manual rollback. */
export function updateService(swarm: Swarm, ref: string, version: number, spec: ServiceSpec | undefined, rollback: boolean): ServiceRecord {
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
  const next = clone({ ...spec, Name: service.spec.Name });
  next.Labels ??= {};
  swarm.applySpec(service, next, 'update');
  return service;
}

/** Puts a new spec in place (update, rollback, auto-rollback): the previous one kept, events emitted, a rollout started when the task template changed. */
export function applySpec(swarm: Swarm, service: ServiceRecord, next: ServiceSpec, kind: 'update' | 'rollback' | 'auto-rollback', reason?: string): void {
  const old = service.spec;
  const oldState = service.updateStatus?.State;
  service.previousSpec = clone(old);
  service.spec = clone(next);
  service.ports = swarm.assignPorts(service.spec, service.ports);
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
export function emitUpdateState(swarm: Swarm, service: ServiceRecord, oldState: string | undefined): void {
  const attributes: Record<string, string> = { name: service.spec.Name ?? '', 'updatestate.new': service.updateStatus!.State };
  if (oldState) attributes['updatestate.old'] = oldState;
  swarm.emit('service', 'update', service.id, attributes);
}

/** DELETE /services/{id}: its tasks are shut down and then removed. */
export function removeService(swarm: Swarm, ref: string): void {
  swarm.requireLeader();
  const service = swarm.service(ref);
  swarm.services.delete(service.id);
  for (const task of swarm.tasksOf(service.id)) swarm.setDesired(task, 'remove');
  swarm.emit('service', 'remove', service.id, { name: service.spec.Name ?? '' });
  swarm.settle();
}
