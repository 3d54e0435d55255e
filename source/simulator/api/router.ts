import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors.js';
import type { EngineRecord, Fleet } from '../model/fleet.js';
import type { Swarm } from '../model/swarm.js';
import { inspectContainer, listContainers } from './handlers/containers.js';
import { systemDf } from './handlers/disk.js';
import { createExec, inspectExec, resizeExec, startExec, startExecUpgraded } from './handlers/exec.js';
import { stats, top } from './handlers/stats.js';
import type { Duplex } from 'node:stream';
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
import { BASE_HEADERS, readBody, Reply, send, sendError, STREAMED, type Context, type Handler } from './http.js';
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
    engine('GET', '/containers/{id}/stats', stats),
    engine('GET', '/containers/{id}/top', top),
    engine('POST', '/containers/{id}/exec', createExec),
    engine('POST', '/exec/{id}/start', startExec),
    engine('POST', '/exec/{id}/resize', resizeExec),
    engine('GET', '/exec/{id}/json', inspectExec),
    engine('GET', '/system/df', systemDf),
    // Not the Engine API: where each node's engine of this simulation answers (see engineDirectory).
    engine('GET', '/swarmdeck/engines', (ctx) => engineDirectory(ctx)),
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

/** The header that makes any socket of the simulation answer as the named engine (a node's hostname): how `--sim` reaches every node with one socket. */
export const ENGINE_HEADER = 'x-swarmdeck-engine';

/** Where one engine of the simulation is reached: its own socket, or a socket of the simulation with ENGINE_HEADER. */
export interface EngineAddress {
  Host: string;
  Headers?: Record<string, string>;
}

/** GET /swarmdeck/engines: every node of this engine's swarm, and where its engine answers. A real engine answers 404, so clients fall back to their own means. */
function engineDirectory(ctx: Context) {
  const swarm = ctx.engine.swarm;
  const engines = [...ctx.fleet.engines.values()];
  return {
    Engines: [...(swarm?.nodes.values() ?? [])].map((node) => {
      // Nodes a scenario or test added without an engine get one when first asked for, as the manager socket gives them.
      const engine =
        engines.find((e) => e.swarm === swarm && e.nodeId === node.id) ??
        (ctx.fleet.engines.has(node.hostname) ? undefined : ctx.fleet.addEngine(node.hostname, { swarm: swarm!, nodeId: node.id }));
      return { NodeID: node.id, Hostname: node.hostname, ...(engine ? ctx.addressOf(engine.hostname) : {}) };
    }),
  };
}

/** Makes the request listener of one simulated engine (`engineOf` says which: the manager socket follows the leader). */
export function createRouter(fleet: Fleet, engineOf: () => EngineRecord, onTick: Context['onTick'], addressOf: Context['addressOf'] = () => ({})) {
  const table = routes();
  /** The engine a request is for: the socket's own, or the one ENGINE_HEADER names. */
  const engineFor = (req: IncomingMessage): EngineRecord => {
    const named = req.headers[ENGINE_HEADER];
    if (typeof named !== 'string') return engineOf();
    const engine = fleet.engines.get(named);
    if (!engine) throw errors.badParameter(`no engine ${named} in this simulation`);
    return engine;
  };
  /** A hijacked request (Upgrade: tcp): only POST /exec/{id}/start takes one; errors are written as HTTP on the socket. */
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://swarm');
      const match = /^\/exec\/([^/]+)\/start$/.exec(unversioned(url.pathname));
      if (!match || req.method !== 'POST') throw errors.pageNotFound();
      const engine = engineFor(req);
      const ctx = {
        swarm: engine.swarm as Swarm,
        engine,
        fleet,
        onTick,
        addressOf,
        req,
        res: undefined as never,
        params: [decodeURIComponent(match[1])],
        query: url.searchParams,
        body: async () => undefined,
      };
      await startExecUpgraded(ctx, socket, head);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, String((error as Error)?.message ?? error));
      const text = `${JSON.stringify({ message: e.message })}\n`;
      socket.end(
        `HTTP/1.1 ${e.status} ${e.status === 404 ? 'Not Found' : e.status === 409 ? 'Conflict' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${Object.entries(
          BASE_HEADERS,
        )
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n${text}`,
      );
    }
  };
  const listener = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
        const engine = engineFor(req);
        let swarm = engine.swarm as Swarm;
        if (route.needs !== 'engine') swarm = requireManager(engine);
        if (route.needs === 'leader') swarm.requireLeader();
        const result = await route.handler({ swarm, engine, fleet, onTick, addressOf, req, res, params, query: url.searchParams, body: readBody(req) });
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
  return Object.assign(listener, { upgrade });
}
