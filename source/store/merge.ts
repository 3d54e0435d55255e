import type { Change } from './change-line.js';
import { arrayKind, byKey, equal, isObject, keyLabel, mapLike, type JsonObject } from './merge-shape.js';

/**
 * The three-way merge of an edit with a change made meanwhile: base (the spec read when the edit
 * began), mine (what the user saved) and theirs (the spec now). A field only one side changed takes
 * that side's value; mappings merge field by field; arrays that are sets or keyed (Env by name,
 * Mounts by target, Ports by published port, ...) merge entry by entry; anything both sides changed
 * differently (a field, an env variable, an ordered list such as Args) is a conflict, and then
 * nothing is to be written. Pure.
 */

/** A place both sides changed differently: its path and the three values (undefined: absent). */
export interface Conflict {
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

/**
 * The merged spec; or the conflicts, with `partial`: theirs with every change of mine that does
 * not conflict (what the user can edit again from).
 */
export type MergeResult = { spec: JsonObject } | { conflicts: Conflict[]; partial: JsonObject };

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Merges one value; conflicts are pushed to `out` and answered with theirs. */
function mergeAt(shape: string, path: string, base: unknown, mine: unknown, theirs: unknown, out: Conflict[], entry = false): unknown {
  if (equal(mine, theirs)) return clone(mine);
  if (equal(base, mine)) return clone(theirs);
  if (equal(base, theirs)) return clone(mine);
  // Both changed it, differently: only containers of the same kind on both sides can still merge.
  // A set, a keyed list or a map of names that is absent is an empty one (dockerd leaves empty ones out):
  // a side that removed the last constraint and a side that added one merge; a struct removed whole does not.
  // (An entry of a keyed list shares the list's shape: an entry removed is removed, not empty.)
  const loose = !entry && (arrayKind(shape).kind === 'keyed' || mapLike(shape));
  const three = [base, mine, theirs];
  if (three.every((v) => isObject(v) || (v === undefined && (loose || v === base))) && (isObject(mine) || isObject(theirs))) {
    const merged = mergeObject(shape, path, (base ?? {}) as JsonObject, (mine ?? {}) as JsonObject, (theirs ?? {}) as JsonObject, out);
    return Object.keys(merged).length === 0 && theirs === undefined ? undefined : merged;
  }
  if (three.every((v) => Array.isArray(v) || (v === undefined && (loose || v === base))) && (Array.isArray(mine) || Array.isArray(theirs))) {
    const merged = mergeArray(shape, path, (base ?? []) as unknown[], (mine ?? []) as unknown[], (theirs ?? []) as unknown[], out);
    if (merged) return merged.length === 0 && theirs === undefined ? undefined : merged;
  }
  out.push({ path, base, mine, theirs });
  return clone(theirs);
}

function mergeObject(shape: string, path: string, base: JsonObject, mine: JsonObject, theirs: JsonObject, out: Conflict[]): JsonObject {
  const result: JsonObject = {};
  const keys = new Set([...Object.keys(theirs), ...Object.keys(mine), ...Object.keys(base)]);
  for (const key of keys) {
    const value = mergeAt(join(shape, key), join(path, key), base[key], mine[key], theirs[key], out);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * Merges an array entry by entry when it is a set or keyed and every side's entries have distinct
 * keys: theirs' order, with the entries only mine added after them in mine's order. Undefined for
 * an ordered list (or one whose keys repeat): both changed it, so it is a conflict.
 */
function mergeArray(shape: string, path: string, base: unknown[], mine: unknown[], theirs: unknown[], out: Conflict[]): unknown[] | undefined {
  const kind = arrayKind(shape);
  if (kind.kind !== 'keyed') return undefined;
  const [b, m, t] = [byKey(base, kind.key), byKey(mine, kind.key), byKey(theirs, kind.key)];
  if (!b || !m || !t) return undefined;
  const result: unknown[] = [];
  const at = (key: string) => (kind.set ? path : `${path}[${keyLabel(key)}]`);
  for (const [key, entry] of t) {
    const value = mergeAt(shape, at(key), b.get(key), m.get(key), entry, out, true);
    if (value !== undefined) result.push(value);
  }
  for (const [key, entry] of m) {
    if (t.has(key)) continue;
    const value = mergeAt(shape, at(key), b.get(key), entry, undefined, out, true);
    if (value !== undefined) result.push(value);
  }
  return result;
}

/** The three-way merge of a spec: the merged spec, or the conflicts (and what merged without them). */
export function merge3(base: JsonObject, mine: JsonObject, theirs: JsonObject): MergeResult {
  const conflicts: Conflict[] = [];
  const merged = mergeObject('', '', base, mine, theirs, conflicts);
  return conflicts.length > 0 ? { conflicts, partial: merged } : { spec: merged };
}

/**
 * The changes from one spec to another as the merge sees them: mappings field by field, keyed
 * arrays entry by entry (`Env[NAME]`, `Mounts[/data]`), sets as entries added and removed, ordered
 * lists whole. What the edit dialogs list.
 */
export function specChanges(before: unknown, after: unknown): Change[] {
  const out: Change[] = [];
  diffAt('', '', before, after, out);
  return out;
}

function diffAt(shape: string, path: string, before: unknown, after: unknown, out: Change[], entry = false): void {
  // As in the merge: an absent set, keyed list or map of names is an empty one (removing the last label is `- Labels.a`).
  if (!entry && (arrayKind(shape).kind === 'keyed' || mapLike(shape))) {
    const empty = (other: unknown) => (Array.isArray(other) ? [] : isObject(other) ? {} : undefined);
    if (before === undefined) before = empty(after);
    if (after === undefined) after = empty(before);
  }
  if (equal(before, after)) return;
  if (isObject(before) && isObject(after)) {
    // Keys the new side adds come in name order: the same changes list the same way whatever order
    // the YAML the user saved or the engine's answer had them in.
    const added = Object.keys(after)
      .filter((key) => !(key in before))
      .sort();
    for (const key of [...Object.keys(before), ...added]) diffAt(join(shape, key), join(path, key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const kind = arrayKind(shape);
    const [b, a] = kind.kind === 'keyed' ? [byKey(before, kind.key), byKey(after, kind.key)] : [];
    if (kind.kind === 'keyed' && b && a) {
      const at = (key: string) => (kind.set ? path : `${path}[${keyLabel(key)}]`);
      for (const [key, item] of b) diffAt(shape, at(key), item, a.get(key), out, true);
      for (const [key, item] of a) if (!b.has(key)) diffAt(shape, at(key), undefined, item, out, true);
      return;
    }
  }
  out.push({ path, before, after });
}
