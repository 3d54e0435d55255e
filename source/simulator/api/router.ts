import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors.js';
import type { EngineRecord, Fleet } from '../model/fleet.js';
import type { Swarm } from '../model/swarm.js';
import { inspectContainer, listContainers } from './handlers/containers.js';
import { drill } from './handlers/drills.js';
import { events } from './handlers/events.js';
import { inspectImage, listImages, loadImage, pullImage, pushImage, removeImage, tagImage } from './handlers/images.js';
import { logs } from './handlers/logs.js';
import { getNode, listNodes, removeNode, updateNode } from './handlers/nodes.js';
import {
  createNetwork,
  createSecretOrConfig,
  getNetwork,
  getObject,
  listNetworks,
  listObjects,
  pruneNetworks,
  removeNetwork,
  removeSecretOrConfig,
  updateSecretOrConfig,
} from './handlers/objects.js';
import { createService, getService, listServices, removeService, updateService } from './handlers/services.js';
import { initSwarm, inspectSwarm, joinSwarm, leaveSwarm, unlockKey, unlockSwarm, updateSwarm } from './handlers/swarm.js';
import { distribution, info, ping, version } from './handlers/system.js';
import { getTask, listTasks } from './handlers/tasks.js';
import { readBody, Reply, send, sendError, STREAMED, type Context, type Handler } from './http.js';
import { requireManager } from './membership.js';

/** What a route needs of the engine before its handler runs. */
type Needs =
  /** Nothing: any engine answers it, in a swarm or not. */
  | 'engine'
  /** A manager (refused as dockerd refuses on a worker, a locked or a non-swarm engine); the model checks the leader. */
  | 'manager'
  /** A manager of a swarm with a leader. */
  | 'leader';

/** One route: method, path pattern, handler, and what it needs of the engine. */
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  needs: Needs;
}

/** The route table: reads need a leader; writes need a manager (dockerd decodes their bodies first, and the model's operations check the leader then). */
function routes(): Route[] {
  const r = (method: string, path: string, handler: Handler, needs: Needs = 'leader'): Route => ({
    method,
    pattern: new RegExp(`^${path.replace(/\{\*\}/g, '(.+)').replace(/\{\w+\}/g, '([^/]+)')}$`),
    handler,
    needs,
  });
  const write = (method: string, path: string, handler: Handler) => r(method, path, handler, 'manager');
  const engine = (method: string, path: string, handler: Handler) => r(method, path, handler, 'engine');
  return [
    engine('GET', '/_ping', ping),
    engine('HEAD', '/_ping', ping),
    engine('GET', '/version', version),
    engine('GET', '/info', info),
    r('GET', '/swarm', inspectSwarm),
    engine('POST', '/swarm/init', initSwarm),
    engine('POST', '/swarm/join', joinSwarm),
    engine('POST', '/swarm/leave', leaveSwarm),
    write('POST', '/swarm/update', updateSwarm),
    r('GET', '/swarm/unlockkey', unlockKey),
    engine('POST', '/swarm/unlock', unlockSwarm),
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
    engine('GET', '/networks', listNetworks),
    engine('POST', '/networks/create', createNetwork),
    engine('POST', '/networks/prune', pruneNetworks),
    engine('GET', '/networks/{id}', getNetwork),
    engine('DELETE', '/networks/{id}', removeNetwork),
    ...(['secret', 'config'] as const).flatMap((kind) => [
      r('GET', `/${kind}s`, listObjects(kind)),
      write('POST', `/${kind}s/create`, createSecretOrConfig(kind)),
      r('GET', `/${kind}s/{id}`, getObject(kind)),
      write('POST', `/${kind}s/{id}/update`, updateSecretOrConfig(kind)),
      write('DELETE', `/${kind}s/{id}`, removeSecretOrConfig(kind)),
    ]),
    engine('GET', '/containers/json', listContainers),
    engine('GET', '/containers/{id}/json', inspectContainer),
    engine('GET', '/images/json', listImages),
    engine('POST', '/images/create', pullImage),
    engine('POST', '/images/load', loadImage),
    engine('POST', '/images/{*}/tag', tagImage),
    engine('POST', '/images/{*}/push', pushImage),
    engine('GET', '/images/{*}/json', inspectImage),
    engine('DELETE', '/images/{*}', removeImage),
    // Not the Engine API: the simulator's practice drills, so that the console (and curl) can stage
    // incidents through the same socket. A real engine answers these 404 page not found.
    r('POST', '/swarmdeck/drills/{name}', (ctx) => drill(ctx, decodeURIComponent(ctx.params[0]), ctx.query.get('target') ?? ''), 'manager'),
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

/** Makes the request listener of one simulated engine (`engineOf` says which: the manager socket follows the leader). */
export function createRouter(fleet: Fleet, engineOf: () => EngineRecord, onTick: Context['onTick']) {
  const table = routes();
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
        const engine = engineOf();
        let swarm = engine.swarm as Swarm;
        if (route.needs !== 'engine') swarm = requireManager(engine);
        if (route.needs === 'leader') swarm.requireLeader();
        const result = await route.handler({ swarm, engine, fleet, onTick, req, res, params, query: url.searchParams, body: readBody(req) });
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
