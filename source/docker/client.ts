import Docker from 'dockerode';
import { SshAgent } from './ssh.js';
import type { Drill } from '../swarm/drills.js';
import type { Endpoint } from './connection.js';
import { LogDemuxer, type LogEntry } from './demux.js';
import type { EngineInfo, ResourceKind, ServiceSpec, SwarmEvent, SwarmInfo, SwarmNode, SwarmObject, SwarmService, SwarmTask } from './types.js';

/** An error from the daemon or the connection, with the daemon's words kept as they were. */
export class DockerError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Certificate and handshake failures, as Node names them. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|^ERR_SSL_|^ERR_TLS_|^EPROTO$/;

/** Turns a dockerode/socket error into the message the user reads: the daemon's own words, or what went wrong with the connection. */
export function describeError(error: unknown, endpoint?: Endpoint): DockerError {
  const e = error as { statusCode?: number; json?: { message?: string } | null; code?: string; message?: string; reason?: string };
  if (e instanceof DockerError) return e;
  const where = endpoint?.url ?? 'the Docker endpoint';
  if (e?.json && typeof e.json === 'object' && typeof e.json.message === 'string') return new DockerError(e.json.message, e.statusCode);
  if (e?.code === 'ENOENT') return new DockerError(`cannot reach ${where}: no such socket (is Docker running there?)`, undefined, e.code);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new DockerError(`permission denied on ${where}: add your user to the docker group, or run with sudo`, undefined, e.code);
  }
  if (e?.code === 'ECONNREFUSED') return new DockerError(`cannot reach ${where}: connection refused`, undefined, e.code);
  if (e?.code === 'ETIMEDOUT' || e?.code === 'EHOSTUNREACH') return new DockerError(`cannot reach ${where}: ${e.code}`, undefined, e.code);
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE') return new DockerError(`lost the connection to ${where}`, undefined, e.code);
  if (e?.code && TLS_CODES.test(e.code)) {
    return new DockerError(
      `TLS to ${where} failed (${e.code}): ${e.message ?? ''}; check the CA and client certificate given (DOCKER_CERT_PATH, --tlscacert, --tlscert, --tlskey)`,
      undefined,
      e.code,
    );
  }
  if (typeof e?.statusCode === 'number') {
    // dockerode puts the body in the message ("(HTTP code 404) no such service - service x not found").
    const body = /- (.*)$/s.exec(e.message ?? '')?.[1]?.trim();
    return new DockerError(body || e.reason || e.message || `HTTP ${e.statusCode}`, e.statusCode);
  }
  return new DockerError(e?.message ?? String(error), undefined, e?.code);
}

/** Something the user must fix about where they pointed swarmdeck (not a manager, swarm inactive). */
export class NotAManagerError extends DockerError {}

/** Registry credentials as the X-Registry-Auth header carries them. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

/** The swarm calls the console makes: one client for real managers and the simulator alike. */
export class SwarmClient {
  readonly docker: Docker;

  constructor(readonly endpoint: Endpoint) {
    const agent = endpoint.ssh ? new SshAgent(endpoint.ssh) : undefined;
    this.docker = new Docker({ ...endpoint.options, ...(agent ? { agent } : {}) } as Docker.DockerOptions);
  }

  private async call<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw describeError(error, this.endpoint);
    }
  }

  /** Pings, then checks that the engine is an active swarm manager; says which it is when not. */
  async checkManager(): Promise<EngineInfo> {
    // No separate ping: /info fails the same way on an unreachable endpoint, one round trip sooner.
    const info = (await this.call(this.docker.info()).catch((error: DockerError) => {
      // Every Docker engine answers /info: something that says 404 (or sends no JSON) is not one.
      if (error.status === 404 || error.status === 405)
        throw new NotAManagerError(`${this.endpoint.url} is not a Docker engine: it answered /info with HTTP ${error.status}`, error.status);
      throw error;
    })) as EngineInfo;
    if (!info || typeof info !== 'object' || !('ServerVersion' in info))
      throw new NotAManagerError(`${this.endpoint.url} is not a Docker engine: its /info is not the Engine API's`);
    const state = info.Swarm?.LocalNodeState ?? 'inactive';
    if (state !== 'active') {
      throw new NotAManagerError(
        `${this.endpoint.url} is not part of a swarm (swarm state: ${state}). Run \`docker swarm init\` there, or point swarmdeck at a manager with -H or --context.`,
      );
    }
    if (!info.Swarm?.ControlAvailable) {
      throw new NotAManagerError(
        `${this.endpoint.url} is a swarm worker, not a manager: workers cannot show or change cluster state. Point swarmdeck at a manager (\`docker node ls\` on a manager lists them).`,
      );
    }
    return info;
  }

  /** GET /info. */
  info(): Promise<EngineInfo> {
    return this.call(this.docker.info()) as Promise<EngineInfo>;
  }

  /** GET /nodes. */
  listNodes(): Promise<SwarmNode[]> {
    return this.call(this.docker.listNodes()) as Promise<SwarmNode[]>;
  }

  /** GET /nodes?filters={"role":["manager"]}: the few managers, for a cheap look at their reachability. */
  listManagers(): Promise<SwarmNode[]> {
    return this.call(this.docker.listNodes({ filters: { role: ['manager'] } } as {})) as Promise<SwarmNode[]>;
  }

  /** GET /services?status=true: replica counts come with the list, no task listing needed. */
  listServices(): Promise<SwarmService[]> {
    return this.call(this.docker.listServices({ status: true } as {})) as unknown as Promise<SwarmService[]>;
  }

  /** GET /tasks for some services or nodes only: never the whole task list. */
  listTasks(scope: { service?: string | string[]; node?: string | string[]; desired?: 'running' | 'shutdown' }): Promise<SwarmTask[]> {
    const filters: Record<string, string[]> = {};
    if (scope.service) filters.service = Array.isArray(scope.service) ? scope.service : [scope.service];
    if (scope.node) filters.node = Array.isArray(scope.node) ? scope.node : [scope.node];
    if (scope.desired) filters['desired-state'] = [scope.desired];
    return this.call(this.docker.listTasks({ filters })) as Promise<SwarmTask[]>;
  }

  /** GET /networks, /configs or /secrets (secrets: metadata only; the engine never returns their data). */
  listResources(kind: ResourceKind): Promise<SwarmObject[]> {
    const call = { networks: () => this.docker.listNetworks(), configs: () => this.docker.listConfigs(), secrets: () => this.docker.listSecrets() }[kind];
    return this.call(call() as Promise<unknown>) as Promise<SwarmObject[]>;
  }

  /** GET /swarm. */
  inspectSwarm(): Promise<SwarmInfo> {
    return this.call(this.docker.swarmInspect() as Promise<unknown>) as Promise<SwarmInfo>;
  }

  /** GET /tasks/{id}. */
  inspectTask(id: string): Promise<SwarmTask> {
    return this.call(this.docker.getTask(id).inspect() as Promise<unknown>) as Promise<SwarmTask>;
  }

  /**
   * A practice drill on a simulated swarm: POST /swarmdeck/drills/{name}. A real engine has no
   * such route and answers 404, which is reported as such.
   */
  async drill(name: Drill, target?: string): Promise<string> {
    const modem = this.docker.modem as unknown as {
      dial: (options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void) => void;
    };
    const result = (await this.call(
      new Promise<unknown>((resolve, reject) =>
        modem.dial(
          {
            path: `/swarmdeck/drills/${encodeURIComponent(name)}?`,
            method: 'POST',
            options: { _query: target ? { target } : {} },
            statusCodes: { 200: true, 400: 'bad parameter', 404: 'not a simulated swarm', 500: 'server error' },
          },
          (error, data) => (error ? reject(error) : resolve(data)),
        ),
      ),
    )) as { message?: string };
    return result?.message ?? 'done';
  }

  /** GET /services/{id}. */
  inspectService(id: string): Promise<SwarmService> {
    return this.call(this.docker.getService(id).inspect()) as Promise<SwarmService>;
  }

  /** GET /nodes/{id}. */
  inspectNode(id: string): Promise<SwarmNode> {
    return this.call(this.docker.getNode(id).inspect()) as Promise<SwarmNode>;
  }

  /** POST /services/{id}/update with a changed copy of the current spec, at the version read. */
  async updateService(service: SwarmService, change: (spec: ServiceSpec) => ServiceSpec): Promise<void> {
    const spec = change(structuredClone(service.Spec));
    await this.call(this.docker.getService(service.ID).update({ ...spec, version: service.Version.Index }) as unknown as Promise<unknown>);
  }

  /** POST /services/{id}/update?rollback=previous (the body is ignored by the engine). */
  async rollbackService(service: SwarmService): Promise<void> {
    const modem = this.docker.modem as unknown as {
      dial: (options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void) => void;
    };
    await this.call(
      new Promise<void>((resolve, reject) =>
        modem.dial(
          {
            path: `/services/${service.ID}/update?`,
            method: 'POST',
            options: { _query: { version: service.Version.Index, rollback: 'previous' }, _body: service.Spec },
            statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such service', 500: 'server error', 503: 'node is not part of a swarm' },
          },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
    );
  }

  /** POST /services/{id}/update with exactly this spec at exactly this version: an edit, never re-read (a conflict is the caller's to show). */
  async replaceServiceSpec(id: string, version: number, spec: ServiceSpec, auth?: RegistryAuth): Promise<void> {
    const service = this.docker.getService(id) as unknown as { update(auth: unknown, opts: unknown): Promise<unknown> };
    await this.call(service.update(auth, { ...spec, version }));
  }

  /** GET /distribution/{image}/json: the digest the registry has for an image, as `docker stack deploy` pins it. */
  async imageDigest(image: string, auth?: RegistryAuth): Promise<string> {
    const modem = this.docker.modem as unknown as { dial: (o: Record<string, unknown>, cb: (e: unknown, d: unknown) => void) => void };
    const data = (await this.call(
      new Promise<unknown>((resolve, reject) =>
        modem.dial(
          {
            path: `/distribution/${image}/json?`,
            method: 'GET',
            authconfig: auth,
            statusCodes: { 200: true, 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 500: 'server error' },
          },
          (error, d) => (error ? reject(error) : resolve(d)),
        ),
      ),
    )) as { Descriptor?: { digest?: string } };
    return data?.Descriptor?.digest ?? '';
  }

  /** POST /nodes/{id}/update with exactly this spec at exactly this version. */
  async replaceNodeSpec(id: string, version: number, spec: SwarmNode['Spec']): Promise<void> {
    await this.call(this.docker.getNode(id).update({ ...spec, version }) as unknown as Promise<unknown>);
  }

  /** POST /services/create (with X-Registry-Auth when registry credentials are given); the new service's id. */
  async createService(spec: ServiceSpec, auth?: RegistryAuth): Promise<string> {
    // An explicit first argument: given one argument, dockerode sends the spec itself as the auth header.
    const docker = this.docker as unknown as { createService(auth: unknown, opts: unknown): Promise<unknown> };
    const made = (await this.call(docker.createService(auth, spec))) as { id?: string; ID?: string };
    return made.id ?? made.ID ?? '';
  }

  /** POST /networks/create; the new network's id. */
  async createNetwork(name: string, spec: Record<string, unknown>): Promise<string> {
    const made = (await this.call(this.docker.createNetwork({ ...spec, Name: name, CheckDuplicate: true } as never) as Promise<unknown>)) as { id?: string };
    return made.id ?? '';
  }

  /** DELETE /services/{id}. */
  async removeService(id: string): Promise<void> {
    await this.call(this.docker.getService(id).remove() as Promise<unknown>);
  }

  /** POST /secrets/create or /configs/create: the data is sent base64, as the API takes it. */
  async createResource(kind: 'secret' | 'config', name: string, data: Buffer, labels: Record<string, string> = {}): Promise<string> {
    const spec = { Name: name, Labels: labels, Data: data.toString('base64') };
    const made = await this.call((kind === 'secret' ? this.docker.createSecret(spec) : this.docker.createConfig(spec)) as Promise<unknown>);
    return (made as { id?: string }).id ?? '';
  }

  /** DELETE /networks/{id}, /secrets/{id} or /configs/{id}. */
  async removeResource(kind: ResourceKind, id: string): Promise<void> {
    const object = { networks: () => this.docker.getNetwork(id), secrets: () => this.docker.getSecret(id), configs: () => this.docker.getConfig(id) }[kind]();
    await this.call(object.remove() as Promise<unknown>);
  }

  /** The services, networks, secrets or configs carrying a label (`key=value`), as `docker stack rm` finds a stack's objects. */
  listLabelled(kind: 'services' | ResourceKind, label: string): Promise<SwarmObject[]> {
    const opts = { filters: { label: [label] } };
    const call = {
      services: () => this.docker.listServices(opts),
      networks: () => this.docker.listNetworks(opts),
      configs: () => this.docker.listConfigs(opts),
      secrets: () => this.docker.listSecrets(opts),
    }[kind];
    return this.call(call() as Promise<unknown>) as Promise<SwarmObject[]>;
  }

  /** POST /nodes/{id}/update with a changed copy of the current spec. */
  async updateNode(node: SwarmNode, change: Partial<SwarmNode['Spec']>): Promise<void> {
    const spec = { ...node.Spec, ...change };
    await this.call(this.docker.getNode(node.ID).update({ ...spec, version: node.Version.Index }) as unknown as Promise<unknown>);
  }

  /** Reports a stream's end (or error) once, and returns the stopper that ends it without a report. */
  private watchEnd(stream: NodeJS.ReadableStream & { destroy(): void }, onEnd: (error?: DockerError) => void): () => void {
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      onEnd(error ? describeError(error, this.endpoint) : undefined);
    };
    stream.on('error', end);
    stream.on('end', () => end());
    stream.on('close', () => end());
    return () => {
      ended = true;
      stream.destroy();
    };
  }

  /** Streams swarm events (services, nodes, networks, secrets, configs) until stopped; reports the end so the caller can reconnect. */
  async events(since: number | undefined, onEvent: (event: SwarmEvent) => void, onEnd: (error?: DockerError) => void, until?: number): Promise<() => void> {
    const options: Record<string, unknown> = { filters: { type: ['service', 'node', 'network', 'secret', 'config'] } };
    if (since !== undefined) options.since = since;
    if (until !== undefined) options.until = until;
    const stream = (await this.call(this.docker.getEvents(options))) as NodeJS.ReadableStream & { destroy(): void };
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          onEvent(JSON.parse(line) as SwarmEvent);
        } catch {
          // A malformed event line is skipped; the next refresh corrects any state it would have changed.
        }
      }
    });
    return this.watchEnd(stream, onEnd);
  }

  /** The events between two times (seconds): the stream ends at `until`. */
  eventsBetween(since: number, until: number): Promise<SwarmEvent[]> {
    return new Promise((resolve, reject) => {
      const events: SwarmEvent[] = [];
      this.events(
        since,
        (e) => events.push(e),
        (error) => (error ? reject(error) : resolve(events)),
        until,
      ).catch(reject);
    });
  }

  /** Streams the logs of a service or a task as lines; returns the stopper. */
  async logs(
    target: { service?: string; task?: string },
    options: { follow: boolean; tail: number | 'all'; since?: number; tty: boolean },
    onLines: (lines: LogEntry[]) => void,
    onEnd: (error?: DockerError) => void,
  ): Promise<() => void> {
    const query: Record<string, unknown> = {
      stdout: true,
      stderr: true,
      follow: options.follow,
      tail: options.tail,
      timestamps: true,
      details: !options.tty,
    };
    if (options.since !== undefined) query.since = options.since;
    const object = target.task ? this.docker.getTask(target.task) : this.docker.getService(target.service!);
    const result = (await this.call((object as unknown as { logs(o: object): Promise<unknown> }).logs(query))) as
      Buffer | (NodeJS.ReadableStream & { destroy(): void });
    const demuxer = new LogDemuxer(options.tty, !options.tty, true);
    if (Buffer.isBuffer(result)) {
      onLines([...demuxer.push(result), ...demuxer.end()]);
      onEnd();
      return () => {};
    }
    result.on('data', (chunk: Buffer) => {
      const lines = demuxer.push(chunk);
      if (lines.length > 0) onLines(lines);
    });
    const ended: typeof onEnd = (error) => {
      const rest = demuxer.end();
      if (rest.length > 0) onLines(rest);
      onEnd(error);
    };
    return this.watchEnd(result, ended);
  }
}
