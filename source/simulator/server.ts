import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, ENGINE_HEADER, type EngineAddress } from './api/router.js';
import { Fleet, type EngineRecord } from './model/fleet.js';
import { registryOf } from './model/registry.js';
import type { Swarm } from './model/swarm.js';
import { buildFleet, fleetOf, type ScenarioOptions } from './scenarios/index.js';

/** How to start a simulated manager. */
export interface SimulatorOptions extends ScenarioOptions {
  /** Unix socket path; default: a fresh one under the OS temp dir. */
  socket?: string;
  /** Listen on 127.0.0.1:port instead of a unix socket (0 picks a free port). */
  port?: number;
  /** 'real' follows the wall clock; 'manual' moves only when advance() is called (tests). */
  clock?: 'real' | 'manual';
  /** The manual clock's start, ms since the epoch. */
  now?: number;
  /** Answer as a manager (default), a worker, or an engine not in a swarm. */
  as?: 'manager' | 'worker' | 'inactive';
  /** Serve this model instead of building a scenario: another manager of the same swarm (failover tests). */
  swarm?: Swarm;
  /** Also serve every engine (node) on its own socket, DIR/<hostname>.sock, as that node's dockerd. */
  engines?: string;
  /** No simulated registry: pulls and pushes fail as on an engine without network access. */
  offline?: boolean;
}

/** A running simulated manager. */
export interface Simulator {
  /** The DOCKER_HOST value that reaches it. */
  host: string;
  /** The socket path, for unix sockets. */
  socketPath?: string;
  /** The swarm the manager socket serves (for `blank`, the one `swarm init` made; an error before). */
  readonly swarm: Swarm;
  /** Every simulated engine, and the swarms they form. */
  fleet: Fleet;
  /** With `engines`: hostname -> socket path of each engine. */
  engineSockets: Record<string, string>;
  /** Moves a manual clock forward (and lets follow streams catch up). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The manual clock's default start: fixed, so that snapshots and ids are the same on every run. */
export const DEFAULT_MANUAL_NOW = Date.parse('2026-11-22T12:00:00.000Z');

/** Starts a simulated Swarm manager speaking the Engine API on a unix socket or a loopback port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const manual = options.clock === 'manual';
  const now = manual ? (options.now ?? DEFAULT_MANUAL_NOW) : Date.now();
  let fleet: Fleet;
  let primary: () => EngineRecord;
  if (options.swarm) {
    fleet = new Fleet(options.swarm.now);
    const swarm = fleetOf(fleet, options.swarm);
    primary = () => engineOfNode(fleet, swarm.selfId);
  } else {
    const built = buildFleet({ ...options, now });
    fleet = built.fleet;
    const swarm = built.swarm;
    if (!swarm) {
      const first = [...fleet.engines.values()][0];
      primary = () => first;
    } else if (options.as === 'worker') {
      const worker = [...swarm.nodes.values()].find((n) => n.spec.Role === 'worker') ?? swarm.addNode({ hostname: 'worker-01', role: 'worker' });
      const engine = fleet.engines.get(worker.hostname) ?? fleet.addEngine(worker.hostname, { swarm, nodeId: worker.id });
      primary = () => engine;
    } else if (options.as === 'inactive') {
      const engine = fleet.addEngine('standalone');
      primary = () => engine;
    } else primary = () => engineOfNode(fleet, swarm.selfId);
  }
  if (options.offline) registryOf(fleet).offline = true;
  const ticks = new Set<() => void>();
  const tick = () => {
    for (const callback of [...ticks]) callback();
  };
  const onTick = (callback: () => void) => {
    ticks.add(callback);
    return () => ticks.delete(callback);
  };
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  // Filled in once the sockets listen: where each engine is reached (GET /swarmdeck/engines).
  let host = '';
  const engineSockets: Record<string, string> = {};
  const addressOf = (hostname: string): EngineAddress =>
    engineSockets[hostname] ? { Host: `unix://${engineSockets[hostname]}` } : { Host: host, Headers: { [ENGINE_HEADER]: hostname } };
  const makeServer = (engineOf: () => EngineRecord) => {
    const router = createRouter(fleet, engineOf, onTick, addressOf);
    const server: Server = createServer(router);
    // docker exec's start hijacks the connection (Upgrade: tcp).
    server.on('upgrade', (req, socket, head) => void router.upgrade(req, socket, head));
    // Idle keep-alive connections and requests that never finish their headers are closed, so clients that go quiet do not pile up.
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 30_000;
    server.requestTimeout = 120_000;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return server;
  };
  const server = makeServer(primary);

  let socketPath: string | undefined;
  let ownDir: string | undefined;
  if (options.port !== undefined) {
    await listen(server, { port: options.port, host: '127.0.0.1' });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    host = `tcp://127.0.0.1:${port}`;
  } else {
    if (options.socket) socketPath = options.socket;
    else {
      ownDir = mkdtempSync(join(tmpdir(), 'swarmdeck-sim-'));
      socketPath = join(ownDir, 'docker.sock');
    }
    await listen(server, { path: socketPath });
    host = `unix://${socketPath}`;
  }
  if (options.engines) {
    mkdirSync(options.engines, { recursive: true });
    for (const engine of fleet.engines.values()) {
      const path = join(options.engines, `${engine.hostname}.sock`);
      if (existsSync(path)) unlinkSync(path);
      await listen(
        makeServer(() => engine),
        { path },
      );
      engineSockets[engine.hostname] = path;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  if (!manual) {
    timer = setInterval(() => {
      fleet.advanceTo(Date.now());
      tick();
    }, 100);
    timer.unref();
  }

  let closed = false;
  return {
    host,
    socketPath,
    get swarm(): Swarm {
      const swarm = primary().swarm ?? fleet.swarms()[0];
      if (!swarm) throw new Error('no swarm yet: run docker swarm init on one of the engines');
      return swarm;
    },
    fleet,
    engineSockets,
    advance(ms: number) {
      fleet.advanceTo(Math.max(fleet.now, ...fleet.swarms().map((s) => s.now)) + ms);
      tick();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      ticks.clear();
      const done = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const socket of sockets) socket.destroy();
      await done;
      if (socketPath && existsSync(socketPath)) unlinkSync(socketPath);
      for (const path of Object.values(engineSockets)) if (existsSync(path)) unlinkSync(path);
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** The engine of a node (the manager socket follows swarm.selfId as the API moves to another manager). */
function engineOfNode(fleet: Fleet, nodeId: string): EngineRecord {
  for (const engine of fleet.engines.values()) if (engine.nodeId === nodeId) return engine;
  // Nodes added after start (tests add workers) get an engine when first served.
  const swarm = fleet.swarms()[0];
  const node = swarm.nodes.get(nodeId)!;
  return fleet.addEngine(node.hostname, { swarm, nodeId });
}

function listen(server: Server, target: { path: string } | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && 'path' in target) {
        reject(new Error(`${target.path} is in use (another simulator or engine listens there); choose another --socket`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(target, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
