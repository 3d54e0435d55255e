import diff, { type Difference } from 'microdiff';
import { parseDocument, stringify } from 'yaml';

/**
 * Editing a spec as YAML: the text the editor gets, what came back (or where it is wrong), the
 * changes between two specs, and an edit rebased on a spec that changed meanwhile when the two
 * touch different fields. Pure: no I/O.
 */

/** A spec as the editor shows it: YAML with the Engine API's field names, a comment on how to leave. */
export function specToYaml(spec: unknown, what: string): string {
  return `# ${what}: edit and save to apply (a diff is shown first); save it unchanged, or quit, to apply nothing.\n${stringify(spec, { lineWidth: 0 })}`;
}

/** The edited text parsed: the spec, or where and why it is not YAML (or not a mapping). */
export function parseEdited(text: string): { spec: Record<string, unknown> } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0];
    return { error: `${line ? `line ${line.line}, column ${line.col}: ` : ''}${first.message.split('\n')[0]}` };
  }
  const value = doc.toJS() as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'the spec must be a YAML mapping (Name:, TaskTemplate:, ...)' };
  return { spec: value as Record<string, unknown> };
}

export { changeLine, type Change } from './change-line.js';
import type { Change } from './change-line.js';

const pathOf = (d: Difference) => d.path.join('.');

/** The fields that differ between two specs. */
export function changes(before: object, after: object): Change[] {
  return diff(before as Record<string, unknown>, after as Record<string, unknown>).map((d) => ({
    path: pathOf(d),
    before: d.type === 'CREATE' ? undefined : d.oldValue,
    after: d.type === 'REMOVE' ? undefined : d.value,
  }));
}

/** True when one path is the other or lies inside it. */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * The user's edit (base -> mine) applied to what the swarm has now (theirs), when none of the
 * fields they changed was changed by someone else meanwhile; otherwise the fields both changed.
 */
export function rebase(base: object, mine: object, theirs: object): { spec: Record<string, unknown> } | { conflicts: string[] } {
  const ours = diff(base as Record<string, unknown>, mine as Record<string, unknown>);
  const others = diff(base as Record<string, unknown>, theirs as Record<string, unknown>).map(pathOf);
  const conflicts = [...new Set(ours.map(pathOf).filter((p) => others.some((o) => overlaps(p, o))))];
  if (conflicts.length > 0) return { conflicts };
  const spec = structuredClone(theirs) as Record<string, unknown>;
  for (const d of ours) {
    let target = spec as Record<string | number, unknown>;
    for (const key of d.path.slice(0, -1)) {
      if (target[key] === undefined || target[key] === null || typeof target[key] !== 'object') target[key] = typeof key === 'number' ? [] : {};
      target = target[key] as Record<string | number, unknown>;
    }
    const last = d.path[d.path.length - 1];
    if (d.type === 'REMOVE') {
      if (Array.isArray(target)) target.splice(Number(last), 1);
      else delete target[last];
    } else target[last] = structuredClone(d.value);
  }
  return { spec };
}
