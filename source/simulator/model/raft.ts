/** Raft as the model keeps it: the managers, whether a majority is reachable (a leader), who leads, and what a demotion may not break. */
import { errors } from '../errors.js';
import { hasQuorum } from '../../swarm/quorum.js';
import type { NodeRecord } from './records.js';
import type { SwarmState } from './state.js';

/** The managers, in creation order. */
export function managers(swarm: SwarmState): NodeRecord[] {
  return [...swarm.nodes.values()].filter((n) => n.spec.Role === 'manager');
}

/** True while a majority of managers is reachable, so raft has a leader. */
export function hasLeader(swarm: SwarmState): boolean {
  const managers = swarm.managers();
  return hasQuorum(managers.filter((m) => m.reachability === 'reachable').length, managers.length);
}

/** Throws dockerd's "no leader" error when raft has lost quorum. */
export function requireLeader(swarm: SwarmState): void {
  if (!swarm.hasLeader()) throw errors.noLeader();
}

/** Keeps or elects a leader among the reachable managers (this API's node first), as raft would once quorum allows. */
export function electLeader(swarm: SwarmState): void {
  const managers = swarm.managers();
  const current = managers.find((m) => m.leader && m.reachability === 'reachable');
  for (const m of managers) if (m !== current && m.leader) m.leader = false;
  if (current || !swarm.hasLeader()) return;
  const self = swarm.nodes.get(swarm.selfId);
  const next = self && self.reachability === 'reachable' && self.spec.Role === 'manager' ? self : managers.find((m) => m.reachability === 'reachable');
  if (next) {
    next.leader = true;
    swarm.touch(next);
  }
}

/** Refuses a demotion of the last manager, or one that would leave too few reachable managers for quorum. */
export function checkDemote(swarm: SwarmState, node: NodeRecord): void {
  const managers = swarm.managers();
  if (managers.length <= 1) throw errors.demoteLastManager();
  const remaining = managers.filter((m) => m !== node);
  const reachable = remaining.filter((m) => m.reachability === 'reachable').length;
  if (!hasQuorum(reachable, remaining.length)) throw errors.quorumLoss();
}
