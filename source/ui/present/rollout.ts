import { effectiveUpdateConfig } from '../../swarm/spec-defaults.js';
import { matchesConstraints, parseConstraint, type Constraint } from '../../swarm/constraints.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../../docker/types.js';
import { inert } from '../sanitize.js';
import { ago } from './format.js';
import { canonical } from '../../store/task-spec.js';
import { countRestarts, CRASH_LOOP_RESTARTS, restartsText } from '../../store/sync/restarts.js';

/** Lines shown above a service's tasks: its rollout, and why tasks are missing. */
export interface Banner {
  lines: string[];
  color: 'yellow' | 'red' | 'cyan';
}

const seconds = (ns: number | undefined) => (ns === undefined ? undefined : `${Math.round(ns / 1e9)}s`);

/** A task is "of the current spec" for the tracker when its whole spec is the service's (not only its image, env, args or force). */
const specKey = canonical;

/** A node as placement constraints see it. */
const targetOf = (n: SwarmNode) => ({
  id: n.ID,
  hostname: n.Description?.Hostname ?? '',
  role: n.Spec.Role,
  labels: n.Spec.Labels ?? {},
  os: n.Description?.Platform?.OS,
  arch: n.Description?.Platform?.Architecture,
});

/**
 * Whether the updater is done with a task: its whole spec is the service's, or (as dockerd's
 * IsTaskDirty) only its placement differs and its node satisfies the new constraints: dockerd
 * leaves such a task running, with its old spec, and never replaces it.
 */
function isCurrent(template: unknown, task: SwarmTask, nodes: SwarmNode[] | undefined): boolean {
  if (specKey(template) === specKey(task.Spec)) return true;
  const t = (template ?? {}) as { Placement?: { Constraints?: string[] } };
  if (!nodes || specKey({ ...t, Placement: undefined }) !== specKey({ ...(task.Spec ?? {}), Placement: undefined })) return false;
  const node = nodes.find((n) => n.ID === task.NodeID);
  const constraints = (t.Placement?.Constraints ?? []).map(parseConstraint).filter((c): c is Constraint => typeof c !== 'string');
  return node !== undefined && matchesConstraints(targetOf(node), constraints);
}

const ROLLING = ['updating', 'paused', 'rollback_started', 'rollback_paused'];

/**
 * The rollout tracker: for a service updating or rolling back, how many tasks run the new spec,
 * failures against the allowed ratio, the monitor window, and paused states with their reason.
 */
export function rolloutLines(service: SwarmService, tasks: SwarmTask[], now: number, nodes?: SwarmNode[]): Banner | undefined {
  const status = service.UpdateStatus;
  if (!status || !ROLLING.includes(status.State)) return undefined;
  const rollback = status.State.startsWith('rollback');
  // A rollback runs by the RollbackConfig, or by the rollback defaults without one: never by the UpdateConfig.
  const config = ((rollback ? service.Spec.RollbackConfig : service.Spec.UpdateConfig) ?? {}) as NonNullable<SwarmService['Spec']['UpdateConfig']>;
  const effective = effectiveUpdateConfig(config);
  const target = specKey(service.Spec.TaskTemplate);
  const current = tasks.filter((t) => t.DesiredState === 'running');
  // On the new spec means running it: a task of the new spec still starting (or failing) is not there yet.
  const updated = current.filter((t) => isCurrent(service.Spec.TaskTemplate, t, nodes) && t.Status.State === 'running');
  const started = Date.parse(status.StartedAt ?? '') || 0;
  const failed = tasks.filter((t) => ['failed', 'rejected'].includes(t.Status.State) && specKey(t.Spec) === target && Date.parse(t.CreatedAt ?? '') >= started);
  const desired = service.ServiceStatus?.DesiredTasks ?? current.length;
  const ratio = config.MaxFailureRatio ?? 0;
  const paused = status.State.endsWith('paused');
  const what = rollback ? 'Rollback' : 'Update';
  const lines = [
    `${what} ${paused ? 'PAUSED' : 'in progress'}${started ? ` (started ${ago(started, now)})` : ''}: ${updated.length}/${desired} tasks on the ${rollback ? 'previous' : 'new'} spec, ${failed.length} failed (max failure ratio ${ratio}: ${Math.floor(ratio * desired)} allowed)`,
    `parallelism ${effective.Parallelism}, delay ${seconds(effective.Delay) ?? '0s'}, monitor ${seconds(effective.Monitor) ?? '5s'}, order ${effective.Order}, on failure ${effective.FailureAction}${rollback ? '' : '; Ctrl+L rolls back'}`,
  ];
  if (status.Message) lines.splice(1, 0, `manager says: ${inert(status.Message)}`);
  return { lines, color: paused ? 'red' : 'cyan' };
}

/**
 * "Why isn't it running?": when fewer tasks run than are wanted, the reasons from the tasks (pending
 * ones and recent failures), grouped, with how many and the latest time, most frequent first.
 */
export function whyNotRunning(service: SwarmService, tasks: SwarmTask[], now: number, nodes?: SwarmNode[]): Banner | undefined {
  const status = service.ServiceStatus;
  if (!status || status.RunningTasks >= status.DesiredTasks) return undefined;
  // During a rollout the updater stops a task before it starts its replacement (stop-first): that
  // one is being replaced, not missing. Only failures since the rollout began are a reason then.
  const rolling = ROLLING.includes(service.UpdateStatus?.State ?? '');
  const since = rolling ? Date.parse(service.UpdateStatus?.StartedAt ?? '') || 0 : -Infinity;
  const reasons = new Map<string, { count: number; latest: number }>();
  for (const task of tasks) {
    if (rolling && !((Date.parse(task.Status.Timestamp ?? '') || 0) >= since)) continue;
    if (task.Status.State === 'running' || task.Status.State === 'shutdown' || task.Status.State === 'complete') continue;
    const reason = task.Status.Err || (task.Status.State === 'pending' ? task.Status.Message : '') || '';
    if (!reason) continue;
    const entry = reasons.get(reason) ?? { count: 0, latest: 0 };
    entry.count += 1;
    entry.latest = Math.max(entry.latest, Date.parse(task.Status.Timestamp ?? '') || 0);
    reasons.set(reason, entry);
  }
  const sorted = [...reasons.entries()].sort((a, b) => b[1].count - a[1].count || b[1].latest - a[1].latest);
  if (rolling && sorted.length === 0) return undefined;
  const lines = [`${status.RunningTasks} of ${status.DesiredTasks} tasks running. Why:`];
  if (sorted.length === 0) lines.push('  no task reports an error yet (starting, or waiting for a node)');
  for (const [reason, { count, latest }] of sorted.slice(0, 3)) lines.push(`  ${count}x ${inert(reason)} (latest ${ago(latest, now)})`);
  if (sorted.length > 3) lines.push(`  and ${sorted.length - 3} other reasons in the task history below`);
  if (nodes && sorted.some(([reason]) => /constraint/i.test(reason))) lines.push(...unmatched(service, nodes).map((c) => `  ${inert(c)}: no node matches`));
  return { lines, color: 'yellow' };
}

/** The placement constraints of a service that no node satisfies (each on its own), as written. */
export function unmatched(service: SwarmService, nodes: SwarmNode[]): string[] {
  const expressions = (service.Spec.TaskTemplate as { Placement?: { Constraints?: string[] } } | undefined)?.Placement?.Constraints ?? [];
  return expressions.filter((expression) => {
    const parsed = parseConstraint(expression);
    return typeof parsed !== 'string' && !nodes.some((n) => matchesConstraints(targetOf(n), [parsed]));
  });
}

/** A crash loop, said whether or not a task happens to run this second: restarts in the window, and the last exit. */
export function crashLoopLines(tasks: SwarmTask[], now: number, template?: unknown): Banner | undefined {
  const restarts = countRestarts(tasks, now, template);
  if (!restarts || restarts.worstSlot < CRASH_LOOP_RESTARTS) return undefined;
  return {
    lines: [
      `Crash loop: ${restartsText(restarts)}; last exit ${ago(restarts.lastAt, now)}: ${inert(restarts.lastError ?? '')}`,
      '  l shows the logs of the last tasks; the restart policy keeps restarting it',
    ],
    color: 'red',
  };
}

/** The banners over a service's tasks, rollout first; a crash loop replaces the why-block, which would come and go with it. */
export function serviceBanners(service: SwarmService, tasks: SwarmTask[], now: number, nodes?: SwarmNode[]): Banner[] {
  const loop = crashLoopLines(tasks, now, service.Spec.TaskTemplate);
  return [rolloutLines(service, tasks, now, nodes), loop ?? whyNotRunning(service, tasks, now, nodes)].filter((b): b is Banner => b !== undefined);
}

/**
 * Where a service's tasks could go if they left `leaving`: the other nodes that are ready, active,
 * satisfy its constraints, and are big enough for its reservations; or why there are none.
 */
export function placesFor(service: SwarmService | undefined, nodes: SwarmNode[], leaving: string): { count: number; problem?: string } {
  const template = service?.Spec.TaskTemplate as
    { Placement?: { Constraints?: string[] }; Resources?: { Reservations?: { NanoCPUs?: number; MemoryBytes?: number } } } | undefined;
  const constraints: Constraint[] = [];
  for (const expression of template?.Placement?.Constraints ?? []) {
    const parsed = parseConstraint(expression);
    if (typeof parsed !== 'string') constraints.push(parsed);
  }
  const reserve = template?.Resources?.Reservations ?? {};
  const up = nodes.filter((n) => n.ID !== leaving && n.Status.State === 'ready' && n.Spec.Availability === 'active');
  if (up.length === 0) return { count: 0, problem: 'no other node is ready and active: they will stay pending' };
  const allowed = up.filter((n) => matchesConstraints(targetOf(n), constraints));
  if (allowed.length === 0) {
    return { count: 0, problem: `no other node satisfies ${(template?.Placement?.Constraints ?? []).join(', ')}: they will stay pending` };
  }
  const big = allowed.filter(
    (n) =>
      (reserve.NanoCPUs ?? 0) <= (n.Description?.Resources?.NanoCPUs ?? Infinity) &&
      (reserve.MemoryBytes ?? 0) <= (n.Description?.Resources?.MemoryBytes ?? Infinity),
  );
  if (big.length === 0) return { count: 0, problem: 'no other node is big enough for their reservations: they will stay pending' };
  return { count: big.length };
}
