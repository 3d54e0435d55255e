import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';
import { editMergeProperty } from './merge-edit-property.js';

// The merge property through the console's edit path, against the simulator (the engine suite
// runs it against a real manager: test/engine/edit-merge.test.ts).

let swarm: TestSwarm;
beforeAll(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
});
afterAll(() => swarm?.close());

describe('an edit through the console path against the simulator', () => {
  test('property: what the swarm holds after the edit has every change of both sides, or nothing was sent', () => editMergeProperty(swarm.sim.host, 200));
});
