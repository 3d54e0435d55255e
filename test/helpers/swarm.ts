import Docker from 'dockerode';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../source/simulator/server.js';

/** A simulator on a fresh socket with a manual clock, and a dockerode client connected to it. */
export interface TestSwarm {
  sim: Simulator;
  docker: Docker;
  /** Moves the simulated clock forward. */
  advance(ms: number): void;
  /** Raw HTTP against the socket: status, headers and body text. */
  raw(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<RawResponse>;
  close(): Promise<void>;
}

/** A raw HTTP response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes (log streams are binary). */
  body: Buffer;
  json: () => any;
}

/** Starts a simulated swarm for one test file. */
export async function startTestSwarm(options: SimulatorOptions = {}): Promise<TestSwarm> {
  const sim = await startSimulator({ clock: 'manual', ...options });
  const docker = new Docker({ socketPath: sim.socketPath });
  const { request } = await import('node:http');
  const raw = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    new Promise<RawResponse>((resolve, reject) => {
      const req = request({ socketPath: sim.socketPath, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: bytes, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return { sim, docker, advance: (ms) => sim.advance(ms), raw, close: () => sim.close() };
}

/** The dockerode error's HTTP status and daemon message. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { statusCode?: number; json?: { message?: string }; message: string };
    return { status: e.statusCode ?? 0, message: e.json?.message ?? e.message };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/** A service's id by name. */
export async function serviceId(docker: Docker, name: string): Promise<string> {
  const [service] = await docker.listServices({ filters: { name: [name] } });
  return service.ID!;
}

/** Running tasks (desired running, state running) of a service. */
export async function runningTasks(docker: Docker, service: string) {
  const tasks = await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
  return tasks.filter((t) => t.Status?.State === 'running');
}
