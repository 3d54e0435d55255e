import { errors } from '../../errors.js';
import type { Swarm } from '../../model/swarm.js';
import { DRILLS } from '../../../swarm/drills.js';

/** The simulator's practice drills (not the Engine API): incidents staged through the same socket. */

/** Runs one practice drill; answers what happened, in words for the status line. */
export function drill(swarm: Swarm, name: string, target: string): { message: string } {
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
    case 'lose-quorum': {
      const down = swarm.loseQuorum();
      return { message: `managers down: ${down.map((n) => n.hostname).join(', ')}; raft has no leader` };
    }
    case 'regain-quorum': {
      const back = swarm.regainQuorum();
      return { message: back.length ? `managers back: ${back.map((n) => n.hostname).join(', ')}` : 'every manager was already up' };
    }
    default:
      throw errors.badParameter(`unknown drill "${name}": ${DRILLS.join(', ')}`);
  }
}
