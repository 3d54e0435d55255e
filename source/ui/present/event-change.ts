import type { Change } from '../../store/change-line.js';
import type { TimelineEvent } from '../../store/spec-changes.js';
import { maskChangeValue } from './diff.js';

/** Fields by their Engine API path, as the CHANGE column names them; lists marked `set` show what was added and removed. */
const FIELDS: Record<string, { name: string; set?: boolean }> = {
  'TaskTemplate.ContainerSpec.Image': { name: 'image' },
  'TaskTemplate.ContainerSpec.Args': { name: 'args' },
  'TaskTemplate.ContainerSpec.Command': { name: 'command' },
  'TaskTemplate.ContainerSpec.Env': { name: 'env', set: true },
  'TaskTemplate.Placement.Constraints': { name: 'placement', set: true },
  'TaskTemplate.Placement.Preferences': { name: 'placement preferences', set: true },
  'TaskTemplate.Placement.MaxReplicas': { name: 'max replicas per node' },
  'TaskTemplate.Networks': { name: 'networks', set: true },
  'TaskTemplate.ContainerSpec.Secrets': { name: 'secrets', set: true },
  'TaskTemplate.ContainerSpec.Configs': { name: 'configs', set: true },
  'TaskTemplate.ContainerSpec.Mounts': { name: 'mounts', set: true },
  'EndpointSpec.Ports': { name: 'ports', set: true },
  'Mode.Replicated.Replicas': { name: 'replicas' },
  Availability: { name: 'availability' },
  Role: { name: 'role' },
};

/** The attributes dockerd puts on an update event, by the field they report: not said twice. */
const SAID_BY_ENGINE: Record<string, string> = {
  image: 'TaskTemplate.ContainerSpec.Image',
  replicas: 'Mode.Replicated.Replicas',
  availability: 'Availability',
  role: 'Role',
};

/** A value in a few words: a list's entries separated by spaces, an object as JSON, nothing as (none). */
function shown(value: unknown): string {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return '(none)';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One changed field as the CHANGE column says it: `label gpu=true`, `args a -> b`, `placement +node.role==worker`. */
export function specChangeText(change: Change, reveal = false): string {
  const mask = (v: unknown) => maskChangeValue(change.path, v, reveal);
  const before = mask(change.before);
  const after = mask(change.after);
  const label = /^(TaskTemplate\.ContainerSpec\.)?Labels\.(.+)$/.exec(change.path);
  if (label) {
    const name = `${label[1] ? 'container label' : 'label'}`;
    if (change.before === undefined) return `${name} ${label[2]}=${shown(after)}`;
    if (change.after === undefined) return `${name} -${label[2]}`;
    return `${name} ${label[2]} ${shown(before)} -> ${shown(after)}`;
  }
  if (change.path === 'TaskTemplate.ForceUpdate') return 'forced update (restart)';
  const field = FIELDS[change.path];
  const name = field?.name ?? change.path.replace(/^TaskTemplate\./, '').replace(/^ContainerSpec\./, '');
  if (field?.set) {
    const key = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    const was = new Set(((Array.isArray(before) ? before : []) as unknown[]).map(key));
    const now = ((Array.isArray(after) ? after : []) as unknown[]).map(key);
    const added = now.filter((v) => !was.has(v)).map((v) => `+${v}`);
    const removed = [...was].filter((v) => !now.includes(v)).map((v) => `-${v}`);
    if (added.length + removed.length > 0) return `${name} ${[...added, ...removed].join(' ')}`;
  }
  return `${name} ${shown(before)} -> ${shown(after)}`;
}

/** What an event changed: the engine's attributes ("replicas 2 -> 4"), then what the console saw change in the spec. */
export function eventChange(event: TimelineEvent): string {
  const attributes = event.Actor.Attributes ?? {};
  const parts: string[] = [];
  const said = new Set<string>();
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.endsWith('.new')) continue;
    const field = key.slice(0, -4);
    if (SAID_BY_ENGINE[field]) said.add(SAID_BY_ENGINE[field]);
    parts.push(`${field} ${attributes[`${field}.old`] ?? ''} -> ${value}`.replace(/  +/g, ' '));
  }
  for (const change of event.specChanges ?? []) if (!said.has(change.path)) parts.push(specChangeText(change));
  if (event.note) parts.push(event.note);
  return parts.join(', ');
}
