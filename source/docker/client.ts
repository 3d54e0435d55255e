import http from 'node:http';
import https from 'node:https';
import Docker from 'dockerode';
import { SshAgent } from './ssh.js';
import type { Drill } from '../swarm/drills.js';
import type { Endpoint } from './connection.js';
import { LogDemuxer, type LogEntry } from './demux.js';
import { BadAnswerError, BoundedModem, DEFAULT_LIMITS, type RequestLimits } from './transport.js';
import { DockerError, NotAManagerError, describeError } from './errors.js';

export { DockerError, NotAManagerError, describeError } from './errors.js';
import type { EngineInfo, ResourceKind, ServiceSpec, SwarmEvent, SwarmInfo, SwarmNode, SwarmObject, SwarmService, SwarmTask } from './types.js';

/** A query string's values, as docker-modem writes them (objects as JSON: the filters). */
type Query = Record<string, string | number | boolean | Record<string, unknown> | undefined>;

/** The parts of each listed object that the views read without asking: an answer without them is refused, not drawn. */
const LIST_PARTS: Record<string, string[]> = {
  '/nodes': ['Spec', 'Status'],
  '/services': ['Spec'],
  '/tasks': ['Status'],
  '/secrets': ['Spec'],
  '/configs': ['Spec'],
};

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
  private readonly agent?: SshAgent;
  /** The transport every request goes through: versioned, with a deadline and a size cap (see BoundedModem). */
  readonly modem: BoundedModem;

  constructor(
    readonly endpoint: Endpoint,
    limits: RequestLimits = DEFAULT_LIMITS,
  ) {
    const agent = (this.agent = endpoint.ssh ? new SshAgent(endpoint.ssh) : undefined);
    this.modem = new BoundedModem({ ...endpoint.options, ...(agent ? { agent } : {}) } as never, limits);
    this.docker = new Docker({ modem: this.modem } as Docker.DockerOptions);
  }

  /** Closes the connections to the endpoint, idle keep-alive ones included (the ssh process too). */
  close(): void {
    this.agent?.destroy();
    http.globalAgent.destroy();
    https.globalAgent.destroy();
  }

  private async call<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw describeError(error, this.endpoint);
    }
  }

  /**
   * One request, exactly as given: the query holds only the keys named here, the body goes in the
   * body. (dockerode's update() copies its options, the whole spec, into the query string: the URL
   * would carry env values and passwords into every access log on the way.)
   */
  private request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    call: { query?: Query; body?: unknown; auth?: RegistryAuth; stream?: boolean } = {},
  ): Promise<T> {
    const query = Object.fromEntries(Object.entries(call.query ?? {}).filter(([, v]) => v !== undefined));
    const withQuery = Object.keys(query).length > 0;
    return this.call(
      new Promise<T>((resolve, reject) =>
        this.modem.dial(
          {
            path: withQuery ? `${path}?` : path,
            method,
            // An empty body object is sent as no body; a POST without one must not send the query as its body.
            options: { _query: query, _body: call.body ?? {} },
            authconfig: call.auth,
            isStream: call.stream,
            statusCodes: { 200: true, 201: true, 204: true },
          } as never,
          (error: unknown, data?: unknown) => (error ? reject(error) : resolve(data as T)),
        ),
      ),
    );
  }

  /** A listing that must be a list of objects with ids (and the parts every view reads): anything else is a bad answer, not data to draw. */
  private async list<T>(path: string, query?: Query, id: 'ID' | 'Id' = 'ID'): Promise<T[]> {
    const data = await this.request<unknown>('GET', path, { query });
    const parts = LIST_PARTS[path] ?? [];
    const isObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
    const fit = (item: unknown) => isObject(item) && typeof item[id] === 'string' && parts.every((part) => isObject(item[part]));
    if (!Array.isArray(data) || !data.every(fit)) {
      throw new DockerError(
        `GET ${path}: the answer is not a list of ${path.slice(1)} as the Engine API gives them (from ${this.endpoint.url})`,
        200,
        'EMALFORMED',
      );
    }
    return data as T[];
  }

  /** An object read by id (or /info, /swarm): anything but a JSON object is a bad answer. */
  private async object<T>(path: string, query?: Query): Promise<T> {
    const data = await this.request<unknown>('GET', path, { query });
    if (!data || typeof data !== 'object' || Array.isArray(data) || Buffer.isBuffer(data)) {
      throw new DockerError(`GET ${path}: the answer is not a JSON object (from ${this.endpoint.url})`, 200, 'EMALFORMED');
    }
    return data as T;
  }

  /** Pings, then checks that the engine is an active swarm manager; says which it is when not. */
  async checkManager(): Promise<EngineInfo> {
    // No separate ping: /info fails the same way on an unreachable endpoint, one round trip sooner.
    const info = (await this.object<EngineInfo>('/info').catch((error: DockerError) => {
      // Every Docker engine answers /info: something that says 404 (or sends no JSON) is not one.
      if (error.status === 404 || error.status === 405)
        throw new NotAManagerError(`${this.endpoint.url} is not a Docker engine: it answered /info with HTTP ${error.status}`, error.status);
      if (error.code === 'EMALFORMED')
        throw new NotAManagerError(`${this.endpoint.url} is not a Docker engine: its /info is not the Engine API's`, error.status);
      throw error;
    })) as EngineInfo;
    if (!('ServerVersion' in info)) throw new NotAManagerError(`${this.endpoint.url} is not a Docker engine: its /info is not the Engine API's`);
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
    return this.object<EngineInfo>('/info');
  }

  /** GET /nodes. */
  listNodes(): Promise<SwarmNode[]> {
    return this.list<SwarmNode>('/nodes');
  }

  /** GET /nodes?filters={"role":["manager"]}: the few managers, for a cheap look at their reachability. */
  listManagers(): Promise<SwarmNode[]> {
    return this.list<SwarmNode>('/nodes', { filters: { role: ['manager'] } });
  }

  /** GET /services?status=true: replica counts come with the list, no task listing needed. */
  listServices(): Promise<SwarmService[]> {
    return this.list<SwarmService>('/services', { status: true });
  }

  /** GET /tasks for some services or nodes only: never the whole task list. */
  listTasks(scope: { service?: string | string[]; node?: string | string[]; desired?: 'running' | 'shutdown' }): Promise<SwarmTask[]> {
    const filters: Record<string, string[]> = {};
    if (scope.service) filters.service = Array.isArray(scope.service) ? scope.service : [scope.service];
    if (scope.node) filters.node = Array.isArray(scope.node) ? scope.node : [scope.node];
    if (scope.desired) filters['desired-state'] = [scope.desired];
    return this.list<SwarmTask>('/tasks', { filters });
  }

  /** GET /networks, /configs or /secrets (secrets: metadata only; the engine never returns their data). */
  listResources(kind: ResourceKind): Promise<SwarmObject[]> {
    return this.list<SwarmObject>(`/${kind}`, undefined, kind === 'networks' ? 'Id' : 'ID');
  }

  /** GET /swarm. */
  inspectSwarm(): Promise<SwarmInfo> {
    return this.object<SwarmInfo>('/swarm');
  }

  /** GET /tasks/{id}. */
  inspectTask(id: string): Promise<SwarmTask> {
    return this.object<SwarmTask>(`/tasks/${encodeURIComponent(id)}`);
  }

  /**
   * A practice drill on a simulated swarm: POST /swarmdeck/drills/{name}. A real engine has no
   * such route and answers 404, which is reported as such.
   */
  async drill(name: Drill, target?: string): Promise<string> {
    const result = await this.request<{ message?: string }>('POST', `/swarmdeck/drills/${encodeURIComponent(name)}`, { query: { target } });
    return result?.message ?? 'done';
  }

  /** GET /services/{id}. */
  inspectService(id: string): Promise<SwarmService> {
    return this.object<SwarmService>(`/services/${encodeURIComponent(id)}`);
  }

  /** GET /nodes/{id}. */
  inspectNode(id: string): Promise<SwarmNode> {
    return this.object<SwarmNode>(`/nodes/${encodeURIComponent(id)}`);
  }

  /**
   * POST /services/{id}/update?version=N with the spec in the body, as the docker CLI sends it;
   * `registryAuthFrom` as `docker service update` names it (spec), left out as `docker service scale` does.
   */
  private async postServiceUpdate(
    id: string,
    version: number,
    spec: unknown,
    extra: { registryAuthFrom?: 'spec' | 'previous-spec'; rollback?: 'previous' } = {},
    auth?: RegistryAuth,
  ) {
    await this.request('POST', `/services/${encodeURIComponent(id)}/update`, { query: { version, ...extra }, body: spec, auth });
  }

  /** POST /services/{id}/update with a changed copy of the current spec, at the version read. */
  async updateService(service: SwarmService, change: (spec: ServiceSpec) => ServiceSpec, options: { registryAuthFrom?: 'spec' } = {}): Promise<void> {
    const spec = change(structuredClone(service.Spec));
    await this.postServiceUpdate(service.ID, service.Version.Index, spec, options);
  }

  /** POST /services/{id}/update?rollback=previous&version=N, the current spec in the body (the engine ignores it), as `docker service rollback`. */
  async rollbackService(service: SwarmService): Promise<void> {
    await this.postServiceUpdate(service.ID, service.Version.Index, service.Spec, { rollback: 'previous' });
  }

  /** POST /services/{id}/update with exactly this spec at exactly this version: an edit, never re-read (a conflict is the caller's to show). */
  async replaceServiceSpec(id: string, version: number, spec: ServiceSpec, auth?: RegistryAuth): Promise<void> {
    await this.postServiceUpdate(id, version, spec, {}, auth);
  }

  /** GET /distribution/{image}/json: the digest the registry has for an image, as `docker stack deploy` pins it. */
  async imageDigest(image: string, auth?: RegistryAuth): Promise<string> {
    // The reference's own / : @ stay; anything else that would end the path (? #) is escaped.
    const path = `/distribution/${encodeURIComponent(image).replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%40/gi, '@')}/json`;
    const data = await this.request<{ Descriptor?: { digest?: string } }>('GET', path, { auth });
    return data?.Descriptor?.digest ?? '';
  }

  /** POST /nodes/{id}/update?version=N with exactly this spec (in the body) at exactly this version. */
  async replaceNodeSpec(id: string, version: number, spec: SwarmNode['Spec']): Promise<void> {
    await this.request('POST', `/nodes/${encodeURIComponent(id)}/update`, { query: { version }, body: spec });
  }

  /** POST /services/create (with X-Registry-Auth when registry credentials are given); the new service's id. */
  async createService(spec: ServiceSpec, auth?: RegistryAuth): Promise<string> {
    const made = await this.request<{ id?: string; ID?: string }>('POST', '/services/create', { body: spec, auth });
    return made?.id ?? made?.ID ?? '';
  }

  /** POST /networks/create; the new network's id. */
  async createNetwork(name: string, spec: Record<string, unknown>): Promise<string> {
    const made = await this.request<{ id?: string; Id?: string }>('POST', '/networks/create', { body: { ...spec, Name: name, CheckDuplicate: true } });
    return made?.id ?? made?.Id ?? '';
  }

  /** DELETE /services/{id}. */
  async removeService(id: string): Promise<void> {
    await this.request('DELETE', `/services/${encodeURIComponent(id)}`);
  }

  /** POST /secrets/create or /configs/create: the data is sent base64, as the API takes it. */
  async createResource(kind: 'secret' | 'config', name: string, data: Buffer, labels: Record<string, string> = {}): Promise<string> {
    const made = await this.request<{ id?: string; ID?: string }>('POST', `/${kind}s/create`, {
      body: { Name: name, Labels: labels, Data: data.toString('base64') },
    });
    return made?.id ?? made?.ID ?? '';
  }

  /** DELETE /networks/{id}, /secrets/{id} or /configs/{id}. */
  async removeResource(kind: ResourceKind, id: string): Promise<void> {
    await this.request('DELETE', `/${kind}/${encodeURIComponent(id)}`);
  }

  /** The services, networks, secrets or configs carrying a label (`key=value`), as `docker stack rm` finds a stack's objects. */
  listLabelled(kind: 'services' | ResourceKind, label: string): Promise<SwarmObject[]> {
    return this.list<SwarmObject>(`/${kind}`, { filters: { label: [label] } }, kind === 'networks' ? 'Id' : 'ID');
  }

  /** POST /nodes/{id}/update?version=N with a changed copy of the current spec in the body. */
  async updateNode(node: SwarmNode, change: Partial<SwarmNode['Spec']>): Promise<void> {
    await this.replaceNodeSpec(node.ID, node.Version.Index, { ...node.Spec, ...change });
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
    const query: Query = { filters: { type: ['service', 'node', 'network', 'secret', 'config'] }, since, until };
    const stream = await this.request<NodeJS.ReadableStream & { destroy(error?: Error): void }>('GET', '/events', { query, stream: true });
    const limit = this.modem.limits.maxBytes;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      // An event is a few hundred bytes: a line that never ends is an endpoint gone wrong, not an event to wait for.
      if (buffered.length > limit)
        return stream.destroy(new BadAnswerError(`GET /events: an event longer than ${Math.round(limit / 1024 / 1024)} MB, refused`, 'ETOOLARGE'));
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
    const path = target.task ? `/tasks/${encodeURIComponent(target.task)}/logs` : `/services/${encodeURIComponent(target.service!)}/logs`;
    // Always a stream (also without follow): a log is not JSON, and its lines are bounded by the log feed, not read whole.
    const result = await this.request<Buffer | (NodeJS.ReadableStream & { destroy(): void })>('GET', path, { query: query as Query, stream: true });
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
