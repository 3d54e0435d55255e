import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ConfigError, parseHost, resolveEndpoints, type Endpoint } from './connection.js';
import { NodeEngine, type NodeEndpoint } from './node-engine.js';

/**
 * Node reach: for every node of the swarm, its own engine, with no agent on the nodes. The endpoint
 * is resolved in order: the explicit map (--node-host, config.yaml `nodes:`), a docker context named
 * as the node's hostname, the simulator's directory of its engines, ssh to the node's address as
 * the manager is reached; else none, with why in words a user can act on.
 */

/** A node as reach needs it (from the manager's node list). */
export interface NodeRef {
  id: string;
  hostname: string;
  /** Status.Addr. */
  addr?: string;
}

/** How a node's endpoint was found. */
export type ReachSource = 'map' | 'context' | 'simulator' | 'ssh';

/** Where a node's engine is, or why there is none. */
export type Resolution = { endpoint: NodeEndpoint; source: ReachSource } | { endpoint?: undefined; why: string };

/** Parses NODE=URL pairs (--node-host, repeatable); a malformed one is a ConfigError. */
export function parseNodeHosts(pairs: readonly string[] = []): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const node = eq > 0 ? pair.slice(0, eq).trim() : '';
    const url = eq > 0 ? pair.slice(eq + 1).trim() : '';
    if (!node || !url) throw new ConfigError(`--node-host takes NODE=URL (a hostname or node ID, then unix://, tcp:// or ssh://), not "${pair}"`);
    parseHost(url, {}, undefined);
    map.set(node, url);
  }
  return map;
}

/** The config file: $XDG_CONFIG_HOME/swarmdeck/config.yaml (else ~/.config). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config'), 'swarmdeck', 'config.yaml');
}

/** The `nodes:` map of the config file (NODE: URL); none when there is no file. */
export async function readNodeConfig(path = configPath()): Promise<Map<string, string>> {
  if (!existsSync(path)) return new Map();
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const nodes = (doc as { nodes?: unknown } | null)?.nodes;
  if (nodes === undefined || nodes === null) return new Map();
  if (typeof nodes !== 'object' || Array.isArray(nodes)) throw new ConfigError(`${path}: nodes: must map a node (hostname or ID) to its engine URL`);
  const map = new Map<string, string>();
  for (const [node, url] of Object.entries(nodes as Record<string, unknown>)) {
    if (typeof url !== 'string') throw new ConfigError(`${path}: nodes.${node}: must be an engine URL (unix://, tcp:// or ssh://)`);
    try {
      parseHost(url, {}, undefined);
    } catch (error) {
      throw new ConfigError(`${path}: nodes.${node}: ${(error as Error).message}`);
    }
    map.set(node, url);
  }
  return map;
}

/** The node map a console uses: config.yaml's `nodes:`, with --node-host entries over them. */
export async function nodeMap(pairs: readonly string[] = [], path = configPath()): Promise<Map<string, string>> {
  return new Map([...(await readNodeConfig(path)), ...parseNodeHosts(pairs)]);
}

/** One entry of the simulator's GET /swarmdeck/engines. */
interface DirectoryEntry {
  NodeID: string;
  Hostname: string;
  Host?: string;
  Headers?: Record<string, string>;
}

/** What resolution draws on. */
export interface ReachOptions {
  /** The manager's endpoint (ssh:// managers lend their user to the nodes). */
  manager: Endpoint;
  /** NODE -> URL, --node-host over the config file. */
  map?: Map<string, string>;
  /** The docker config directory, for contexts. */
  configDir?: string;
  /** The first answer from an engine must come within this, ms (then the node is unreachable for a while). */
  timeoutMs?: number;
  /** After a failure, the node is not tried again for this long (doubling up to 8x), ms. */
  backoffMs?: number;
  /** An engine unused this long is closed, ms. */
  idleMs?: number;
  /** The most node engines kept open at once (least recently used closed first). */
  maxOpen?: number;
}

/** A node's reach as last seen. */
export interface ReachStatus {
  state: 'unknown' | 'reachable' | 'unreachable';
  source?: ReachSource;
  url?: string;
  why?: string;
  /** When an unreachable node is tried again (ms since the epoch). */
  retryAt?: number;
}

/** Resolves, connects to and checks every node's engine, keeping the connections bounded and the reasons for failure. */
export class NodeReach {
  private readonly open = new Map<string, { engine: NodeEngine; usedAt: number }>();
  private readonly pending = new Map<string, Promise<NodeEngine>>();
  private readonly statuses = new Map<string, ReachStatus & { failures: number }>();
  private directory?: Promise<DirectoryEntry[] | undefined>;
  private readonly timer: NodeJS.Timeout;
  private readonly options: Required<Omit<ReachOptions, 'configDir'>> & { configDir?: string };

  constructor(options: ReachOptions) {
    // Options given as undefined take the defaults too.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ReachOptions;
    this.options = { map: new Map(), timeoutMs: 5000, backoffMs: 15_000, idleMs: 60_000, maxOpen: 32, ...given };
    this.timer = setInterval(() => this.closeIdle(), Math.min(this.options.idleMs, 10_000));
    this.timer.unref();
  }

  /** The simulator's directory of engines (GET /swarmdeck/engines on the manager), once; a real engine's 404 means none. */
  private simulatorDirectory(): Promise<DirectoryEntry[] | undefined> {
    this.directory ??= (async () => {
      const manager = this.options.manager;
      if (manager.ssh) return undefined;
      const docker = new Docker(manager.options as Docker.DockerOptions);
      try {
        const answer = await new Promise<{ Engines?: DirectoryEntry[] } | undefined>((resolve, reject) =>
          docker.modem.dial({ path: '/swarmdeck/engines', method: 'GET', statusCodes: { 200: true }, options: {} } as never, (error: unknown, data: unknown) =>
            error ? reject(error as Error) : resolve(data as { Engines?: DirectoryEntry[] }),
          ),
        );
        return Array.isArray(answer?.Engines) ? answer.Engines : undefined;
      } catch {
        return undefined;
      }
    })();
    return this.directory;
  }

  /** Where a node's engine is: map, context, simulator, ssh; else why not. */
  async resolve(node: NodeRef): Promise<Resolution> {
    const map = this.options.map;
    const mapped = map.get(node.hostname) ?? map.get(node.id) ?? [...map].find(([k]) => k.length >= 4 && node.id.startsWith(k))?.[1];
    if (mapped) return { endpoint: parseHost(mapped, {}, undefined), source: 'map' };
    try {
      const [endpoint] = resolveEndpoints({ context: node.hostname, configDir: this.options.configDir ?? process.env.DOCKER_CONFIG, env: {} });
      return { endpoint, source: 'context' };
    } catch (error) {
      if (!(error instanceof ConfigError) || !/does not exist/.test(error.message)) return { why: `context ${node.hostname}: ${(error as Error).message}` };
    }
    const entry = (await this.simulatorDirectory())?.find((e) => e.NodeID === node.id);
    if (entry?.Host) return { endpoint: { ...parseHost(entry.Host, {}, undefined), headers: entry.Headers }, source: 'simulator' };
    const ssh = this.options.manager.ssh;
    if (ssh && node.addr) {
      const target = { host: node.addr, user: ssh.user };
      const url = `ssh://${ssh.user ? `${ssh.user}@` : ''}${node.addr}`;
      return { endpoint: { label: url, url, options: { protocol: 'http', host: node.addr }, ssh: target }, source: 'ssh' };
    }
    const user = safeUser();
    return {
      why: `no endpoint for ${node.hostname}: add --node-host ${node.hostname}=ssh://${user}@${node.addr || 'ADDRESS'} (or a docker context named ${node.hostname})`,
    };
  }

  /** The node's engine, connected and checked to be that node; throws (quickly, during a back-off) with why when it cannot be reached. */
  async engine(node: NodeRef): Promise<NodeEngine> {
    const open = this.open.get(node.id);
    if (open) {
      open.usedAt = Date.now();
      return open.engine;
    }
    const status = this.statuses.get(node.id);
    if (status?.state === 'unreachable' && status.retryAt && status.retryAt > Date.now()) throw new NodeUnreachable(node, status.why ?? 'unreachable');
    let pending = this.pending.get(node.id);
    if (!pending) {
      pending = this.connect(node).finally(() => this.pending.delete(node.id));
      this.pending.set(node.id, pending);
    }
    return pending;
  }

  private async connect(node: NodeRef): Promise<NodeEngine> {
    const resolution = await this.resolve(node);
    if (!resolution.endpoint) throw this.fail(node, resolution.why);
    const engine = new NodeEngine(resolution.endpoint);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${resolution.endpoint.url} did not answer within ${this.options.timeoutMs / 1000} s`)),
          this.options.timeoutMs,
        );
      });
      const info = await Promise.race([engine.info(), timeout]);
      if (info.nodeId !== node.id) {
        const who = info.nodeId ? `node ${info.nodeId.slice(0, 12)} (${info.name})` : `an engine not in this swarm (${info.name})`;
        throw new Error(`${resolution.endpoint.url} is ${who}, not ${node.hostname}: fix its ${sourceWords(resolution.source)}`);
      }
    } catch (error) {
      engine.close();
      throw this.fail(node, `${node.hostname}: ${(error as Error).message}`, resolution.source, resolution.endpoint.url);
    } finally {
      clearTimeout(timer);
    }
    this.statuses.set(node.id, { state: 'reachable', source: resolution.source, url: resolution.endpoint.url, failures: 0 });
    this.open.set(node.id, { engine, usedAt: Date.now() });
    this.evict();
    return engine;
  }

  private fail(node: NodeRef, why: string, source?: ReachSource, url?: string): NodeUnreachable {
    const failures = (this.statuses.get(node.id)?.failures ?? 0) + 1;
    const retryAt = Date.now() + this.options.backoffMs * Math.min(8, 2 ** (failures - 1));
    this.statuses.set(node.id, { state: 'unreachable', why, source, url, retryAt, failures });
    return new NodeUnreachable(node, why);
  }

  /** What is known of a node's reach (unknown until first needed). */
  status(nodeId: string): ReachStatus {
    const { failures: _failures, ...status } = this.statuses.get(nodeId) ?? { state: 'unknown' as const, failures: 0 };
    return status;
  }

  /** Forgets a node's engine after an error on it (the next use connects again, after the back-off). */
  drop(node: NodeRef, why?: string): void {
    this.open.get(node.id)?.engine.close();
    this.open.delete(node.id);
    if (why) this.fail(node, why);
  }

  /** How many node engines are open now. */
  get openCount(): number {
    return this.open.size;
  }

  private evict(): void {
    while (this.open.size > this.options.maxOpen) {
      const [oldest] = [...this.open].sort((a, b) => a[1].usedAt - b[1].usedAt);
      oldest[1].engine.close();
      this.open.delete(oldest[0]);
    }
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, entry] of this.open) {
      if (now - entry.usedAt < this.options.idleMs) continue;
      entry.engine.close();
      this.open.delete(id);
    }
  }

  /** Closes every node engine. */
  close(): void {
    clearInterval(this.timer);
    for (const entry of this.open.values()) entry.engine.close();
    this.open.clear();
  }
}

/** A node whose engine cannot be reached, and why. */
export class NodeUnreachable extends Error {
  constructor(
    readonly node: NodeRef,
    readonly why: string,
  ) {
    super(why);
  }
}

function sourceWords(source: ReachSource): string {
  if (source === 'map') return '--node-host (or config.yaml nodes:) entry';
  if (source === 'context') return 'docker context';
  if (source === 'ssh') return 'ssh address';
  return 'simulator';
}

function safeUser(): string {
  try {
    return userInfo().username || 'USER';
  } catch {
    return 'USER';
  }
}
