import fc from 'fast-check';
import { expect } from 'vitest';
import { parseHost } from '../../source/docker/connection.js';
import { SwarmClient } from '../../source/docker/client.js';
import { CHANGE_VERBS } from '../../source/store/change-verbs.js';
import { readSpec, settle } from '../../source/store/merge-edit.js';
import { specChanges } from '../../source/store/merge.js';
import { parseEdited, specToYaml } from '../../source/store/spec-edit.js';
import { applyChange, build, changeArb, expected, facts, modelArb, rest, type Model } from './merge-model.js';

/**
 * The merge property through the console's own edit path against a manager (the simulator, or a
 * real one in the engine suite), over its socket with dockerode: read the spec (readSpec), the
 * user's text through the editor's YAML (specToYaml, parseEdited), someone else's update
 * meanwhile from another client, then settle (read again and merge) and send as the edit verb
 * does; what the swarm then holds is checked against the oracle (merge-model.ts).
 */

/** Sets a field; an empty list or mapping is left out, as dockerd leaves most out (omitempty) and as a user would delete it. */
function put(on: Record<string, any>, key: string, value: unknown) {
  const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : v && typeof v === 'object' && Object.keys(v).length === 0);
  // dockerd answers some empty ones all the same (Labels: {}): those stay as read.
  if (isEmpty(value) && isEmpty(on[key])) return;
  if (value === undefined || isEmpty(value)) delete on[key];
  else on[key] = value;
}

/** The spec as read, with the modelled fields set as the model says (the rest as the swarm has it). */
function overlay(read: Record<string, any>, model: Model, reverse = false): Record<string, unknown> {
  const want = build(model, reverse) as Record<string, any>;
  const spec = structuredClone(read);
  put(spec, 'Labels', want.Labels);
  spec.Mode = want.Mode;
  spec.EndpointSpec ??= {};
  put(spec.EndpointSpec, 'Ports', want.EndpointSpec.Ports);
  spec.TaskTemplate.Placement ??= {};
  put(spec.TaskTemplate.Placement, 'Constraints', want.TaskTemplate.Placement.Constraints);
  for (const [key, value] of Object.entries(want.TaskTemplate.ContainerSpec)) put(spec.TaskTemplate.ContainerSpec, key, value);
  if (want.TaskTemplate.ContainerSpec.Args === undefined) delete spec.TaskTemplate.ContainerSpec.Args;
  return spec;
}

let n = 0;

/** Runs the property `runs` times against the manager at `host`. */
export function editMergeProperty(host: string, runs: number): Promise<void> {
  const client = new SwarmClient({ ...parseHost(host, {}, undefined), label: 'edit' });
  const other = new SwarmClient({ ...parseHost(host, {}, undefined), label: 'someone else' });
  return fc.assert(
    fc.asyncProperty(modelArb, changeArb, changeArb, fc.boolean(), fc.boolean(), async (base, myChange, theirChange, reverse, touch) => {
      const mine = applyChange(base, myChange);
      const theirs = applyChange(base, theirChange);
      const want = expected(base, mine, theirs);
      const id = await client.createService({ ...build(base), Name: `merge-${process.pid}-${n++}` } as never);
      // Each case's service is named after the case, and removed after it: ports stay free.
      const target = { kind: 'service' as const, id };
      try {
        const start = await readSpec(client, target);
        const saved = parseEdited(specToYaml(overlay(start.spec, mine, reverse), 'the Spec of service svc'));
        if ('error' in saved) throw new Error(saved.error);
        // Someone else's change meanwhile; when theirs is the base, either none or an update that changes nothing but the version.
        if (touch || JSON.stringify(theirs) !== JSON.stringify(base)) {
          // (At the version as it is: dockerd moves it by itself as the service's creation completes.)
          for (let attempts = 0; ; attempts++) {
            const { version } = await readSpec(other, target);
            try {
              await other.replaceServiceSpec(id, version, overlay(start.spec, theirs) as never);
              break;
            } catch (error) {
              if (!/out of sequence/.test((error as Error).message) || attempts > 3) throw error;
            }
          }
        }
        const now = await readSpec(client, target);
        let settled = await settle(client, target, start.spec, start.version, saved.spec);
        if ('conflicts' in settled) {
          expect(want.conflict, `the edit found a conflict the oracle does not: ${JSON.stringify(settled.conflicts)}`).toBe(true);
          // (dockerd moves the version by itself as an update completes: the spec is what is compared.)
          expect((await readSpec(client, target)).spec, 'nothing is sent on a conflict').toEqual(now.spec);
          return;
        }
        expect(want.conflict, 'the edit merged what the oracle calls a conflict').toBe(false);
        if (want.conflict) return;
        // As y in the merged dialog: settled again from the spec it was merged with, then sent. dockerd
        // moving the version by itself meanwhile (an update completing) is settled again the same way.
        for (let attempts = 0; ;) {
          if ('conflicts' in settled) throw new Error('a merge conflicts with itself');
          if (!settled.moved) {
            if (settled.changes.length === 0) break;
            try {
              await CHANGE_VERBS.edit.send(client, {
                verb: 'edit',
                kind: 'service',
                object: { id, name: 'svc' },
                version: settled.version,
                spec: settled.write,
                summary: '',
              });
              break;
            } catch (error) {
              if (!/out of sequence/.test((error as Error).message) || ++attempts > 3) throw error;
            }
          }
          settled = await settle(client, target, settled.now.spec, settled.now.version, settled.write);
        }
        const after = await readSpec(client, target);
        expect(facts(after.spec)).toEqual(want.facts);
        expect(rest(after.spec)).toEqual(rest(now.spec));
        // The dialog listed exactly what was written.
        expect(specChanges(settled.now.spec, after.spec)).toEqual(settled.changes);
      } finally {
        await client.removeService(id);
      }
    }),
    // FC_SEED and FC_PATH replay a failure fast-check reported (its seed and path).
    { numRuns: runs, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true } : {}) },
  );
}
