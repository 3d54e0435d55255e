import diff, { type Difference } from 'microdiff';
import { parseDocument, stringify } from 'yaml';

/**
 * Editing a spec as YAML: the text the editor gets, what came back (or where it is wrong), and the
 * changes between two specs field by field (the deploy plan's). The merge of an edit with a change
 * made meanwhile is in merge.ts. Pure: no I/O.
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
