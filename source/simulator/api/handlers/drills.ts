import { errors } from '../../errors.js';
import type { Fleet } from '../../model/fleet.js';
import type { Swarm } from '../../model/swarm.js';
import { DRILLS } from '../../../swarm/drills.js';
import { crashLoop } from '../../model/drills.js';

/** The simulator's practice drills (not the Engine API): incidents staged through the same socket. */

/** Runs one practice drill; answers what happened, in words for the status line. */
export function drill(ctx: { swarm: Swarm; fleet: Fleet }, name: string, target: string): { message: string } {
  const swarm = ctx.swarm;
  const need = () => {
    if (!target) throw errors.badParameter(`drill ${name} needs ?target=`);
    return target;
  };
  switch (name) {
    case 'node-down':
      return { message: `${swarm.nodeDown(need()).hostname} is down: its tasks are being rescheduled` };
    case 'node-up':
      return { message: `${swarm.nodeUp(need()).hostname} is back` };
    case 'break-image': {
      const service = swarm.service(need());
      const image = String(service.spec.TaskTemplate?.ContainerSpec?.Image ?? '');
      swarm.breakImage(image);
      return { message: `${image} now fails to pull: force an update of ${service.spec.Name} to see it` };
    }
    case 'fix-image': {
      const service = swarm.service(need());
      const image = String(service.spec.TaskTemplate?.ContainerSpec?.Image ?? '');
      swarm.fixImage(image);
      return { message: `${image} pulls again` };
    }
    case 'crash-loop':
      return { message: `${crashLoop(swarm, need())} now exits 1 three seconds after each start: its restart policy restarts it` };
    case 'fix-crash':
      return { message: `${crashLoop(swarm, need(), false)} stays up again` };
    case 'lose-quorum': {
      const down = swarm.loseQuorum();
      return { message: `managers down: ${down.map((n) => n.hostname).join(', ')}; raft has no leader` };
    }
    case 'regain-quorum': {
      const back = swarm.regainQuorum();
      return { message: back.length ? `managers back: ${back.map((n) => n.hostname).join(', ')}` : 'every manager was already up' };
    }
    case 'restart-engine': {
      // An engine restart: with autolock on, a manager comes back locked until `docker swarm unlock`.
      const node = swarm.node(need());
      const engine = [...ctx.fleet.engines.values()].find((e) => e.nodeId === node.id);
      if (!engine) throw errors.badParameter(`node ${node.hostname} has no engine in this simulation`);
      ctx.fleet.restart(engine);
      return { message: engine.state === 'locked' ? `${node.hostname} restarted locked: run docker swarm unlock on it` : `${node.hostname} restarted` };
    }
    default:
      throw errors.badParameter(`unknown drill "${name}": ${DRILLS.join(', ')}`);
  }
}
