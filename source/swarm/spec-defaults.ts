/** The engine's defaults for the parts of a service spec both sides read: what dockerd assumes when a field is left out. */

/** One second in the API's duration unit (nanoseconds). */
export const SECOND = 1_000_000_000;

/** An UpdateConfig or RollbackConfig, as far as the defaults go. */
export interface UpdateConfigFields {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

/** The engine's defaults for UpdateConfig and RollbackConfig. */
export const DEFAULT_UPDATE_CONFIG = {
  Parallelism: 1,
  Delay: 0,
  FailureAction: 'pause',
  Monitor: 5 * SECOND,
  MaxFailureRatio: 0,
  Order: 'stop-first',
} as const satisfies Required<UpdateConfigFields>;

/** The effective update (or rollback) config: what was sent, over the defaults. */
export function effectiveUpdateConfig<T extends UpdateConfigFields>(config: T | undefined): Required<UpdateConfigFields> & T {
  return { ...DEFAULT_UPDATE_CONFIG, ...(config ?? ({} as T)) };
}

/** A spec's mode, as far as the replica count goes. */
export interface ModeFields {
  Mode?: { Replicated?: { Replicas?: number }; Global?: object };
}

/** True for a global-mode service. */
export const isGlobal = (spec: ModeFields) => Boolean(spec.Mode?.Global);

/** The replica count of a replicated service: 1 when the spec gives none, as dockerd assumes (0 for global). */
export const replicasOf = (spec: ModeFields) => spec.Mode?.Replicated?.Replicas ?? (isGlobal(spec) ? 0 : 1);
