import { describe, test } from 'vitest';
import { engineSparePair } from '../contract/backend.js';
import { defineLifecycleContract } from '../contract/lifecycle.js';

// Two spare real engines (CI brings up a second realswarm and takes its nodes out of their swarm).
const spare = process.env.SWARMDECK_TEST_SPARE;

if (spare) {
  defineLifecycleContract(`spare engines ${spare}`, () => engineSparePair(spare));
} else {
  console.warn('SKIP: SWARMDECK_TEST_SPARE is not set, so the swarm init/join/leave contract did not run against real engines');
  describe('a swarm from init to leave (engine)', () => {
    test.skip('needs SWARMDECK_TEST_SPARE: two spare engines, "DOCKER_HOST=ADDR,DOCKER_HOST=ADDR"', () => {});
  });
}
