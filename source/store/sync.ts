import type { DockerError, SwarmClient } from '../docker/client.js';
import type { LogEntry } from '../docker/demux.js';
import type { EngineInfo, SwarmEvent } from '../docker/types.js';
import type { Scope } from './state.js';
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
  private reconnectTimer?: NodeJS.Timeout;
  private backoff = 1000;
  private lastEventNano?: number;
  private pendingRefresh = { services: false, nodes: false, tasks: false };
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
      await Promise.all([this.refreshNodes(), this.refreshServices(), this.refreshTasks()]);
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
    const since = this.lastEventNano !== undefined ? this.lastEventNano / 1e9 : undefined;
    this.stopEvents = await this.client.events(
      since,
      (event) => this.onEvent(event),
      (error) => {
        if (!this.stopped) this.lost(error ?? ({ message: 'the event stream ended' } as DockerError));
      },
    );
  }

  private onEvent(event: SwarmEvent): void {
    if (event.timeNano) this.lastEventNano = event.timeNano;
    const tasks = this.store.getSnapshot().tasks.scope;
    if (event.Type === 'service') {
      this.pendingRefresh.services = true;
      if (tasks && (tasks.kind !== 'service' || tasks.id === event.Actor.ID)) this.pendingRefresh.tasks = true;
    }
    if (event.Type === 'node') {
      this.pendingRefresh.nodes = true;
      if (tasks?.kind === 'node') this.pendingRefresh.tasks = true;
    }
    // Bursts of events (a rolling update emits several) are folded into one refetch.
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        const pending = this.pendingRefresh;
        this.pendingRefresh = { services: false, nodes: false, tasks: false };
        if (pending.services) void this.refreshServices();
        if (pending.nodes) void this.refreshNodes().then(() => this.refreshInfo());
        if (pending.tasks) void this.refreshTasks();
        if (pending.nodes || pending.services) void this.refreshCounts();
      }, 50);
    }
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
    const converging = services.some(
      (s) => busy(s.UpdateStatus?.State) || (s.ServiceStatus && s.ServiceStatus.RunningTasks !== s.ServiceStatus.DesiredTasks),
    );
    this.servicesTimer = setTimeout(() => void this.refreshServices(), converging ? INTERVALS.converging : INTERVALS.quiet);
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

  /** The nodes on screen (none when the nodes view is hidden): task counts are fetched for these only. */
  setVisibleNodes(ids: string[]): void {
    const same = ids.length === this.visibleNodes.length && ids.every((id, i) => id === this.visibleNodes[i]);
    this.visibleNodes = ids;
    if (same) return;
    if (this.countsTimer) clearTimeout(this.countsTimer);
    // Scrolling fires this on every row: wait for the window to settle before asking.
    if (ids.length > 0) this.countsTimer = setTimeout(() => void this.refreshCounts(), 100);
  }

  /** Counts running tasks on the visible nodes with one filtered listing. */
  async refreshCounts(): Promise<void> {
    if (this.countsTimer) clearTimeout(this.countsTimer);
    const nodes = this.visibleNodes;
    if (nodes.length === 0) return;
    await this.guarded(async () => {
      const tasks = await this.client.listTasks({ node: nodes, desired: 'running' });
      const counts = new Map(this.store.getSnapshot().counts);
      for (const id of nodes) counts.set(id, 0);
      for (const task of tasks) if (task.NodeID && task.Status.State === 'running') counts.set(task.NodeID, (counts.get(task.NodeID) ?? 0) + 1);
      this.store.dispatch({ type: 'counts', counts });
    });
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
