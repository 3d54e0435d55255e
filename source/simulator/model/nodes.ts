/** Nodes: joining (scenarios), node update with the engine's guards, removal. */
import { errors } from '../errors.js';
import { ENGINE_VERSION, type NodeInit, type NodeRecord } from './records.js';
import { isTerminal, type NodeSpec } from './types.js';
import type { SwarmState } from './state.js';

/** Joins a node to the swarm (scenarios use swarm; the API has no join). */
export function addNode(swarm: SwarmState, init: NodeInit): NodeRecord {
  const n = swarm.nodes.size + 1;
  const node: NodeRecord = {
    id: swarm.random.id(),
    createdAt: swarm.now,
    updatedAt: swarm.now,
    version: ++swarm.index,
    spec: { Labels: { ...(init.labels ?? {}) }, Role: init.role, Availability: init.availability ?? 'active' },
    hostname: init.hostname,
    addr: init.addr ?? `10.0.${Math.floor(n / 250)}.${(n % 250) + 2}`,
    nanoCpus: init.nanoCpus ?? 2_000_000_000,
    memoryBytes: init.memoryBytes ?? 4 * 1024 ** 3,
    engineVersion: ENGINE_VERSION,
    state: 'ready',
    leader: false,
    reachability: init.role === 'manager' ? 'reachable' : 'unknown',
  };
  swarm.nodes.set(node.id, node);
  if (!swarm.selfId && init.role === 'manager') swarm.selfId = node.id;
  swarm.electLeader();
  swarm.nodeChanged();
  return node;
}

/** POST /nodes/{id}/update: role, availability, labels and name, with the engine's guards. */
export function updateNode(swarm: SwarmState, ref: string, version: number, spec: Partial<NodeSpec>): void {
  swarm.requireLeader();
  const node = swarm.node(ref);
  if (version !== node.version) throw errors.outOfSequence();
  const role = spec.Role ?? node.spec.Role;
  const availability = spec.Availability ?? node.spec.Availability;
  if (!['manager', 'worker'].includes(role)) throw errors.invalidArgument(`invalid role ${String(role)}`);
  if (!['active', 'pause', 'drain'].includes(availability)) {
    throw errors.invalidArgument(`invalid availability ${String(availability)}`);
  }
  if (node.spec.Role === 'manager' && role === 'worker') swarm.checkDemote(node);
  const old = node.spec;
  node.spec = { ...(spec.Name ? { Name: spec.Name } : {}), Labels: { ...(spec.Labels ?? {}) }, Role: role, Availability: availability };
  if (old.Role !== role) {
    if (role === 'manager') {
      node.reachability = node.state === 'ready' ? 'reachable' : 'unreachable';
    } else {
      node.reachability = 'unknown';
      node.leader = false;
      if (node.id === swarm.selfId) {
        // The API follows the leader when the node it was served from stops being a manager.
        swarm.selfId = swarm.managers().find((m) => m.reachability === 'reachable')?.id ?? swarm.selfId;
      }
    }
    swarm.electLeader();
  }
  swarm.touch(node);
  const attributes: Record<string, string> = { name: node.hostname };
  if (old.Availability !== availability) {
    attributes['availability.new'] = availability;
    attributes['availability.old'] = old.Availability;
  }
  if (old.Role !== role) {
    attributes['role.new'] = role;
    attributes['role.old'] = old.Role;
  }
  swarm.emit('node', 'update', node.id, attributes);
  swarm.nodeChanged();
  swarm.settle();
}

/** DELETE /nodes/{id}: only workers that are down, unless forced. */
export function removeNode(swarm: SwarmState, ref: string, force: boolean): void {
  swarm.requireLeader();
  const node = swarm.node(ref);
  if (node.spec.Role === 'manager') throw errors.removeManager(node.id);
  if (node.state !== 'down' && !force) throw errors.removeNotDown(node.id);
  for (const task of [...swarm.tasksOn(node.id)]) {
    swarm.setDesired(task, 'shutdown');
    if (!isTerminal(task.state)) swarm.setState(task, 'orphaned', 'node removed');
  }
  swarm.nodes.delete(node.id);
  swarm.emit('node', 'remove', node.id, { name: node.hostname });
  swarm.nodeChanged();
  swarm.settle();
}

/** A node's engine left the swarm: down (a manager also unreachable), its tasks rescheduled; the API moves off it if it served it. */
export function nodeLeft(swarm: SwarmState, node: NodeRecord): void {
  if (node.state !== 'down') swarm.setNodeState(node, 'down', 'heartbeat failure');
  if (node.spec.Role === 'manager') {
    node.reachability = 'unreachable';
    node.leader = false;
    if (node.id === swarm.selfId) swarm.selfId = swarm.managers().find((m) => m.reachability === 'reachable')?.id ?? swarm.selfId;
    swarm.electLeader();
  }
  swarm.nodeChanged();
  swarm.settle();
}

/** Sets a node's status (ready, down) and emits the engine's node update event. */
export function setNodeState(swarm: SwarmState, node: NodeRecord, state: NodeRecord['state'], message?: string): void {
  const old = node.state;
  node.state = state;
  node.message = message;
  swarm.touch(node);
  swarm.emit('node', 'update', node.id, { name: node.hostname, 'state.new': state, 'state.old': old });
}

/** Nodes changed: the scheduler and every service look again. */
export function nodeChanged(swarm: SwarmState): void {
  swarm.schedulerDirty = true;
  for (const service of swarm.services.values()) swarm.dirty.add(service);
}
