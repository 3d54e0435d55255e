import { DEFAULT_UPDATE_CONFIG, effectiveUpdateConfig as sharedEffective, SECOND } from '../../swarm/spec-defaults.js';
import { storedWithDefaults } from './spec-store.js';
import type { ServiceSpec, TaskTemplate, UpdateConfig } from './types.js';

/** A deep copy of plain JSON data. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** JSON with sorted keys, so that two specs compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** What makes tasks out of date: the task template and the published endpoint, as in swarmkit. */
export function templateKey(spec: ServiceSpec): string {
  return canonical({ t: spec.TaskTemplate ?? {}, e: spec.EndpointSpec?.Ports ?? [] });
}

export { isGlobal, replicasOf } from '../../swarm/spec-defaults.js';

/** The engine's defaults for UpdateConfig and RollbackConfig. */
export const defaultUpdateConfig: Required<UpdateConfig> = DEFAULT_UPDATE_CONFIG;

/** The effective update (or rollback) config: what was sent, over the defaults. */
export const effectiveUpdateConfig = (config: UpdateConfig | undefined): Required<UpdateConfig> => sharedEffective(config);

/** The restart policy in force, with the engine's defaults. */
export function effectiveRestartPolicy(template: TaskTemplate | undefined) {
  return { Condition: 'any', Delay: 5 * SECOND, MaxAttempts: 0, Window: 0, ...(template?.RestartPolicy ?? {}) };
}

/** The spec as `GET /services/{id}?insertDefaults=true` shows it: swarmkit's defaults interpolated into the stored spec. */
export function withDefaults(spec: ServiceSpec): ServiceSpec {
  return storedWithDefaults(spec);
}

/** Nanoseconds (the API's durations) to milliseconds (the model's clock). */
export const nsToMs = (ns: number | undefined) => Math.round((ns ?? 0) / 1e6);
