import { mkdtempSync, rmSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter } from './api/router.js';
import type { Swarm } from './model/swarm.js';
import { buildScenario, type ScenarioOptions } from './scenarios/index.js';

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
}

/** A running simulated manager. */
export interface Simulator {
  /** The DOCKER_HOST value that reaches it. */
  host: string;
  /** The socket path, for unix sockets. */
  socketPath?: string;
  swarm: Swarm;
  /** Moves a manual clock forward (and lets follow streams catch up). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The manual clock's default start: fixed, so that snapshots and ids are the same on every run. */
export const DEFAULT_MANUAL_NOW = Date.parse('2026-11-22T12:00:00.000Z');

/** Starts a simulated Swarm manager speaking the Engine API on a unix socket or a loopback port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const manual = options.clock === 'manual';
  const swarm = options.swarm ?? buildScenario({ ...options, now: manual ? (options.now ?? DEFAULT_MANUAL_NOW) : Date.now() });
  if (!options.swarm) swarm.engineRole = options.as ?? 'manager';
  const ticks = new Set<() => void>();
  const tick = () => {
    for (const callback of [...ticks]) callback();
  };
  const onTick = (callback: () => void) => {
    ticks.add(callback);
    return () => ticks.delete(callback);
  };
  const server: Server = createServer(createRouter(swarm, onTick));
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let socketPath: string | undefined;
  let ownDir: string | undefined;
  let host: string;
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

  let timer: NodeJS.Timeout | undefined;
  if (!manual) {
    timer = setInterval(() => {
      swarm.advanceTo(Date.now());
      tick();
    }, 100);
    timer.unref();
  }

  let closed = false;
  return {
    host,
    socketPath,
    swarm,
    advance(ms: number) {
      swarm.advance(ms);
      tick();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      ticks.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
      if (socketPath && existsSync(socketPath)) unlinkSync(socketPath);
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
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
