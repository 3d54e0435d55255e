import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors.js';
import { isGlobal } from '../model/spec.js';
import type { Swarm, SwarmEvent, TaskRecord } from '../model/swarm.js';
import { lastLogLines, logLines, type LogLine } from '../model/logs.js';
import { exactMatch, labelMatch, parseFilters, prefixMatch, type Filters } from './filters.js';
import { frame, logDetails, logTimestamp } from './framing.js';
import { API_VERSION, ENGINE_VERSION, infoJson, nodeJson, serviceJson, swarmJson, taskJson, versionJson } from './shapes.js';
import { withDefaults } from '../model/spec.js';

/** What a handler needs: the model, the clock's ticks (for follow streams), and the request. */
export interface Context {
  swarm: Swarm;
  /** Registers a callback run after every clock advance; returns its remover. */
  onTick: (callback: () => void) => () => void;
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

type Handler = (ctx: Context) => unknown | Promise<unknown>;

/** A reply with a status other than 200, or a body that is not JSON. */
class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType: string | null = 'application/json',
  ) {}
}

/** Marks a handler that wrote the response itself (streams). */
const STREAMED = Symbol('streamed');

const MAX_BODY = 4 * 1024 * 1024;
const BASE_HEADERS = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Server: `Docker/${ENGINE_VERSION} (linux)`,
};

const bool = (query: URLSearchParams, key: string) => {
  const v = query.get(key);
  return v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
};

function versionParam(query: URLSearchParams, kind: string): number {
  const raw = query.get('version') ?? '';
  if (!/^\d+$/.test(raw)) throw errors.invalidVersion(kind, raw);
  return Number(raw);
}

async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const body = await ctx.body();
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badJson('json: cannot unmarshal non-object into Go value of type swarm.Spec');
  }
  return body as Record<string, unknown>;
}

function withoutClientKeys(body: Record<string, unknown>): Record<string, unknown> {
  // dockerode adds a lowercase `version` to the body; dockerd ignores unknown keys, and so do we.
  const { version: _version, ...rest } = body;
  return rest;
}

function typeCheckSpec(spec: Record<string, unknown>): void {
  const objectKeys = ['Labels', 'TaskTemplate', 'Mode', 'UpdateConfig', 'RollbackConfig', 'EndpointSpec'];
  for (const key of objectKeys) {
    const value = spec[key];
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw errors.badJson(`json: cannot unmarshal ${typeof value === 'object' ? 'array' : typeof value} into Go struct field ServiceSpec.${key}`);
    }
  }
  if (spec.Name !== undefined && typeof spec.Name !== 'string') {
    throw errors.badJson(`json: cannot unmarshal ${typeof spec.Name} into Go struct field ServiceSpec.Name of type string`);
  }
  const replicas = (spec.Mode as { Replicated?: { Replicas?: unknown } } | undefined)?.Replicated?.Replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    throw errors.badJson(`json: cannot unmarshal ${JSON.stringify(replicas)} into Go struct field ReplicatedService.Mode.Replicated.Replicas of type uint64`);
  }
}

// ---- handlers ------------------------------------------------------------------------------------

const NODE_FILTERS = ['id', 'label', 'membership', 'name', 'node.label', 'role'];
const SERVICE_FILTERS = ['id', 'label', 'mode', 'name'];
const TASK_FILTERS = ['desired-state', 'id', 'label', 'name', 'node', 'service', '_up-to-date'];
const EVENT_FILTERS = ['config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume'];
const PLAIN_FILTERS = ['id', 'label', 'name', 'names', 'driver', 'scope', 'type', 'dangling'];

function listNodes(ctx: Context) {
  ctx.swarm.requireLeader();
  const filters = parseFilters(ctx.query.get('filters'), NODE_FILTERS);
  return [...ctx.swarm.nodes.values()]
    .filter(
      (n) =>
        prefixMatch(filters, 'id', n.id) &&
        prefixMatch(filters, 'name', n.hostname, n.spec.Name) &&
        exactMatch(filters, 'role', n.spec.Role) &&
        exactMatch(filters, 'membership', 'accepted') &&
        labelMatch(filters, 'node.label', n.spec.Labels) &&
        labelMatch(filters, 'label', {}),
    )
    .map(nodeJson);
}

function listServices(ctx: Context) {
  ctx.swarm.requireLeader();
  const filters = parseFilters(ctx.query.get('filters'), SERVICE_FILTERS);
  for (const mode of filters.get('mode') ?? []) {
    if (mode !== 'replicated' && mode !== 'global') throw errors.invalidFilterValue('mode', mode);
  }
  const status = bool(ctx.query, 'status');
  return [...ctx.swarm.services.values()]
    .filter(
      (s) =>
        prefixMatch(filters, 'id', s.id) &&
        prefixMatch(filters, 'name', s.spec.Name) &&
        exactMatch(filters, 'mode', isGlobal(s.spec) ? 'global' : 'replicated') &&
        labelMatch(filters, 'label', s.spec.Labels),
    )
    .map((s) => serviceJson(ctx.swarm, s, status));
}

function taskMatcher(swarm: Swarm, filters: Filters): (task: TaskRecord) => boolean {
  // Services and nodes are given by name or id; the daemon resolves them before filtering.
  const resolve = (key: 'service' | 'node') => {
    const values = filters.get(key);
    if (!values) return undefined;
    const ids = new Set<string>();
    for (const value of values) {
      try {
        ids.add(key === 'service' ? swarm.service(value).id : swarm.node(value).id);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
    }
    return ids;
  };
  const services = resolve('service');
  const nodes = resolve('node');
  const desired = filters.get('desired-state');
  for (const state of desired ?? []) {
    if (!['running', 'shutdown', 'accepted'].includes(state)) throw errors.invalidFilterValue('desired-state', state);
  }
  const upToDate = filters.has('_up-to-date');
  return (task) => {
    const service = swarm.services.get(task.serviceId);
    if (services && !services.has(task.serviceId)) return false;
    if (nodes && !(task.nodeId && nodes.has(task.nodeId))) return false;
    if (desired && !desired.includes(task.desired === 'remove' ? 'shutdown' : task.desired)) return false;
    if (upToDate && (!service || task.key !== service.key)) return false;
    const name = service ? `${service.spec.Name}.${task.slot ?? task.nodeId}` : '';
    return (
      prefixMatch(filters, 'id', task.id) && prefixMatch(filters, 'name', name, `${name}.${task.id}`) && labelMatch(filters, 'label', service?.spec.Labels)
    );
  };
}

function listTasks(ctx: Context) {
  ctx.swarm.requireLeader();
  const filters = parseFilters(ctx.query.get('filters'), TASK_FILTERS);
  const match = taskMatcher(ctx.swarm, filters);
  const services = filters.get('service');
  // A service filter narrows the scan to that service's tasks: listings stay cheap at 50,000 tasks.
  let candidates: Iterable<TaskRecord> = ctx.swarm.tasks.values();
  if (services && services.length === 1) {
    try {
      candidates = ctx.swarm.tasksOf(ctx.swarm.service(services[0]).id);
    } catch {
      candidates = [];
    }
  } else if (filters.get('node')?.length === 1) {
    try {
      candidates = ctx.swarm.tasksOn(ctx.swarm.node(filters.get('node')![0]).id);
    } catch {
      candidates = [];
    }
  }
  const out = [];
  for (const task of candidates) if (match(task)) out.push(taskJson(ctx.swarm, task));
  return out;
}

async function createService(ctx: Context) {
  const body = withoutClientKeys(await jsonBody(ctx));
  typeCheckSpec(body);
  const service = ctx.swarm.createService(body);
  return new Reply(201, { ID: service.id, Warnings: null });
}

async function updateService(ctx: Context) {
  const version = versionParam(ctx.query, 'service');
  const rollback = ctx.query.get('rollback') === 'previous';
  const body = withoutClientKeys(await jsonBody(ctx));
  if (!rollback) typeCheckSpec(body);
  ctx.swarm.updateService(ctx.params[0], version, rollback ? undefined : body, rollback);
  return { Warnings: null };
}

async function updateNode(ctx: Context) {
  const version = versionParam(ctx.query, 'node');
  const body = withoutClientKeys(await jsonBody(ctx));
  for (const key of ['Role', 'Availability', 'Name'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'string') {
      throw errors.badJson(`json: cannot unmarshal ${typeof body[key]} into Go struct field NodeSpec.${key} of type string`);
    }
  }
  if (body.Labels !== undefined && body.Labels !== null && (typeof body.Labels !== 'object' || Array.isArray(body.Labels))) {
    throw errors.badJson('json: cannot unmarshal into Go struct field NodeSpec.Labels of type map[string]string');
  }
  ctx.swarm.updateNode(ctx.params[0], version, body as never);
  return new Reply(200, '', null);
}

function getService(ctx: Context) {
  ctx.swarm.requireLeader();
  const service = ctx.swarm.service(ctx.params[0]);
  const spec = bool(ctx.query, 'insertDefaults') ? withDefaults(service.spec) : service.spec;
  return serviceJson(ctx.swarm, service, false, spec);
}

function eventMatcher(filters: Filters): (event: SwarmEvent) => boolean {
  const named = (type: string, key: string, event: SwarmEvent) => event.Type !== type || prefixMatch(filters, key, event.Actor.ID, event.Actor.Attributes.name);
  const otherTypes = ['container', 'image', 'volume', 'network', 'plugin', 'daemon'];
  return (event) =>
    exactMatch(filters, 'type', event.Type) &&
    exactMatch(filters, 'event', event.Action) &&
    exactMatch(filters, 'scope', event.scope) &&
    named('service', 'service', event) &&
    named('node', 'node', event) &&
    named('secret', 'secret', event) &&
    named('config', 'config', event) &&
    // Filters on kinds of objects a swarm never reports exclude nothing of swarm scope.
    otherTypes.every((t) => !filters.has(t) || event.Type === t) &&
    labelMatch(filters, 'label', event.Actor.Attributes);
}

function parseTime(raw: string | null, name: string, now: number): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) throw errors.badParameter(`invalid value for ${name}: ${raw}`);
  return parsed ?? now;
}

function events(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), EVENT_FILTERS);
  const now = ctx.swarm.now;
  const since = parseTime(ctx.query.get('since'), 'since', now);
  const until = parseTime(ctx.query.get('until'), 'until', now);
  const match = eventMatcher(filters);
  const { res } = ctx;
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json' });
  res.flushHeaders();
  const write = (event: SwarmEvent) => res.write(`${JSON.stringify(event)}\n`);
  if (since !== undefined) {
    for (const event of ctx.swarm.events) {
      const t = event.timeNano / 1e6;
      if (t >= since && (until === undefined || t <= until) && match(event)) write(event);
    }
  }
  if (until !== undefined && until <= now) {
    res.end();
    return STREAMED;
  }
  const stop = () => {
    unsubscribe();
    untick();
    if (!res.writableEnded) res.end();
  };
  const unsubscribe = ctx.swarm.subscribe((event) => {
    if (until !== undefined && event.timeNano / 1e6 > until) return stop();
    if (match(event)) write(event);
  });
  const untick = ctx.onTick(() => {
    if (until !== undefined && ctx.swarm.now > until) stop();
  });
  // The response's close means the client went away (the request's close fires once its body is read).
  res.on('close', stop);
  return STREAMED;
}

function logs(ctx: Context, kind: 'service' | 'task') {
  const swarm = ctx.swarm;
  swarm.requireLeader();
  const service = kind === 'service' ? swarm.service(ctx.params[0]) : undefined;
  const single = kind === 'task' ? swarm.task(ctx.params[0]) : undefined;
  const stdout = bool(ctx.query, 'stdout');
  const stderr = bool(ctx.query, 'stderr');
  if (!stdout && !stderr) throw errors.noStream();
  const follow = bool(ctx.query, 'follow');
  const timestamps = bool(ctx.query, 'timestamps');
  const details = bool(ctx.query, 'details');
  const tailRaw = ctx.query.get('tail') ?? 'all';
  const tail = tailRaw === 'all' || tailRaw === '' ? Infinity : Number(tailRaw);
  if (!Number.isFinite(tail) && tailRaw !== 'all' && tailRaw !== '') throw errors.badParameter(`invalid value for tail: ${tailRaw}`);
  if (tail < 0) throw errors.badParameter(`invalid value for tail: ${tailRaw}`);
  const since = parseTime(ctx.query.get('since'), 'since', swarm.now) ?? 0;
  const until = parseTime(ctx.query.get('until'), 'until', swarm.now);
  const serviceId = service?.id ?? single!.serviceId;
  const tty = Boolean((service?.spec ?? swarm.services.get(serviceId)?.spec)?.TaskTemplate?.ContainerSpec?.TTY);
  const tasksNow = () => (single ? [single] : [...swarm.tasksOf(serviceId)]);
  const { res } = ctx;
  res.writeHead(200, BASE_HEADERS);
  res.flushHeaders();

  const encode = (task: TaskRecord, line: LogLine) => {
    let payload = '';
    if (timestamps) payload += `${logTimestamp(line.time)} `;
    if (details) payload += `${logDetails(task.nodeId ?? '', task.serviceId, task.id)} `;
    if (tty) return Buffer.from(`${payload}${line.text}\r\n`);
    return frame(line.stream === 'stdout' ? 1 : 2, `${payload}${line.text}\n`);
  };
  const wanted = (line: LogLine) => (line.stream === 'stdout' ? stdout : stderr);
  const emit = (batch: [TaskRecord, LogLine][]) => {
    batch.sort((a, b) => a[1].time - b[1].time);
    if (batch.length > 0) res.write(Buffer.concat(batch.map(([task, line]) => encode(task, line))));
  };

  const end = until !== undefined ? Math.min(until, swarm.now) : swarm.now;
  const cursor = new Map<string, number>();
  const first: [TaskRecord, LogLine][] = [];
  for (const task of tasksNow()) {
    // tail counts per task (per container), as the daemon does.
    const lines = (Number.isFinite(tail) ? lastLogLines(task, tail, end) : logLines(task, 0, end)).filter((l) => l.time >= since && wanted(l));
    for (const line of lines) first.push([task, line]);
    cursor.set(task.id, end);
  }
  emit(first);
  if (!follow || (until !== undefined && until <= swarm.now)) {
    res.end();
    return STREAMED;
  }
  const untick = ctx.onTick(() => {
    const to = until !== undefined ? Math.min(until, swarm.now) : swarm.now;
    const batch: [TaskRecord, LogLine][] = [];
    for (const task of tasksNow()) {
      const from = cursor.get(task.id) ?? Math.max(since, task.startedAt ?? to);
      for (const line of logLines(task, from, to)) if (wanted(line)) batch.push([task, line]);
      cursor.set(task.id, to);
    }
    emit(batch);
    if (until !== undefined && swarm.now >= until) stop();
  });
  const stop = () => {
    untick();
    if (!res.writableEnded) res.end();
  };
  // The response's close means the client went away (the request's close fires once its body is read).
  res.on('close', stop);
  return STREAMED;
}

function plainList(map: Map<string, { ID: string; [key: string]: unknown }>) {
  return (ctx: Context) => {
    const filters = parseFilters(ctx.query.get('filters'), PLAIN_FILTERS);
    return [...map.values()].filter((o) => {
      const name = String(o.Name ?? (o.Spec as { Name?: string } | undefined)?.Name ?? '');
      return prefixMatch(filters, 'id', o.ID) && (prefixMatch(filters, 'name', name) || false) && exactMatch(filters, 'names', name);
    });
  };
}

function plainGet(kind: string, map: Map<string, { ID: string; [key: string]: unknown }>) {
  return (ctx: Context) => {
    const ref = ctx.params[0];
    const nameOf = (o: { [key: string]: unknown }) => String(o.Name ?? (o.Spec as { Name?: string } | undefined)?.Name ?? '');
    const found =
      map.get(ref) ??
      [...map.values()].find((o) => nameOf(o) === ref) ??
      (ref ? [...map.values()].filter((o) => o.ID.startsWith(ref)) : []).find((_o, _i, all) => all.length === 1);
    if (!found) throw errors.notFound(kind, ref);
    return found;
  };
}

/** Runs one practice drill; answers what happened, in words for the status line. */
function drill(swarm: Swarm, name: string, target: string): { message: string } {
  const need = () => {
    if (!target) throw errors.badParameter(`drill ${name} needs ?target=`);
    return target;
  };
  switch (name) {
    case 'node-down':
      return { message: `${swarm.nodeDown(need()).hostname} is down: its tasks are being rescheduled` };
    case 'node-up':
      return { message: `${swarm.nodeUp(need()).hostname} is back` };
    case 'break-image': {
      const service = swarm.service(need());
      const image = String(service.spec.TaskTemplate?.ContainerSpec?.Image ?? '');
      swarm.breakImage(image);
      return { message: `${image} now fails to pull: force an update of ${service.spec.Name} to see it` };
    }
    case 'fix-image': {
      const service = swarm.service(need());
      const image = String(service.spec.TaskTemplate?.ContainerSpec?.Image ?? '');
      swarm.fixImage(image);
      return { message: `${image} pulls again` };
    }
    case 'lose-quorum': {
      const down = swarm.loseQuorum();
      return { message: `managers down: ${down.map((n) => n.hostname).join(', ')}; raft has no leader` };
    }
    case 'regain-quorum': {
      const back = swarm.regainQuorum();
      return { message: back.length ? `managers back: ${back.map((n) => n.hostname).join(', ')}` : 'every manager was already up' };
    }
    default:
      throw errors.badParameter(`unknown drill "${name}": node-down, node-up, break-image, fix-image, lose-quorum, regain-quorum`);
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** Builds the route table over one swarm's maps. */
function routes(swarm: Swarm): Route[] {
  const r = (method: string, path: string, handler: Handler): Route => ({
    method,
    pattern: new RegExp(`^${path.replace(/\{\*\}/g, '(.+)').replace(/\{\w+\}/g, '([^/]+)')}$`),
    handler,
  });
  return [
    r('GET', '/_ping', () => new Reply(200, 'OK', 'text/plain; charset=utf-8')),
    r('HEAD', '/_ping', () => new Reply(200, '', 'text/plain; charset=utf-8')),
    r('GET', '/version', () => versionJson()),
    r('GET', '/info', (ctx) => infoJson(ctx.swarm, ctx.swarm.now)),
    r('GET', '/swarm', (ctx) => {
      ctx.swarm.requireLeader();
      return swarmJson(ctx.swarm);
    }),
    r('GET', '/nodes', listNodes),
    r('GET', '/nodes/{id}', (ctx) => {
      ctx.swarm.requireLeader();
      return nodeJson(ctx.swarm.node(ctx.params[0]));
    }),
    r('POST', '/nodes/{id}/update', updateNode),
    r('DELETE', '/nodes/{id}', (ctx) => {
      ctx.swarm.removeNode(ctx.params[0], bool(ctx.query, 'force'));
      return new Reply(200, '', null);
    }),
    r('GET', '/services', listServices),
    r('POST', '/services/create', createService),
    r('GET', '/services/{id}', getService),
    r('POST', '/services/{id}/update', updateService),
    r('DELETE', '/services/{id}', (ctx) => {
      ctx.swarm.removeService(ctx.params[0]);
      return new Reply(200, '', null);
    }),
    r('GET', '/services/{id}/logs', (ctx) => logs(ctx, 'service')),
    r('GET', '/tasks', listTasks),
    r('GET', '/tasks/{id}', (ctx) => {
      ctx.swarm.requireLeader();
      return taskJson(ctx.swarm, ctx.swarm.task(ctx.params[0]));
    }),
    r('GET', '/tasks/{id}/logs', (ctx) => logs(ctx, 'task')),
    r('GET', '/events', events),
    r('GET', '/networks', plainList(swarm.networks)),
    r('GET', '/networks/{id}', plainGet('network', swarm.networks)),
    r('GET', '/secrets', plainList(swarm.secrets)),
    r('GET', '/secrets/{id}', plainGet('secret', swarm.secrets)),
    r('GET', '/configs', plainList(swarm.configs)),
    r('GET', '/configs/{id}', plainGet('config', swarm.configs)),
    // Not the Engine API: the simulator's practice drills, so that the console (and curl) can stage
    // incidents through the same socket. A real engine answers these 404 page not found.
    r('POST', '/swarmdeck/drills/{name}', (ctx) => drill(ctx.swarm, decodeURIComponent(ctx.params[0]), ctx.query.get('target') ?? '')),
    r('GET', '/distribution/{*}/json', () => {
      throw errors.registryUnreachable();
    }),
  ];
}

function send(res: ServerResponse, status: number, body: unknown, contentType: string | null): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  const headers: Record<string, string | number> = { ...BASE_HEADERS, 'Content-Length': Buffer.byteLength(text) };
  if (contentType) headers['Content-Type'] = contentType;
  res.writeHead(status, headers);
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.plain) send(res, error.status, `${error.message}\n`, 'text/plain; charset=utf-8');
  else send(res, error.status, { message: error.message }, 'application/json');
}

function readBody(req: IncomingMessage): () => Promise<unknown> {
  let cached: Promise<unknown> | undefined;
  return () =>
    (cached ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(errors.bodyTooLarge());
          req.removeAllListeners('data');
          req.resume();
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => {
        if (size > MAX_BODY) return;
        const text = Buffer.concat(chunks).toString('utf8').trim();
        if (text === '') return resolve(undefined);
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(errors.badJson(`invalid character in JSON body: ${(error as Error).message}`));
        }
      });
    }));
}

/** Makes the request listener of a simulated manager over one swarm. */
export function createRouter(swarm: Swarm, onTick: Context['onTick']) {
  const table = routes(swarm);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://swarm');
      let path = url.pathname;
      const versioned = /^\/v([^/]+)(\/.*)$/.exec(path);
      if (versioned) {
        const version = versioned[1];
        if (!/^\d+\.\d+$/.test(version)) throw errors.pageNotFound();
        const [major, minor] = version.split('.').map(Number);
        if (major > 1 || (major === 1 && minor > 41)) throw errors.versionTooNew(version);
        if (major < 1 || (major === 1 && minor < 12)) throw errors.versionTooOld(version);
        path = versioned[2];
      }
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
