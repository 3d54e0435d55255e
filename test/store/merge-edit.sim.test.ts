import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { SwarmClient } from '../../source/docker/client.js';
import { CHANGE_VERBS } from '../../source/store/change-verbs.js';
import { readSpec, settle } from '../../source/store/merge-edit.js';
import { specChanges } from '../../source/store/merge.js';
import { parseEdited, specToYaml } from '../../source/store/spec-edit.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';
import { applyChange, build, changeArb, expected, facts, modelArb, rest, type Model } from './merge-model.js';

// The merge property through the console's own edit path against the simulator, over its socket
// with dockerode: read the spec (readSpec), the user's text through the editor's YAML
// (specToYaml, parseEdited), someone else's update meanwhile, then settle (read again and merge)
// and send as the edit verb does; what the swarm then holds is checked against the oracle.

let swarm: TestSwarm;
let client: SwarmClient;
beforeAll(async () => {
  swarm = await startTestSwarm({ scenario: 'tutorial' });
  client = new SwarmClient({ ...parseHost(swarm.sim.host, {}, undefined), label: 'sim' });
});
afterAll(() => swarm?.close());

/** The spec as read, with the modelled fields set as the model says (the rest as the swarm has it). */
function overlay(read: Record<string, any>, model: Model, reverse = false): Record<string, unknown> {
  const want = build(model, reverse) as Record<string, any>;
  const spec = structuredClone(read);
  spec.Labels = want.Labels;
  spec.Mode = want.Mode;
  spec.EndpointSpec = { ...spec.EndpointSpec, Ports: want.EndpointSpec.Ports };
  spec.TaskTemplate = { ...spec.TaskTemplate, Placement: { ...spec.TaskTemplate?.Placement, Constraints: want.TaskTemplate.Placement.Constraints } };
  const container = { ...spec.TaskTemplate.ContainerSpec, ...want.TaskTemplate.ContainerSpec };
  if (want.TaskTemplate.ContainerSpec.Args === undefined) delete container.Args;
  spec.TaskTemplate.ContainerSpec = container;
  return spec;
}

let n = 0;
describe('an edit through the console path against the simulator', () => {
  test('property: what the swarm holds after the edit has every change of both sides, or nothing was sent', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, changeArb, changeArb, fc.boolean(), fc.boolean(), async (base, myChange, theirChange, reverse, touch) => {
        const mine = applyChange(base, myChange);
        const theirs = applyChange(base, theirChange);
        const want = expected(base, mine, theirs);
        const id = await client.createService({ ...build(base), Name: `merge-${n++}` } as never);
        // Each case's service is named after the case, and removed after it: ports stay free.
        const target = { kind: 'service' as const, id };
        try {
          const start = await readSpec(client, target);
          const saved = parseEdited(specToYaml(overlay(start.spec, mine, reverse), 'the Spec of service svc'));
          if ('error' in saved) throw new Error(saved.error);
          // Someone else's change meanwhile; when theirs is the base, either none or an update that changes nothing but the version.
          if (touch || JSON.stringify(theirs) !== JSON.stringify(base))
            await swarm.docker.getService(id).update({ ...overlay(start.spec, theirs), version: start.version });
          const now = await readSpec(client, target);
          let settled = await settle(client, target, start.spec, start.version, saved.spec);
          if ('conflicts' in settled) {
            expect(want.conflict, 'the edit found a conflict the oracle does not').toBe(true);
            expect((await readSpec(client, target)).version, 'nothing is sent on a conflict').toBe(now.version);
            return;
          }
          expect(want.conflict, 'the edit merged what the oracle calls a conflict').toBe(false);
          if (want.conflict) return;
          // As y in the merged dialog: settled again from the spec it was merged with, then sent.
          if (settled.moved) settled = await settle(client, target, settled.now.spec, settled.version, settled.write);
          if ('conflicts' in settled) throw new Error('a merge conflicts with itself');
          if (settled.changes.length > 0)
            await CHANGE_VERBS.edit.send(client, {
              verb: 'edit',
              kind: 'service',
              object: { id, name: 'svc' },
              version: settled.version,
              spec: settled.write,
              summary: '',
            });
          const after = await readSpec(client, target);
          expect(facts(after.spec)).toEqual(want.facts);
          expect(rest(after.spec)).toEqual(rest(now.spec));
          // The dialog listed exactly what was written.
          expect(specChanges(now.spec, after.spec)).toEqual(settled.changes);
        } finally {
          await client.removeService(id);
        }
      }),
      { numRuns: 200 },
    );
  });
});
