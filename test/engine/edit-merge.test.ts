import { describe, test } from 'vitest';
import { editMergeProperty } from '../store/merge-edit-property.js';

// The merge property through the console's edit path against a real manager: what dockerd
// stores (its defaults, its omitted empty fields) must not turn a merge into a wrong write.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;

describe.skipIf(!host)('an edit through the console path against a real manager', () => {
  test('property: what the swarm holds after the edit has every change of both sides, or nothing was sent', () => editMergeProperty(host!, 100));
});
