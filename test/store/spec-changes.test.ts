import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { noteEvents, noteListing, specChanges } from '../../source/store/spec-changes.js';

// The fields a spec change names, checked against an oracle that needs no diff: writing each change's
// "after" at its path into the spec before gives the spec after (maps left empty aside).
const key = fc.constantFrom('Name', 'Labels', 'Args', 'Env', 'Image', 'Placement', 'Constraints', 'a', 'b');
const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.boolean());
const spec = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 3 }), tie('map')),
  map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
})).map;

/** Drops maps left empty, recursively: an absent map and an empty one say the same. */
function pruned(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = pruned(v);
    if (p !== undefined && !(p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0)) out[k] = p;
  }
  return out;
}

function applied(before: Record<string, unknown>, changes: ReturnType<typeof specChanges>): unknown {
  const out = structuredClone(before) as Record<string, any>;
  for (const change of changes) {
    const path = change.path.split('.');
    let at = out;
    for (const k of path.slice(0, -1)) {
      if (!at[k] || typeof at[k] !== 'object' || Array.isArray(at[k])) at[k] = {};
      at = at[k];
    }
    if (change.after === undefined) delete at[path.at(-1)!];
    else at[path.at(-1)!] = structuredClone(change.after);
  }
  return out;
}

describe('specChanges', () => {
  test('the changes, applied to the spec before, give the spec after; no change names an unchanged field', () => {
    fc.assert(
      fc.property(spec, spec, (before, after) => {
        const changes = specChanges(before, after);
        expect(pruned(applied(before, changes))).toEqual(pruned(after));
        for (const c of changes) expect(JSON.stringify(c.before)).not.toBe(JSON.stringify(c.after));
        expect(specChanges(before, structuredClone(before))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test('a list is one change, as a whole; a label is one change by its key', () => {
    const changes = specChanges(
      { Labels: { 'com.x': '1' }, TaskTemplate: { ContainerSpec: { Args: ['a', 'b'] } } },
      { Labels: { 'com.x': '2', gpu: 'true' }, TaskTemplate: { ContainerSpec: { Args: ['a', 'c'] }, Placement: { Constraints: ['node.role==worker'] } } },
    );
    expect(changes).toEqual([
      { path: 'Labels.com.x', before: '1', after: '2' },
      { path: 'Labels.gpu', before: undefined, after: 'true' },
      { path: 'TaskTemplate.ContainerSpec.Args', before: ['a', 'b'], after: ['a', 'c'] },
      { path: 'TaskTemplate.Placement.Constraints', before: undefined, after: ['node.role==worker'] },
    ]);
  });
});

describe('matching a change with its event', () => {
  const event = (ms: number, attributes: Record<string, string> = { name: 'web' }) => ({
    Type: 'service',
    Action: 'update',
    Actor: { ID: 's1', Attributes: attributes },
    timeNano: ms * 1e6,
  });
  const version = (index: number, at: number, args: string[]) => ({
    ID: 's1',
    Version: { Index: index },
    UpdatedAt: new Date(at).toISOString(),
    Spec: { TaskTemplate: { ContainerSpec: { Args: args } } },
  });

  test('the event first, then the listing: the change goes on the event, not on the rollout progress after it', () => {
    const state = noteEvents({ events: [], pendingSpecChanges: [] }, [event(2000), event(2001, { name: 'web', 'updatestate.new': 'updating' })]);
    const next = noteListing(state, 'service', [version(1, 1000, ['a'])], [version(3, 2001, ['b'])]);
    expect(next.events[0].specChanges).toEqual([{ path: 'TaskTemplate.ContainerSpec.Args', before: ['a'], after: ['b'] }]);
    expect(next.events[1].specChanges).toBeUndefined();
    expect(next.pendingSpecChanges).toEqual([]);
  });

  test('the listing first, then the event: the change waits for it; an event from before the last version seen does not take it', () => {
    const state = noteListing({ events: [event(500)], pendingSpecChanges: [] }, 'service', [version(1, 1000, ['a'])], [version(2, 2000, ['b'])]);
    expect(state.events[0].specChanges).toBeUndefined();
    expect(state.pendingSpecChanges).toHaveLength(1);
    const next = noteEvents(state, [event(2000)]);
    expect(next.events[1].specChanges).toEqual([{ path: 'TaskTemplate.ContainerSpec.Args', before: ['a'], after: ['b'] }]);
    expect(next.pendingSpecChanges).toEqual([]);
  });

  test('the first listing has nothing to compare with: no change is made up', () => {
    const state = noteListing({ events: [event(2000)], pendingSpecChanges: [] }, 'service', [], [version(2, 2000, ['b'])]);
    expect(state.events[0].specChanges).toBeUndefined();
    expect(state.pendingSpecChanges).toEqual([]);
  });
});
