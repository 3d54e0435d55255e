/**
 * Whether a task runs its service's current spec: the whole task template, as dockerd's updater
 * compares it (a placement, resources or mounts change makes a task old as much as a new image
 * does). Key order, and empty values one side leaves out, do not count as differences.
 */
export function onCurrentSpec(template: unknown, taskSpec: unknown): boolean {
  return canonical(template) === canonical(taskSpec);
}

/** A value as a string that two equal specs share: keys sorted, empty arrays, objects and nulls left out. */
export function canonical(value: unknown): string {
  return JSON.stringify(normal(value) ?? {});
}

function normal(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(normal);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = normal((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
