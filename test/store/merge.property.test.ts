import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { merge3, specChanges } from '../../source/store/merge.js';
import { equal } from '../../source/store/merge-shape.js';
import { applyChange, build, changeArb, expected, facts, modelArb, rest } from './merge-model.js';

// The three-way merge of an edit against an independent oracle (merge-model.ts): random specs,
// random edits by the user, random changes by someone else meanwhile.

describe('merge3', () => {
  test('property: every change of either side is in the result, or it is a conflict; nothing else changes', () => {
    const seen = { merged: 0, bothChanged: 0, conflicts: 0 };
    fc.assert(
      fc.property(modelArb, changeArb, changeArb, fc.boolean(), fc.boolean(), (base, myChange, theirChange, reverseMine, reverseTheirs) => {
        const mine = applyChange(base, myChange);
        const theirs = applyChange(base, theirChange);
        const want = expected(base, mine, theirs);
        const theirSpec = build(theirs, reverseTheirs);
        const result = merge3(build(base), build(mine, reverseMine), theirSpec);
        if ('conflicts' in result) {
          seen.conflicts++;
          expect(want.conflict, 'the merge found a conflict the oracle does not').toBe(true);
          expect(result.conflicts.length).toBeGreaterThan(0);
          return;
        }
        expect(want.conflict, 'the merge merged what the oracle calls a conflict').toBe(false);
        if (want.conflict) return;
        seen.merged++;
        if (!equal(mine, base) && !equal(theirs, base)) seen.bothChanged++;
        expect(facts(result.spec)).toEqual(want.facts);
        expect(rest(result.spec)).toEqual(rest(theirSpec));
        // The dialog lists the changes from the spec now to the merged one: none exactly when no fact differs (order in a keyed list is none).
        expect(specChanges(theirSpec, result.spec).length === 0).toBe(equal(facts(theirSpec), facts(result.spec)));
      }),
      { numRuns: 5000 },
    );
    // Not a property that passes by conflicting: most cases merge, many with both sides changed.
    expect(seen.merged).toBeGreaterThan(1500);
    expect(seen.bothChanged).toBeGreaterThan(1000);
    expect(seen.conflicts).toBeGreaterThan(100);
  });

  test('deleting B and C from Env while someone scales and appends an entry writes exactly the rest', () => {
    const spec = (env: string[], replicas: number) => ({ TaskTemplate: { ContainerSpec: { Env: env } }, Mode: { Replicated: { Replicas: replicas } } });
    const base = spec(['A=1', 'B=2', 'C=3', 'DB_PASSWORD=x'], 3);
    const result = merge3(base, spec(['A=1', 'DB_PASSWORD=x'], 3), spec(['A=1', 'B=2', 'C=3', 'DB_PASSWORD=x', 'NEW=1'], 5));
    expect(result).toEqual({ spec: spec(['A=1', 'DB_PASSWORD=x', 'NEW=1'], 5) });
  });

  test('ordered lists changed on both sides, and one variable set to two values, are conflicts with both sides', () => {
    const spec = (args: string[], env: string[]) => ({ TaskTemplate: { ContainerSpec: { Args: args, Env: env } } });
    const result = merge3(spec(['a'], ['X=1']), spec(['a', 'b'], ['X=2']), spec(['c', 'a'], ['X=3']));
    expect('conflicts' in result && result.conflicts).toEqual([
      { path: 'TaskTemplate.ContainerSpec.Args', base: ['a'], mine: ['a', 'b'], theirs: ['c', 'a'] },
      { path: 'TaskTemplate.ContainerSpec.Env[X]', base: 'X=1', mine: 'X=2', theirs: 'X=3' },
    ]);
  });

  test('mounts by target, ports by published port, secrets by target: entries both sides touched merge field by field', () => {
    const spec = (ro: boolean | undefined, source: string, secrets: string[], ports: number[]) => ({
      TaskTemplate: {
        ContainerSpec: {
          Mounts: [{ Type: 'volume', Source: source, Target: '/data', ...(ro === undefined ? {} : { ReadOnly: ro }) }],
          Secrets: secrets.map((s) => ({ SecretID: s, SecretName: s, File: { Name: s } })),
        },
      },
      EndpointSpec: { Ports: ports.map((p) => ({ Protocol: 'tcp', PublishedPort: p, TargetPort: 80 })) },
    });
    const result = merge3(spec(undefined, 'v1', ['a'], [80]), spec(true, 'v1', ['a', 'b'], [80, 81]), spec(undefined, 'v2', ['c', 'a'], [82, 80]));
    expect(result).toEqual({ spec: spec(true, 'v2', ['c', 'a', 'b'], [82, 80, 81]) });
  });
});
