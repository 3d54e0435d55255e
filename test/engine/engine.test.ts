import { describe, test } from 'vitest';
import { engineBackend } from '../contract/backend.js';
import { defineContract } from '../contract/contract.js';
import { defineObjectsContract } from '../contract/objects.js';
import { defineSpecsContract } from '../contract/specs.js';
import { defineStackContract } from '../contract/stack-deploy.js';
import { defineVerbsContract } from '../contract/verbs.js';

const host = process.env.SWARMDECK_TEST_DOCKER_HOST;

if (host) {
  defineContract(`engine at ${host}`, async () => engineBackend(host));
  defineObjectsContract(`engine at ${host}`, async () => engineBackend(host));
  defineVerbsContract(`engine at ${host}`, async () => engineBackend(host));
  defineStackContract(`engine at ${host}`, async () => engineBackend(host));
  defineSpecsContract(`engine at ${host}`, async () => engineBackend(host));
} else {
  console.warn('SKIP: SWARMDECK_TEST_DOCKER_HOST is not set, so the engine contract suite did not run (see README: "The engine suite")');
  describe('the swarm contract (engine)', () => {
    test.skip('needs SWARMDECK_TEST_DOCKER_HOST: the DOCKER_HOST of a disposable swarm manager', () => {});
  });
}
