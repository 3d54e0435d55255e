import { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { describeError, DockerError } from './client.js';
import type { Endpoint } from './connection.js';
import { SshAgent } from './ssh.js';

/** A typed client of one node's own engine: its containers, their stats, top, exec with a TTY, and disk use. */

/** Where a node's engine answers: an Endpoint, and for the simulator's shared socket the header that names the node. */
export interface NodeEndpoint extends Endpoint {
  headers?: Record<string, string>;
}

/** A container as the node's engine lists it. */
export interface NodeContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  labels: Record<string, string>;
  /** The swarm task it runs, when it is a task's container. */
  taskId?: string;
  serviceName?: string;
}

/** dockerd's stats JSON, the fields the figures come from. */
export interface RawStats {
  read: string;
  preread: string;
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number };
  [key: string]: unknown;
}

/** A container's use as `docker stats` shows it. */
export interface StatsFigures {
  /** CPU as docker stats computes it (100 = one core); undefined when the sample has no previous one to compare with. */
  cpuPercent?: number;
  /** Memory used, less the page cache, bytes (as docker stats). */
  memoryBytes: number;
  /** Its limit, or the host's memory, bytes. */
  memoryLimit: number;
  pids: number;
  /** When the engine took the sample (ms since the epoch). */
  at: number;
  /** When the console got it, by its own clock (a node's clock may be off): how fresh the figure is. */
  seen?: number;
}

/** `docker stats` figures from one stats JSON, with the CLI's own arithmetic; `previous` stands in for precpu_stats when the sample has none (one-shot). */
export function statsFigures(raw: RawStats, previous?: RawStats): StatsFigures {
  const pre = raw.precpu_stats?.system_cpu_usage ? raw.precpu_stats : previous?.cpu_stats;
  const cpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  let cpuPercent: number | undefined;
  if (pre?.system_cpu_usage && raw.cpu_stats.system_cpu_usage) {
    const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - pre.cpu_usage.total_usage;
    const systemDelta = raw.cpu_stats.system_cpu_usage - pre.system_cpu_usage;
    // No time between the two samples (a paused clock, an engine answering from cache): no figure, rather than 0%.
    if (systemDelta > 0) cpuPercent = cpuDelta >= 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  }
  const stats = raw.memory_stats?.stats ?? {};
  const usage = raw.memory_stats?.usage ?? 0;
  // The CLI subtracts the inactive page cache: cgroup v1's total_inactive_file, v2's inactive_file.
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return {
    cpuPercent,
    memoryBytes: cache < usage ? usage - cache : usage,
    memoryLimit: raw.memory_stats?.limit ?? 0,
    pids: raw.pids_stats?.current ?? 0,
    at: Date.parse(raw.read),
  };
}

/** A running exec: its stream (raw with a TTY, multiplexed without), window size, and exit code. */
export interface ExecSession {
  id: string;
  stream: Duplex;
  /** Sets the TTY's window. */
  resize(rows: number, cols: number): Promise<void>;
  /** Resolves with the exit code once the stream has ended. */
  exitCode(): Promise<number | null>;
  /** Ends the session (the engine ends the process's input). */
  close(): void;
}

/** The engine's own view of itself, for the identity check. */
export interface NodeEngineInfo {
  nodeId: string;
  name: string;
  ncpu: number;
  memTotal: number;
}

/** How many connections one node's engine may have open at once (a stats sweep queues beyond this). */
export const NODE_MAX_SOCKETS = 4;

/** One node's engine. */
export class NodeEngine {
  readonly docker: Docker;
  private readonly agent: Agent;

  constructor(readonly endpoint: NodeEndpoint) {
    // Few connections per node, kept alive while in use, dropped after a quiet while.
    const options = { keepAlive: true, maxSockets: NODE_MAX_SOCKETS, maxFreeSockets: 2, timeout: 30_000 };
    this.agent = endpoint.ssh ? new SshAgent(endpoint.ssh, options) : new Agent(options);
    this.docker = new Docker({ ...endpoint.options, agent: this.agent, headers: endpoint.headers ?? {} } as Docker.DockerOptions);
  }

  private async call<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw describeError(error, this.endpoint);
    }
  }

  /** /info: which node this engine is, its CPUs and memory. */
  async info(): Promise<NodeEngineInfo> {
    const info = (await this.call(this.docker.info())) as { Name?: string; NCPU?: number; MemTotal?: number; Swarm?: { NodeID?: string } };
    return { nodeId: info.Swarm?.NodeID ?? '', name: info.Name ?? '', ncpu: info.NCPU ?? 0, memTotal: info.MemTotal ?? 0 };
  }

  /** The engine's containers (running ones; all with `all`). */
  async containers(all = false): Promise<NodeContainer[]> {
    const list = await this.call(this.docker.listContainers({ all }));
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      state: c.State,
      status: c.Status,
      labels: c.Labels ?? {},
      taskId: c.Labels?.['com.docker.swarm.task.id'],
      serviceName: c.Labels?.['com.docker.swarm.service.name'],
    }));
  }

  /** One stats sample: `oneShot` skips dockerd's wait for a second sample (no CPU figure without a previous one). */
  async stats(id: string, oneShot = false): Promise<RawStats> {
    const opts = oneShot ? { stream: false, 'one-shot': true } : { stream: false };
    return (await this.call(this.docker.getContainer(id).stats(opts as { stream: false }))) as unknown as RawStats;
  }

  /** Streams stats, a sample a second, until the returned function is called. */
  async statsStream(id: string, onSample: (raw: RawStats) => void, onEnd?: (error?: DockerError) => void): Promise<() => void> {
    const stream = (await this.call(this.docker.getContainer(id).stats({ stream: true }))) as unknown as NodeJS.ReadableStream & { destroy(): void };
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) onSample(JSON.parse(line) as RawStats);
      }
    });
    stream.on('end', () => onEnd?.());
    stream.on('error', (error: unknown) => onEnd?.(describeError(error, this.endpoint)));
    return () => stream.destroy();
  }

  /** How a container ended, from its inspect: whether the kernel's OOM killer ended it (State.OOMKilled), its exit code. */
  async containerEnd(id: string): Promise<{ oomKilled: boolean; exitCode: number; finishedAt?: string }> {
    const info = (await this.call(this.docker.getContainer(id).inspect())) as { State?: { OOMKilled?: boolean; ExitCode?: number; FinishedAt?: string } };
    return { oomKilled: Boolean(info.State?.OOMKilled), exitCode: info.State?.ExitCode ?? 0, finishedAt: info.State?.FinishedAt };
  }

  /** docker top: the titles and rows ps gives (ps_args as `docker top` passes them). */
  async top(id: string, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    return (await this.call(this.docker.getContainer(id).top(psArgs ? { ps_args: psArgs } : {}))) as { Titles: string[]; Processes: string[][] };
  }

  /** Starts `cmd` in a container on the hijacked connection; with `tty` the stream is raw and the window is set at once. */
  async exec(id: string, cmd: string[], options: { tty?: boolean; stdin?: boolean; env?: string[]; rows?: number; cols?: number } = {}): Promise<ExecSession> {
    const tty = Boolean(options.tty);
    const stdin = options.stdin ?? true;
    const exec = await this.call(
      this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdin: stdin, AttachStdout: true, AttachStderr: true, Tty: tty, Env: options.env }),
    );
    const stream = (await this.call(exec.start({ hijack: true, stdin, Tty: tty } as Docker.ExecStartOptions))) as unknown as Duplex;
    const ended = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    const session: ExecSession = {
      id: exec.id,
      stream,
      resize: async (rows, cols) => {
        await this.call(exec.resize({ h: rows, w: cols }));
      },
      exitCode: async () => {
        await ended;
        const inspect = await this.call(exec.inspect());
        return inspect.ExitCode ?? null;
      },
      close: () => stream.destroy(),
    };
    if (tty && options.rows && options.cols) await session.resize(options.rows, options.cols).catch(() => undefined);
    return session;
  }

  /** docker system df: images, containers, volumes and build cache with sizes. */
  async df(): Promise<{ LayersSize: number; Images: unknown[]; Containers: unknown[]; Volumes: unknown[]; BuildCache: unknown[] | null }> {
    return (await this.call(this.docker.df())) as {
      LayersSize: number;
      Images: unknown[];
      Containers: unknown[];
      Volumes: unknown[];
      BuildCache: unknown[] | null;
    };
  }

  /** Closes its connections. */
  close(): void {
    this.agent.destroy();
  }
}
