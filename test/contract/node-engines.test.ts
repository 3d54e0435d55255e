import Docker from 'dockerode';
import { parseHost } from '../../source/docker/connection.js';
import { startSimulator } from '../../source/simulator/server.js';
import { defineNodeEnginesContract } from './node-engines.js';

// The node-engines contract on the simulator: reached with no configuration, through its directory of engines.
defineNodeEnginesContract('simulator', async () => {
  const sim = await startSimulator({ scenario: 'empty', clock: 'real' });
  sim.swarm.addNode({ hostname: 'worker1', role: 'worker' });
  sim.swarm.addNode({ hostname: 'worker2', role: 'worker' });
  return {
    manager: parseHost(sim.host, {}, undefined),
    docker: new Docker({ socketPath: sim.socketPath }),
    image: 'busybox:1',
    source: 'simulator',
    close: () => sim.close(),
  };
});
