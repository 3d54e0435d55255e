import type { SwarmEvent } from '../docker/types.js';
import type { Change } from './change-line.js';

/**
 * What an update event changed, when the event does not say. dockerd's update events name only a
 * few fields (a service's image and replicas, a node's availability and role); a label, args or
 * placement update carries the name alone. The console holds each service's and node's spec: when
 * a listing brings a new version, the spec before and the spec after are compared and the fields
 * that differ are put on the update event they came with. The event may come before the listing
 * (the usual order: the event makes the console list again) or after it (a poll saw it first): a
 * change not yet matched waits for its event. Pure: the reducer calls these.
 */

/** An event of the timeline, with the fields the console saw change in the object's spec. */
export interface TimelineEvent extends SwarmEvent {
  specChanges?: Change[];
  /** What the console says of an event it learnt of some other way than the manager's stream (an OOM kill: see OomProbe). */
  note?: string;
}

/** A spec change seen in a listing whose update event has not arrived yet. */
export interface PendingChange {
  type: 'service' | 'node';
  actor: string;
  changes: Change[];
  /** The engine's times (ms) of the version before and of the one after: the event is between them. */
  from: number;
  to: number;
}

/** A service or node as listed: what the comparison reads. */
interface Versioned {
  ID: string;
  Version?: { Index?: number };
  UpdatedAt?: string;
  Spec?: unknown;
}

/** The timeline, and changes waiting for their events. */
export interface SpecChangeState {
  events: TimelineEvent[];
  pendingSpecChanges: PendingChange[];
}

/** How late an event may come after the write it reports (clock steps between the listing and the event). */
const SLACK_MS = 5000;

/** Attributes that report the object's status, not its spec (a rollout's progress, a node's state). */
const STATUS_ONLY = new Set(['updatestate', 'state']);

/** When an event happened, in ms of the engine's clock. */
export const eventMs = (e: SwarmEvent) => (e.timeNano !== undefined ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000);

/** An update event that may report a spec change (not one that only reports a rollout's or a node's state). */
function specEvent(e: SwarmEvent, type: string, actor?: string): boolean {
  if (e.Type !== type || e.Action !== 'update' || (actor !== undefined && e.Actor.ID !== actor)) return false;
  const fields = Object.keys(e.Actor.Attributes ?? {})
    .filter((k) => k.endsWith('.new'))
    .map((k) => k.slice(0, -4));
  return fields.length === 0 || fields.some((f) => !STATUS_ONLY.has(f));
}

const valueAt = (object: unknown, path: string[]) =>
  path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), object);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of two values read from JSON (the order of a map's keys does not matter, a list's does). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return false;
}

/**
 * The fields that differ between two specs, each as a whole: a list (args, env, constraints) as the
 * list, a label as its key, anything else as the value that changed; a map that appears or goes
 * (Placement where there was none) as the fields in it.
 */
export function specChanges(before: unknown, after: unknown): Change[] {
  const out: Change[] = [];
  const walk = (path: string[]) => {
    const b = path.length ? valueAt(before, path) : before;
    const a = path.length ? valueAt(after, path) : after;
    if (same(a, b)) return;
    const label = path.length >= 2 && path[path.length - 2] === 'Labels';
    if (!label && (isMap(a) || a === undefined) && (isMap(b) || b === undefined)) {
      for (const key of new Set([...Object.keys(isMap(b) ? b : {}), ...Object.keys(isMap(a) ? a : {})])) walk([...path, key]);
      return;
    }
    out.push({ path: path.join('.'), before: b, after: a });
  };
  walk([]);
  return out;
}

/** Puts a change on an event of the timeline (a new array, so that views built from it are built again). */
function attach(events: TimelineEvent[], index: number, changes: Change[]): TimelineEvent[] {
  const next = events.slice();
  next[index] = { ...events[index], specChanges: changes };
  return next;
}

/** A listing of services or nodes came: the new versions' spec changes go on their update events, or wait for them. */
export function noteListing(state: SpecChangeState, type: 'service' | 'node', previous: Versioned[], next: Versioned[]): SpecChangeState {
  let { events, pendingSpecChanges: pending } = state;
  if (previous.length === 0) return state;
  const before = new Map(previous.map((o) => [o.ID, o]));
  for (const object of next) {
    const old = before.get(object.ID);
    if (!old || (object.Version?.Index ?? 0) <= (old.Version?.Index ?? 0)) continue;
    const changes = specChanges(old.Spec, object.Spec);
    if (changes.length === 0) continue;
    const from = Date.parse(old.UpdatedAt ?? '') || 0;
    const to = Date.parse(object.UpdatedAt ?? '') || Number.MAX_SAFE_INTEGER;
    // The first update event since the version before that has no change on it yet (a rollout's progress events come after it).
    const index = events.findIndex((e) => !e.specChanges && specEvent(e, type, object.ID) && eventMs(e) >= from && eventMs(e) <= to + SLACK_MS);
    if (index >= 0) events = attach(events, index, changes);
    // (Bounded: a change whose event never comes, as when the stream was lost, is not kept for ever.)
    else pending = [...pending.filter((p) => p.actor !== object.ID), { type, actor: object.ID, changes, from, to }].slice(-100);
  }
  return events === state.events && pending === state.pendingSpecChanges ? state : { events, pendingSpecChanges: pending };
}

/** Events came: an update event a listing's change was waiting for takes it. */
export function noteEvents(state: SpecChangeState, added: SwarmEvent[]): SpecChangeState {
  let events: TimelineEvent[] = state.events.concat(added);
  let pending = state.pendingSpecChanges;
  for (const waiting of state.pendingSpecChanges) {
    const at = events.length - added.length;
    const offset = added.findIndex((e) => specEvent(e, waiting.type, waiting.actor) && eventMs(e) >= waiting.from && eventMs(e) <= waiting.to + SLACK_MS);
    if (offset < 0) continue;
    events = attach(events, at + offset, waiting.changes);
    pending = pending.filter((p) => p !== waiting);
  }
  return { events, pendingSpecChanges: pending };
}
