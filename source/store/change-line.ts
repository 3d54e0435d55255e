/** A changed field of a spec, and how previews (edit, deploy plan) write it. Free of the YAML and diff libraries, so that views can use it at start-up. */

/** One changed field: its dotted path and the values before and after (undefined: absent). */
export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

/** A change as one line of the confirmation: `TaskTemplate.ContainerSpec.Image: nginx:1 -> nginx:2`. */
export function changeLine(change: Change, mask: (path: string, value: unknown) => unknown = (_p, v) => v): string {
  const show = (v: unknown) => {
    const shown = mask(change.path, v);
    return shown === undefined ? '(none)' : typeof shown === 'string' ? shown : JSON.stringify(shown);
  };
  if (change.before === undefined) return `+ ${change.path}: ${show(change.after)}`;
  if (change.after === undefined) return `- ${change.path}: ${show(change.before)}`;
  return `${change.path}: ${show(change.before)} -> ${show(change.after)}`;
}
