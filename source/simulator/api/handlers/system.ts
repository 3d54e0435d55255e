import { errors } from '../../errors.js';
import { Reply, type Context } from '../http.js';
import { infoJson, versionJson } from '../shapes.js';

/** What any engine answers, in a swarm or not: /_ping, /version, /info. */

/** GET and HEAD /_ping. */
export const ping = (ctx: Context) => new Reply(200, ctx.req.method === 'HEAD' ? '' : 'OK', 'text/plain; charset=utf-8');

/** GET /version. */
export const version = () => versionJson();

/** GET /info: the engine and, in a swarm, its swarm state. */
export const info = (ctx: Context) => infoJson(ctx.engine, ctx.engine.swarm?.now ?? ctx.fleet.now);

/** GET /distribution/{name}/json: the simulator has no registry, as an engine without network access. */
export const distribution = () => {
  throw errors.registryUnreachable();
};
