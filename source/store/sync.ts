import { type DockerError, SwarmClient } from '../docker/client.js';
import { listContexts, resolveEndpoints } from '../docker/connection.js';
import { readObject } from './inspect.js';
import type { LogEntry } from '../docker/demux.js';
import type { EngineInfo, ResourceKind, SwarmEvent, SwarmTask } from '../docker/types.js';
import { EVENT_HISTORY_SECONDS, type Scope } from './state.js';
import type { Store } from './store.js';

/**
 * How often to refresh, ms. Converging services are polled fast. A quiet swarm is left to the
 * event stream, but for one services listing a minute: Swarm sends no event when a task dies, so
 * without it a crash-looping service would go unnoticed.
 */
export const INTERVALS = { converging: 1000, quiet: 60_000, tasks: 2000, maxBackoff: 30_000 };

/** The bound on the log buffer: older lines are dropped (and counted) beyond it. */
export const LOG_LIMIT = 5000;

/** How often queued log lines are handed to the store, ms. */
export const LOG_FLUSH_MS = 50;

/** Log options the logs pane controls. */
export interface LogOptions {
  follow: boolean;
  tail: number | 'all';
  since?: number;
}

const busy = (state: string | undefined) => state === 'updating' || state === 'rollback_started';

/**
 * Keeps the store current: one event stream (services and nodes) triggers targeted refetches;
 * only what is visible is polled (the selected scope's tasks, replica counts while converging);
 * the whole task list is never fetched. Reconnects with backoff and keeps the last data meanwhile.
 */
export class Sync {
  private timers = new Set<NodeJS.Timeout>();
  private stopEvents?: () => void;
  private stopLogs?: () => void;
  private servicesTimer?: NodeJS.Timeout;
  private tasksTimer?: NodeJS.Timeout;
  private countsTimer?: NodeJS.Timeout;
  private visibleNodes: string[] = [];
  /** When each node's tasks were last listed (ms): nodes shown again soon after are not asked for again. */
  private countsAt = new Map<string, number>();
  private pollCounts = false;
  /** Whether the last services listing showed a service converging. */
  private wasConverging = false;
  private reconnectTimer?: NodeJS.Timeout;
  private backoff = 1000;
  private lastEventNano?: number;
  private pendingRefresh = { services: false, nodes: false, tasks: false, resource: false };
  /** The networks, configs or secrets view on screen, if any: only that list is fetched and kept current. */
  private resourceShown?: ResourceKind;
  /** Events waiting to be handed to the timeline with the next refresh. */
  private eventQueue: SwarmEvent[] = [];
  /** Events older than this (ns) are replayed history: they fill the timeline but trigger no refetch. */
  private liveFromNano = 0;
  /** True from a re-subscription until its first event. */
  private resuming = false;

  private refreshTimer?: NodeJS.Timeout;
  private logOptions: LogOptions = { follow: true, tail: 200 };
  /** The time of the newest log line received (seconds), to re-attach after it. */
  private lastLogTime?: number;
  private stopped = false;

  private clients: SwarmClient[];
  private current = 0;
  /** Connection failures since the last success: the first one fails over at once. */
  private failures = 0;

  /**
   * @param clients one client per manager (-H given several times): the first is used until it is
   *   lost, then the next that answers as a manager.
   */
  constructor(
    clients: SwarmClient | SwarmClient[],
    readonly store: Store,
    private readonly now: () => number = Date.now,
    current = 0,
  ) {
    this.clients = Array.isArray(clients) ? clients : [clients];
    this.current = current;
  }

  /** The client of the manager in use. */
  get client(): SwarmClient {
    return this.clients[this.current];
  }

  /** Connects and loads; resolves once the first data is in (or the first failure is reported). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Stops every stream and timer. */
  stop(): void {
    this.stopped = true;
    this.stopEvents?.();
    this.stopLogs?.();
    for (const timer of [this.servicesTimer, this.tasksTimer, this.countsTimer, this.reconnectTimer, this.refreshTimer, this.flushTimer]) {
      if (timer) clearTimeout(timer);
    }
    for (const timer of this.timers) clearTimeout(timer);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // The manager in use first, then the others in order: the first that answers as a manager wins.
    let info: EngineInfo | undefined;
    let firstError: DockerError | undefined;
    for (let k = 0; k < this.clients.length && !info; k++) {
      const index = (this.current + k) % this.clients.length;
      try {
        info = await this.clients[index].checkManager();
        if (index !== this.current) this.moveTo(index);
      } catch (error) {
        firstError ??= error as DockerError;
      }
    }
    if (this.stopped) return;
    if (!info) return this.lost(firstError!);
    try {
      this.store.dispatch({ type: 'info', info });
      // Whatever changed while away is unknown: counts are listed again too.
      this.countsAt.clear();
      await Promise.all([this.refreshNodes(), this.refreshServices(), this.refreshTasks(), this.refreshCounts()]);
      await this.subscribe();
      this.backoff = 1000;
      this.failures = 0;
      // Logs pick up after the last line shown, not from the tail again.
      if (this.store.getSnapshot().logs.scope) this.openLogs(this.lastLogTime);
    } catch (error) {
      this.lost(error as DockerError);
    }
  }

  private moveTo(index: number): void {
    const from = this.client.endpoint.label;
    this.current = index;
    this.stopLogs?.();
    this.stopLogs = undefined;
    this.store.dispatch({ type: 'endpoint', endpoint: this.client.endpoint.label });
    this.store.dispatch({ type: 'status', text: `lost ${from}; now on ${this.client.endpoint.label}`, kind: 'info', at: this.now() });
  }

  private lost(error: DockerError): void {
    if (this.stopped) return;
    this.stopEvents?.();
    this.stopEvents = undefined;
    const current = this.store.getSnapshot().connection;
    if (this.reconnectTimer) return;
    // With other managers to go to, the first loss moves on at once; after that, back off.
    const delay = this.clients.length > 1 && this.failures === 0 ? 0 : this.backoff;
    if (delay > 0) this.backoff = Math.min(this.backoff * 2, INTERVALS.maxBackoff);
    this.failures += 1;
    const retryAt = this.now() + delay;
    this.store.dispatch({ type: 'connection', connection: { status: 'disconnected', error: error.message, retryAt, lastOk: current.lastOk } });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private async subscribe(): Promise<void> {
    this.stopEvents?.();
    // The first subscription replays the last minutes, so the events view opens with history.
    this.liveFromNano = this.now() * 1e6;
    this.resuming = this.lastEventNano !== undefined;
    const since = this.lastEventNano !== undefined ? this.lastEventNano / 1e9 : Math.floor(this.now() / 1000) - EVENT_HISTORY_SECONDS;
    this.stopEvents = await this.client.events(
      since,
      (event) => this.onEvent(event),
      (error) => {
        if (!this.stopped) this.lost(error ?? ({ message: 'the event stream ended' } as DockerError));
      },
    );
  }

  private onEvent(event: SwarmEvent): void {
    // After a reconnect the stream starts again at the last event seen: that one is not repeated.
    if (event.timeNano !== undefined && this.lastEventNano !== undefined && event.timeNano <= this.lastEventNano && this.resuming) return;
    this.resuming = false;
    if (event.timeNano) this.lastEventNano = event.timeNano;
    this.eventQueue.push(event);
    // Replayed history fills the timeline but needs no refetch: the first load is newer.
    const replayed = event.timeNano !== undefined && event.timeNano < this.liveFromNano;
    if (!replayed) this.markStale(event);
    // Bursts of events (a rolling update emits several) are folded into one refetch.
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        const pending = this.pendingRefresh;
        this.pendingRefresh = { services: false, nodes: false, tasks: false, resource: false };
        if (this.eventQueue.length > 0) {
          this.store.dispatch({ type: 'events', events: this.eventQueue });
          this.eventQueue = [];
        }
        if (pending.resource) void this.refreshResource();
        if (pending.services) void this.refreshServices();
        if (pending.nodes) void this.refreshNodes().then(() => this.refreshInfo());
        if (pending.tasks) void this.refreshTasks();
        if (pending.nodes || pending.services) {
          // Counts of nodes off screen are outdated too: they are listed again when shown.
          this.countsAt.clear();
          void this.refreshCounts();
        }
      }, 50);
    }
  }

  /** Marks what an event changed, for the next refetch. */
  private markStale(event: SwarmEvent): void {
    const tasks = this.store.getSnapshot().tasks.scope;
    if (event.Type === 'service') {
      this.pendingRefresh.services = true;
      if (tasks && (tasks.kind !== 'service' || tasks.id === event.Actor.ID)) this.pendingRefresh.tasks = true;
    }
    if (event.Type === 'node') {
      this.pendingRefresh.nodes = true;
      // A node going down, drained or paused moves tasks: the services' running counts change too.
      this.pendingRefresh.services = true;
      if (tasks?.kind === 'node') this.pendingRefresh.tasks = true;
    }
    if (this.resourceShown && event.Type === this.resourceShown.slice(0, -1)) this.pendingRefresh.resource = true;
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await work();
    } catch (error) {
      const e = error as DockerError;
      if (e.status === undefined) this.lost(e);
      else {
        // The manager answers, but with an error (no leader, say): the header shows it, and the
        // status line keeps the result of the user's last action.
        const { lastOk } = this.store.getSnapshot().connection;
        this.store.dispatch({ type: 'connection', connection: { status: 'connected', error: e.message, lastOk } });
      }
    }
  }

  private async refreshInfo(): Promise<void> {
    await this.guarded(async () => this.store.dispatch({ type: 'info', info: await this.client.info() }));
  }

  /** Refetches the node list: on connect and on node events (the engine emits one for every change of role, availability or state). */
  async refreshNodes(): Promise<void> {
    await this.guarded(async () => this.store.dispatch({ type: 'nodes', nodes: await this.client.listNodes(), at: this.now() }));
  }

  /** Refetches services with replica counts; polls fast only while some service converges or updates. */
  async refreshServices(): Promise<void> {
    if (this.servicesTimer) clearTimeout(this.servicesTimer);
    await this.guarded(async () => this.store.dispatch({ type: 'services', services: await this.client.listServices(), at: this.now() }));
    if (this.stopped) return;
    const services = this.store.getSnapshot().services;
    const converging = services.some((s) => busy(s.UpdateStatus?.State) || (s.ServiceStatus && s.ServiceStatus.RunningTasks !== s.ServiceStatus.DesiredTasks));
    this.servicesTimer = setTimeout(() => void this.refreshServices(), converging ? INTERVALS.converging : INTERVALS.quiet);
    // Tasks start one by one while services converge, and Swarm sends no event for each: the
    // per-node counts on screen follow the same polling, and once more when it settles.
    if (converging || this.wasConverging) void this.refreshCounts();
    this.wasConverging = converging;
  }

  /** Refetches the tasks of the visible scope (if any) and keeps polling it while it is visible. */
  async refreshTasks(): Promise<void> {
    if (this.tasksTimer) clearTimeout(this.tasksTimer);
    const scope = this.store.getSnapshot().tasks.scope;
    if (!scope || scope.kind === 'task') return;
    await this.guarded(async () => {
      const items = await this.client.listTasks(scope.kind === 'service' ? { service: scope.id } : { node: scope.id });
      this.store.dispatch({ type: 'tasks', scope, items, at: this.now() });
    });
    if (!this.stopped && this.store.getSnapshot().tasks.scope === scope) {
      this.tasksTimer = setTimeout(() => void this.refreshTasks(), INTERVALS.tasks);
    }
  }

  /**
   * The nodes on screen (none when neither the nodes view nor the map shows): their tasks are
   * fetched for the counts and the map, these only. `poll` keeps them current (the map: Swarm
   * sends no event when a task dies).
   */
  setVisibleNodes(ids: string[], poll = false): void {
    const same = ids.length === this.visibleNodes.length && ids.every((id, i) => id === this.visibleNodes[i]);
    // The same nodes, but now polled (the nodes view gave way to the map): polling must start.
    const startPolling = poll && !this.pollCounts;
    this.pollCounts = poll;
    this.visibleNodes = ids;
    if (same && !startPolling) return;
    if (this.countsTimer) clearTimeout(this.countsTimer);
    // Scrolling fires this on every row: wait for the window to settle before asking.
    if (ids.length > 0) this.countsTimer = setTimeout(() => void this.refreshCounts(true), 100);
  }

  /**
   * Lists the running tasks of the visible nodes with one filtered listing: counts per node, and
   * the map's blocks. With `onlyStale`, only nodes not listed within the polling interval are asked
   * for: scrolling one row fetches one node, and going back to a view fetches nothing. Task lists
   * are kept for the visible nodes only (counts, a number per node, for all).
   */
  async refreshCounts(onlyStale = false): Promise<void> {
    if (this.countsTimer) clearTimeout(this.countsTimer);
    const visible = this.visibleNodes;
    if (visible.length === 0) return;
    if (this.pollCounts) this.countsTimer = setTimeout(() => void this.refreshCounts(), INTERVALS.tasks);
    const at = this.now();
    const nodes = onlyStale ? visible.filter((id) => (this.countsAt.get(id) ?? -Infinity) <= at - INTERVALS.tasks) : visible;
    if (nodes.length === 0) return this.keepTasksOf(visible);
    await this.guarded(async () => {
      const tasks = await this.client.listTasks({ node: nodes, desired: 'running' });
      const snapshot = this.store.getSnapshot();
      const counts = new Map(snapshot.counts);
      const byNode = new Map<string, SwarmTask[]>();
      for (const id of this.visibleNodes) {
        const kept = snapshot.nodeTasks.get(id);
        if (kept) byNode.set(id, kept);
      }
      for (const id of nodes) {
        counts.set(id, 0);
        byNode.set(id, []);
        this.countsAt.set(id, at);
      }
      for (const task of tasks) {
        if (!task.NodeID) continue;
        byNode.get(task.NodeID)?.push(task);
        if (task.Status.State === 'running') counts.set(task.NodeID, (counts.get(task.NodeID) ?? 0) + 1);
      }
      this.store.dispatch({ type: 'counts', counts, tasks: byNode });
    });
  }

  /** Drops the task lists of nodes no longer on screen (their counts stay). */
  private keepTasksOf(visible: string[]): void {
    const { counts, nodeTasks } = this.store.getSnapshot();
    if (nodeTasks.size <= visible.length) return;
    const kept = new Map<string, SwarmTask[]>();
    for (const id of visible) {
      const tasks = nodeTasks.get(id);
      if (tasks) kept.set(id, tasks);
    }
    this.store.dispatch({ type: 'counts', counts, tasks: kept });
  }

  /** Shows the networks, configs or secrets view (or none): that list is fetched now and on its events. */
  setResourceView(kind: ResourceKind | undefined): void {
    this.resourceShown = kind;
    if (kind) void this.refreshResource();
  }

  private async refreshResource(): Promise<void> {
    const kind = this.resourceShown;
    if (!kind) return;
    await this.guarded(async () => this.store.dispatch({ type: 'resource', kind, items: await this.client.listResources(kind) }));
  }

  /** Reads the object the inspect view shows, fresh from the manager. */
  async loadInspect(scope: Scope): Promise<void> {
    try {
      this.store.dispatch({ type: 'inspect', scope, object: await readObject(this.client, scope) });
    } catch (error) {
      this.store.dispatch({ type: 'inspect', scope, error: (error as Error).message });
    }
  }

  /**
   * Moves to another swarm (a context switch): forgets everything of the last one, and connects to
   * the new managers as at start-up. The view is the caller's to reset.
   */
  async switchTo(clients: SwarmClient[]): Promise<void> {
    this.stopEvents?.();
    this.stopEvents = undefined;
    this.stopLogs?.();
    this.stopLogs = undefined;
    for (const timer of [this.servicesTimer, this.tasksTimer, this.countsTimer, this.reconnectTimer, this.refreshTimer, this.flushTimer]) {
      if (timer) clearTimeout(timer);
    }
    this.reconnectTimer = undefined;
    this.refreshTimer = undefined;
    this.clients = clients;
    this.current = 0;
    this.failures = 0;
    this.backoff = 1000;
    this.lastEventNano = undefined;
    this.eventQueue = [];
    this.store.dispatch({ type: 'reset', endpoint: this.client.endpoint.label });
    await this.connect();
  }

  /** The docker contexts on this machine (as `docker context ls`), the one in use marked. */
  contexts(): { name: string; host: string; current: boolean }[] {
    return listContexts().map((c) => ({ ...c, current: c.host === this.client.endpoint.url }));
  }

  /** Switches to a docker context without restarting; a context that cannot be used is reported and nothing changes. True when switched. */
  async switchContext(name: string): Promise<boolean> {
    let endpoints;
    try {
      endpoints = resolveEndpoints({ context: name });
    } catch (error) {
      this.store.dispatch({ type: 'status', text: `context ${name}: ${(error as Error).message}`, kind: 'error', at: this.now() });
      return false;
    }
    const clients = endpoints.map((e) => new SwarmClient(e));
    try {
      await clients[0].checkManager();
    } catch (error) {
      // Stay where we are: a context we cannot use must not cost the view we have.
      this.store.dispatch({
        type: 'status',
        text: `context ${name}: ${(error as Error).message} (still on ${this.client.endpoint.label})`,
        kind: 'error',
        at: this.now(),
      });
      return false;
    }
    await this.switchTo(clients);
    this.store.dispatch({ type: 'status', text: `switched to context ${name}`, kind: 'success', at: this.now() });
    return true;
  }

  /** Runs a practice drill on the simulated swarm (the simulator's own API, through the same socket). */
  async drill(name: 'node-down' | 'node-up' | 'break-image' | 'fix-image' | 'lose-quorum' | 'regain-quorum', target?: string): Promise<void> {
    try {
      const result = await this.client.drill(name, target);
      this.store.dispatch({ type: 'status', text: `drill: ${result}`, kind: 'info', at: this.now() });
    } catch (error) {
      this.store.dispatch({ type: 'status', text: `drill ${name}: ${(error as Error).message}`, kind: 'error', at: this.now() });
    }
    void this.refreshNodes();
    void this.refreshServices();
    void this.refreshInfo();
  }

  /** Shows the tasks of a service or node (or nothing): polling follows what is on screen. */
  setTasksScope(scope: Scope | undefined): void {
    this.store.dispatch({ type: 'tasks/scope', scope });
    void this.refreshTasks();
  }

  /** Shows the logs of a service or task (or none), with the given options. */
  setLogs(scope: Scope | undefined, options: LogOptions = this.logOptions): void {
    this.logOptions = options;
    this.stopLogs?.();
    this.stopLogs = undefined;
    this.lastLogTime = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.queued = [];
    this.store.dispatch({ type: 'logs/reset', scope, status: scope ? 'loading' : 'idle' });
    if (scope) this.openLogs();
  }

  private queued: LogEntry[] = [];
  private flushTimer?: NodeJS.Timeout;

  /**
   * Lines arrive in as many chunks as the engine writes (thousands a second from a noisy service):
   * they are handed to the store at most every LOG_FLUSH_MS, so that the screen redraws a few
   * times a second, not once per chunk, and keys are answered in between. Beyond the buffer's
   * bound, older lines are dropped here already (and counted).
   */
  private queueLines(scope: Scope, lines: LogEntry[], status: 'streaming' | 'ended'): void {
    for (const line of lines) this.queued.push(line);
    if (this.queued.length > LOG_LIMIT * 2) this.flushLogs(scope, status);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flushLogs(scope, status), LOG_FLUSH_MS);
  }

  private flushLogs(scope: Scope, status: 'streaming' | 'ended'): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const lines = this.queued;
    this.queued = [];
    if (this.store.getSnapshot().logs.scope !== scope) return;
    this.store.dispatch({ type: 'logs/append', lines, limit: LOG_LIMIT });
    this.store.dispatch({ type: 'logs/status', status });
  }

  private openLogs(since?: number): void {
    const scope = this.store.getSnapshot().logs.scope;
    if (!scope || scope.kind === 'node') return;
    const service = scope.kind === 'service' ? this.store.getSnapshot().services.find((s) => s.ID === scope.id) : undefined;
    const tty = Boolean(service?.Spec.TaskTemplate?.ContainerSpec?.TTY);
    const options = this.logOptions;
    void this.client
      .logs(
        scope.kind === 'service' ? { service: scope.id } : { task: scope.id },
        { follow: options.follow, tail: since !== undefined ? 'all' : options.tail, since: since ?? options.since, tty },
        (lines) => {
          if (this.store.getSnapshot().logs.scope !== scope) return;
          const last = this.lastLogTime;
          const fresh = since === undefined || last === undefined ? lines : lines.filter((l) => (l.time ?? 0) / 1000 > last);
          const newest = lines.at(-1)?.time;
          if (newest !== undefined) this.lastLogTime = newest / 1000;
          this.queueLines(scope, fresh, options.follow ? 'streaming' : 'ended');
        },
        (error) => {
          if (this.store.getSnapshot().logs.scope !== scope || this.stopped) return;
          if (error) {
            this.store.dispatch({ type: 'logs/status', status: 'error', error: error.message });
            return;
          }
          if (!options.follow) {
            this.store.dispatch({ type: 'logs/status', status: 'ended' });
            return;
          }
          // The stream ended while following (tasks replaced, manager restarted): re-attach from the last line.
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            if (this.store.getSnapshot().logs.scope === scope) this.openLogs(this.lastLogTime);
          }, 1000);
          this.timers.add(timer);
        },
      )
      .then((stop) => {
        if (this.store.getSnapshot().logs.scope === scope) this.stopLogs = stop;
        else stop();
        if (!options.follow && this.store.getSnapshot().logs.status === 'loading') {
          this.store.dispatch({ type: 'logs/status', status: 'ended' });
        }
      })
      .catch((error: DockerError) => this.store.dispatch({ type: 'logs/status', status: 'error', error: error.message }));
  }
}
