/** Placement constraints (`node.role==manager`, `node.labels.zone!=b`, ...), parsed and matched as swarmkit does: shared by the simulator's scheduler and the console's drain preview (pure, no dockerode). */

/** A node as far as constraints can see it. */
export interface ConstraintTarget {
  id: string;
  hostname: string;
  role: string;
  labels: Record<string, string>;
  engineLabels?: Record<string, string>;
  os?: string;
  arch?: string;
}

/** One parsed constraint. */
export interface Constraint {
  key: string;
  op: '==' | '!=';
  value: string;
}

/** Parses one expression, or returns an error message for it. */
export function parseConstraint(expression: string): Constraint | string {
  const match = /^\s*([\w.-]+)\s*(==|!=)\s*(.*?)\s*$/.exec(expression);
  if (!match || match[3] === '') return `invalid constraint expression: ${expression}`;
  const key = match[1].toLowerCase();
  const known = ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch'];
  if (!known.includes(key) && !key.startsWith('node.labels.') && !key.startsWith('engine.labels.')) {
    return `constraint expression ${expression} has invalid key ${match[1]}`;
  }
  return { key: match[1], op: match[2] as '==' | '!=', value: match[3] };
}

/** Parses a list of expressions, throwing the first error message. */
export function parseConstraints(expressions: string[] | undefined): Constraint[] {
  return (expressions ?? []).map((expression) => {
    const parsed = parseConstraint(expression);
    if (typeof parsed === 'string') throw new Error(parsed);
    return parsed;
  });
}

function valueOf(target: ConstraintTarget, key: string): string | undefined {
  const lower = key.toLowerCase();
  if (lower === 'node.id') return target.id;
  if (lower === 'node.hostname') return target.hostname;
  if (lower === 'node.role') return target.role;
  if (lower === 'node.platform.os') return target.os ?? 'linux';
  if (lower === 'node.platform.arch') return target.arch ?? 'x86_64';
  if (key.startsWith('node.labels.')) return target.labels[key.slice('node.labels.'.length)];
  if (key.startsWith('engine.labels.')) return target.engineLabels?.[key.slice('engine.labels.'.length)];
  return undefined;
}

/** True when the node satisfies every constraint (hostname and role compare case-insensitively, labels exactly). */
export function matchesConstraints(target: ConstraintTarget, constraints: Constraint[]): boolean {
  return constraints.every(({ key, op, value }) => {
    const actual = valueOf(target, key);
    const caseless = !key.startsWith('node.labels.') && !key.startsWith('engine.labels.');
    const equal = actual !== undefined && (caseless ? actual.toLowerCase() === value.toLowerCase() : actual === value);
    return op === '==' ? equal : !equal;
  });
}
