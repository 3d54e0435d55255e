/** Practice drills: a node down or back, quorum lost or regained, an image that fails to pull. */
import { errors } from '../errors.js';
import type { NodeRecord } from './records.js';
import type { SwarmState } from './state.js';

/** Fault drill: a node stops answering heartbeats. Its tasks are rescheduled elsewhere. */
export function nodeDown(swarm: SwarmState, ref: string): NodeRecord {
  const node = swarm.node(ref);
  if (node.id === swarm.selfId) {
    throw errors.badParameter(`node ${node.hostname} serves this API; take down another node`);
  }
  if (node.state === 'down') return node;
  swarm.setNodeState(node, 'down', 'heartbeat failure');
  if (node.spec.Role === 'manager') {
    node.reachability = 'unreachable';
    node.leader = false;
    swarm.electLeader();
  }
  swarm.nodeChanged();
  swarm.settle();
  return node;
}

/** Fault drill: a node comes back. Tasks that were moved away are shut down on it. */
export function nodeUp(swarm: SwarmState, ref: string): NodeRecord {
  const node = swarm.node(ref);
  if (node.state === 'ready') return node;
  swarm.setNodeState(node, 'ready');
  if (node.spec.Role === 'manager') {
    node.reachability = 'reachable';
    swarm.electLeader();
  }
  for (const task of swarm.tasksOn(node.id)) swarm.wake(task);
  swarm.nodeChanged();
  swarm.settle();
  return node;
}

/** Fault drill: takes down managers other than this one until raft has no leader. */
export function loseQuorum(swarm: SwarmState): NodeRecord[] {
  const taken: NodeRecord[] = [];
  for (const m of swarm.managers()) {
    if (!swarm.hasLeader()) break;
    if (m.id !== swarm.selfId && m.state === 'ready') taken.push(swarm.nodeDown(m.id));
  }
  if (swarm.hasLeader()) {
    throw errors.badParameter('this swarm has a single manager: quorum cannot be lost while the API answers');
  }
  return taken;
}

/** Fault drill: brings every down manager back. */
export function regainQuorum(swarm: SwarmState): NodeRecord[] {
  const back = swarm.managers().filter((m) => m.state !== 'ready');
  for (const m of back) swarm.nodeUp(m.id);
  return back;
}

/** Fault drill: tasks of this image are rejected with "No such image" until fixed. */
export function breakImage(swarm: SwarmState, image: string): void {
  swarm.brokenImages.add(image);
}

/** Ends a breakImage drill. */
export function fixImage(swarm: SwarmState, image: string): void {
  swarm.brokenImages.delete(image);
  for (const service of swarm.services.values()) swarm.dirty.add(service);
}

/**
 * Fault drill (on) and its end (off): a service's containers exit 1 three seconds after they start,
 * so its restart policy restarts them, again and again; off, running containers stay up. Returns
 * the service's name.
 */
export function crashLoop(swarm: SwarmState, ref: string, on = true): string {
  const service = swarm.service(ref);
  if (on) swarm.crashing.add(service.id);
  else swarm.crashing.delete(service.id);
  for (const task of swarm.tasksOf(service.id)) swarm.wake(task);
  swarm.settle();
  return String(service.spec.Name);
}
