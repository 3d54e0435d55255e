import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { defineNodeEnginesContract } from '../contract/node-engines.js';
import { host, image, nodesDir, sockets } from '../helpers/realswarm-nodes.js';

// The node-engines contract on a real swarm: each realswarm node has its own socket beside the
// manager's (…/nodes/NAME/docker.sock), mapped by --node-host and, separately, by docker contexts.

if (host && sockets.length > 0) {
  defineNodeEnginesContract('real swarm, --node-host', async () => ({
    manager: parseHost(host!, {}, undefined),
    docker: new Docker({ socketPath: host!.slice(7) }),
    map: new Map(sockets.map((name) => [name, `unix://${join(nodesDir!, name, 'docker.sock')}`])),
    image,
    source: 'map',
    close: async () => undefined,
  }));
  defineNodeEnginesContract('real swarm, contexts', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'swarmdeck-contexts-'));
    for (const name of sockets) {
      const meta = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
      mkdirSync(meta, { recursive: true });
      writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: `unix://${join(nodesDir!, name, 'docker.sock')}` } } }));
    }
    return {
      manager: parseHost(host!, {}, undefined),
      docker: new Docker({ socketPath: host!.slice(7) }),
      configDir,
      image,
      source: 'context',
      close: async () => rmSync(configDir, { recursive: true, force: true }),
    };
  });
} else {
  console.warn('SKIP: node engines need SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket (its nodes sockets beside it)');
  describe('node engines (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST at a realswarm manager socket', () => {});
  });
}
