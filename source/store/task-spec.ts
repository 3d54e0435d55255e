/**
 * Whether a task runs its service's current spec: the whole task template, as dockerd's updater
 * compares it (a placement, resources or mounts change makes a task old as much as a new image
 * does). Key order, and empty values one side leaves out, do not count as differences.
 */
export function onCurrentSpec(template: unknown, taskSpec: unknown): boolean {
  return canonical(template) === canonical(taskSpec);
}

/**
 * A task template as a string that two equal specs share: keys sorted, empty arrays, objects and
 * nulls left out, and the fields dockerd 20.10 shows on a service's template but never on its tasks'
 * (seen on the real swarm: Runtime, ContainerSpec.StopGracePeriod), which would make every task old.
 */
export function canonical(value: unknown): string {
  const spec = (value ?? {}) as { Runtime?: unknown; ContainerSpec?: { StopGracePeriod?: unknown } };
  const { Runtime: _runtime, ...rest } = spec;
  const container = rest.ContainerSpec ? (({ StopGracePeriod: _grace, ...c }) => c)(rest.ContainerSpec) : undefined;
  return JSON.stringify(normal({ ...rest, ContainerSpec: container }) ?? {});
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
