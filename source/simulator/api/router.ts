import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors.js';
import type { Swarm } from '../model/swarm.js';
import { drill } from './handlers/drills.js';
import { events } from './handlers/events.js';
import { logs } from './handlers/logs.js';
import { getNode, listNodes, removeNode, updateNode } from './handlers/nodes.js';
import { plainGet, plainList } from './handlers/resources.js';
import { createService, getService, listServices, removeService, updateService } from './handlers/services.js';
import { distribution, info, ping, swarm as swarmInfo, version } from './handlers/system.js';
import { getTask, listTasks } from './handlers/tasks.js';
import { readBody, Reply, send, sendError, STREAMED, type Context, type Handler } from './http.js';

/** One route: method, path pattern, handler, and whether it needs a manager with a leader. */
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /**
   * Refused as dockerd refuses it (not a manager, no leader) before the handler runs. Writes have
   * it off: dockerd decodes their bodies first, and the model's operations check the leader then.
   */
  leader: boolean;
}

/** Builds the route table over one swarm's maps. */
function routes(swarm: Swarm): Route[] {
  const r = (method: string, path: string, handler: Handler, leader = true): Route => ({
    method,
    pattern: new RegExp(`^${path.replace(/\{\*\}/g, '(.+)').replace(/\{\w+\}/g, '([^/]+)')}$`),
    handler,
    leader,
  });
  const write = (method: string, path: string, handler: Handler) => r(method, path, handler, false);
  const engine = (method: string, path: string, handler: Handler) => r(method, path, handler, false);
  return [
    engine('GET', '/_ping', ping),
    engine('HEAD', '/_ping', ping),
    engine('GET', '/version', version),
    engine('GET', '/info', info),
    r('GET', '/swarm', swarmInfo),
    r('GET', '/nodes', listNodes),
    r('GET', '/nodes/{id}', getNode),
    write('POST', '/nodes/{id}/update', updateNode),
    write('DELETE', '/nodes/{id}', removeNode),
    r('GET', '/services', listServices),
    write('POST', '/services/create', createService),
    r('GET', '/services/{id}', getService),
    write('POST', '/services/{id}/update', updateService),
    write('DELETE', '/services/{id}', removeService),
    r('GET', '/services/{id}/logs', (ctx) => logs(ctx, 'service')),
    r('GET', '/tasks', listTasks),
    r('GET', '/tasks/{id}', getTask),
    r('GET', '/tasks/{id}/logs', (ctx) => logs(ctx, 'task')),
    // An engine streams its events whatever its swarm state.
    engine('GET', '/events', events),
    engine('GET', '/networks', plainList(swarm.networks)),
    engine('GET', '/networks/{id}', plainGet('network', swarm.networks)),
    engine('GET', '/secrets', plainList(swarm.secrets)),
    engine('GET', '/secrets/{id}', plainGet('secret', swarm.secrets)),
    engine('GET', '/configs', plainList(swarm.configs)),
    engine('GET', '/configs/{id}', plainGet('config', swarm.configs)),
    // Not the Engine API: the simulator's practice drills, so that the console (and curl) can stage
    // incidents through the same socket. A real engine answers these 404 page not found.
    engine('POST', '/swarmdeck/drills/{name}', (ctx) => drill(ctx.swarm, decodeURIComponent(ctx.params[0]), ctx.query.get('target') ?? '')),
    engine('GET', '/distribution/{*}/json', distribution),
  ];
}

/** The path without its API version prefix, refused as dockerd refuses versions it does not serve. */
function unversioned(path: string): string {
  const versioned = /^\/v([^/]+)(\/.*)$/.exec(path);
  if (!versioned) return path;
  const version = versioned[1];
  if (!/^\d+\.\d+$/.test(version)) throw errors.pageNotFound();
  const [major, minor] = version.split('.').map(Number);
  if (major > 1 || (major === 1 && minor > 41)) throw errors.versionTooNew(version);
  if (major < 1 || (major === 1 && minor < 12)) throw errors.versionTooOld(version);
  return versioned[2];
}

/** Makes the request listener of a simulated manager over one swarm. */
export function createRouter(swarm: Swarm, onTick: Context['onTick']) {
  const table = routes(swarm);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://swarm');
      const path = unversioned(url.pathname);
      const method = req.method ?? 'GET';
      for (const route of table) {
        const match = route.pattern.exec(path);
        if (!match || route.method !== method) continue;
        const params = match.slice(1).map((p) => {
          try {
            return decodeURIComponent(p);
          } catch {
            throw errors.badParameter(`invalid path parameter: ${p}`);
          }
        });
        if (route.leader) swarm.requireLeader();
        const result = await route.handler({ swarm, onTick, req, res, params, query: url.searchParams, body: readBody(req) });
        if (result === STREAMED) return;
        if (result instanceof Reply) send(res, result.status, result.body, result.contentType);
        else send(res, 200, result, 'application/json');
        return;
      }
      throw errors.pageNotFound();
    } catch (error) {
      if (error instanceof ApiError) sendError(res, error);
      else sendError(res, new ApiError(500, `internal error: ${(error as Error)?.message ?? String(error)}`));
    }
  };
}
