import type { SwarmClient } from '../docker/client.js';
import type { Change } from './change-line.js';
import { merge3, specChanges, type Conflict } from './merge.js';
import { equal, type JsonObject } from './merge-shape.js';

/**
 * The steps of an edit that talk to the swarm, apart from the screen: read the spec, and, when the
 * user has saved, settle what is to be written against the spec as it is now. The console's edit
 * flow and the merge property test both go through these.
 */

/** What is edited. */
export interface EditTarget {
  kind: 'service' | 'node';
  id: string;
}

/** A spec as read, with the version an update must name. */
export interface ReadSpec {
  spec: JsonObject;
  version: number;
}

/** Reads the object's Spec and version, fresh. */
export async function readSpec(client: SwarmClient, target: EditTarget): Promise<ReadSpec> {
  const object = target.kind === 'service' ? await client.inspectService(target.id) : await client.inspectNode(target.id);
  return { spec: object.Spec as unknown as JsonObject, version: object.Version.Index };
}

/**
 * What a saved edit comes to now:
 * - `write`: the spec to send at `version`; `changes` is exactly what it changes in the spec as it
 *   is now, `theirs` what others changed since the edit began; `moved` when the spec is not what
 *   the edit began from (a new version with the same spec is not: nothing to merge, nothing to ask);
 * - `conflicts`: both changed the same thing differently; nothing is to be sent. `partial` is the
 *   spec now with every change of the user's that does not conflict.
 */
export type Settled =
  | { write: JsonObject; version: number; now: ReadSpec; changes: Change[]; theirs: Change[]; moved: boolean }
  | { conflicts: Conflict[]; partial: JsonObject; now: ReadSpec; theirs: Change[] };

/** Reads the object again and merges the user's spec (`mine`, edited from `base` read at `version`) with what it is now. */
export async function settle(client: SwarmClient, target: EditTarget, base: JsonObject, version: number, mine: JsonObject): Promise<Settled> {
  const now = await readSpec(client, target);
  if (now.version === version || equal(base, now.spec))
    return { write: mine, version: now.version, now, changes: specChanges(base, mine), theirs: [], moved: false };
  const theirs = specChanges(base, now.spec);
  const merged = merge3(base, mine, now.spec);
  if ('conflicts' in merged) return { conflicts: merged.conflicts, partial: merged.partial, now, theirs };
  return { write: merged.spec, version: now.version, now, changes: specChanges(now.spec, merged.spec), theirs, moved: true };
}
