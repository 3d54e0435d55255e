import { ApiError, errors } from '../../errors.js';
import type { Swarm, TaskRecord } from '../../model/swarm.js';
import { labelMatch, parseFilters, prefixMatch, type Filters } from '../filters.js';
import type { Context } from '../http.js';
import { taskJson } from '../shapes.js';

/** GET /tasks (the filters docker service ps and node ps send), /tasks/{id}. */

const TASK_FILTERS = ['desired-state', 'id', 'label', 'name', 'node', 'service', '_up-to-date'];

/** The task filters as the daemon applies them; services and nodes given by name or id. */
export function taskMatcher(swarm: Swarm, filters: Filters): (task: TaskRecord) => boolean {
  // Services and nodes are given by name or id; the daemon resolves them before filtering.
  const resolve = (key: 'service' | 'node') => {
    const values = filters.get(key);
    if (!values) return undefined;
    const ids = new Set<string>();
    for (const value of values) {
      try {
        ids.add(key === 'service' ? swarm.service(value).id : swarm.node(value).id);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
    }
    return ids;
  };
  const services = resolve('service');
  const nodes = resolve('node');
  const desired = filters.get('desired-state');
  for (const state of desired ?? []) {
    if (!['running', 'shutdown', 'accepted'].includes(state)) throw errors.invalidFilterValue('desired-state', state);
  }
  const upToDate = filters.has('_up-to-date');
  return (task) => {
    const service = swarm.services.get(task.serviceId);
    if (services && !services.has(task.serviceId)) return false;
    if (nodes && !(task.nodeId && nodes.has(task.nodeId))) return false;
    if (desired && !desired.includes(task.desired === 'remove' ? 'shutdown' : task.desired)) return false;
    if (upToDate && (!service || task.key !== service.key)) return false;
    const name = service ? `${service.spec.Name}.${task.slot ?? task.nodeId}` : '';
    return (
      prefixMatch(filters, 'id', task.id) && prefixMatch(filters, 'name', name, `${name}.${task.id}`) && labelMatch(filters, 'label', service?.spec.Labels)
    );
  };
}

/** GET /tasks: a service or node filter narrows the scan to its tasks. */
export function listTasks(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), TASK_FILTERS);
  const match = taskMatcher(ctx.swarm, filters);
  const services = filters.get('service');
  // A service filter narrows the scan to that service's tasks: listings stay cheap at 50,000 tasks.
  let candidates: Iterable<TaskRecord> = ctx.swarm.tasks.values();
  if (services && services.length === 1) {
    try {
      candidates = ctx.swarm.tasksOf(ctx.swarm.service(services[0]).id);
    } catch {
      candidates = [];
    }
  } else if (filters.get('node')?.length === 1) {
    try {
      candidates = ctx.swarm.tasksOn(ctx.swarm.node(filters.get('node')![0]).id);
    } catch {
      candidates = [];
    }
  }
  const out = [];
  for (const task of candidates) if (match(task)) out.push(taskJson(ctx.swarm, task));
  return out;
}

/** GET /tasks/{id}. */
export const getTask = (ctx: Context) => taskJson(ctx.swarm, ctx.swarm.task(ctx.params[0]));
