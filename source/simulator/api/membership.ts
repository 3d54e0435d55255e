import { errors } from '../errors.js';
import { membershipErrors, type EngineRecord } from '../model/fleet.js';
import type { Swarm } from '../model/swarm.js';

/** What an engine may do given its place in a swarm: the refusals dockerd gives before a manager-only route runs. */

/** The engine's node, or undefined when it is not (or no longer) in a swarm; a node removed by force sends its engine out. */
export function nodeOf(engine: EngineRecord) {
  if (!engine.swarm || !engine.nodeId) return undefined;
  const node = engine.swarm.nodes.get(engine.nodeId);
  if (!node) {
    // `docker node rm --force` of this engine's node: the engine finds itself out of the swarm, as a real one does.
    engine.swarm = undefined;
    engine.nodeId = undefined;
    engine.state = 'inactive';
  }
  return node;
}

/** The swarm when this engine is an unlocked manager of it. */
export function managerOf(engine: EngineRecord): Swarm | undefined {
  const node = nodeOf(engine);
  return node && engine.state === 'active' && node.spec.Role === 'manager' ? engine.swarm : undefined;
}

/** The swarm this engine manages, or dockerd's refusal: locked, not in a swarm, or a worker. */
export function requireManager(engine: EngineRecord): Swarm {
  const node = nodeOf(engine);
  if (engine.state === 'locked') throw membershipErrors.locked();
  if (!node || engine.state !== 'active') throw errors.notManagerInactive();
  if (node.spec.Role !== 'manager') throw errors.notManagerWorker();
  return engine.swarm!;
}
