import { errors } from '../../errors.js';
import { isGlobal, withDefaults } from '../../model/spec.js';
import { exactMatch, labelMatch, parseFilters, prefixMatch } from '../filters.js';
import { bool, decoded, EMPTY, Reply, versionParam, type Context } from '../http.js';
import { serviceJson } from '../shapes.js';

/** GET /services, /services/{id}; create, update (and rollback), remove. */

const SERVICE_FILTERS = ['id', 'label', 'mode', 'name'];

/** GET /services, with replica counts when ?status=1. */
export function listServices(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), SERVICE_FILTERS);
  for (const mode of filters.get('mode') ?? []) {
    if (mode !== 'replicated' && mode !== 'global') throw errors.invalidFilterValue('mode', mode);
  }
  const status = bool(ctx.query, 'status');
  return [...ctx.swarm.services.values()]
    .filter(
      (s) =>
        prefixMatch(filters, 'id', s.id) &&
        prefixMatch(filters, 'name', s.spec.Name) &&
        exactMatch(filters, 'mode', isGlobal(s.spec) ? 'global' : 'replicated') &&
        labelMatch(filters, 'label', s.spec.Labels),
    )
    .map((s) => serviceJson(ctx.swarm, s, status));
}

/** GET /services/{id}, with the defaults written in when ?insertDefaults=1. */
export function getService(ctx: Context) {
  const service = ctx.swarm.service(ctx.params[0]);
  const spec = bool(ctx.query, 'insertDefaults') ? withDefaults(service.spec) : service.spec;
  return serviceJson(ctx.swarm, service, false, spec);
}

/** POST /services/create. */
export async function createService(ctx: Context) {
  const body = await decoded(ctx, 'ServiceSpec');
  const service = ctx.swarm.createService(body);
  return new Reply(201, { ID: service.id, Warnings: null });
}

/** POST /services/{id}/update, or with ?rollback=previous a rollback. */
export async function updateService(ctx: Context) {
  const version = versionParam(ctx.query, 'service');
  const rollback = ctx.query.get('rollback') === 'previous';
  // A rollback ignores the body (the CLI sends the current spec), as dockerd does.
  const body = rollback ? {} : await decoded(ctx, 'ServiceSpec');
  ctx.swarm.updateService(ctx.params[0], version, rollback ? undefined : body, rollback);
  return { Warnings: null };
}

/** DELETE /services/{id}. */
export function removeService(ctx: Context) {
  ctx.swarm.removeService(ctx.params[0]);
  return EMPTY();
}
