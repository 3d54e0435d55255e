import { errors } from '../../errors.js';
import type { Fleet } from '../../model/fleet.js';
import type { Swarm } from '../../model/swarm.js';
import { DRILLS } from '../../../swarm/drills.js';
import { crashLoop } from '../../model/drills.js';
import { LEAK_TO_LIMIT, setHog, setLeak } from '../../model/runtime.js';

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
    case 'memory-leak':
    case 'fix-leak': {
      const service = swarm.service(need());
      setLeak(swarm, service.id, name === 'memory-leak');
      for (const task of swarm.tasksOf(service.id)) swarm.wake(task);
      swarm.settle();
      return {
        message:
          name === 'memory-leak'
            ? `${service.spec.Name} now leaks memory: each container reaches its limit ${LEAK_TO_LIMIT / 1000} s after it starts and is OOM-killed (exit 137)`
            : `${service.spec.Name} no longer leaks`,
      };
    }
    case 'cpu-hog':
    case 'fix-hog': {
      const service = swarm.service(need());
      setHog(swarm, service.id, name === 'cpu-hog');
      return { message: name === 'cpu-hog' ? `${service.spec.Name} now uses all the CPU its limit allows` : `${service.spec.Name} is back to its usual CPU` };
    }
    default:
      throw errors.badParameter(`unknown drill "${name}": ${DRILLS.join(', ')}`);
  }
}
