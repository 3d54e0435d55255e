import { SwarmClient } from '../docker/client.js';
import { listContexts, resolveEndpoints } from '../docker/connection.js';
import type { ActionLog } from './action-log.js';
import { readObject } from './inspect.js';
import { sinceSeconds, tailOf, type LogRange } from './log-range.js';
import { needsKey, type Needs } from './needs.js';
import { managerQuorum, sameScope, type Scope } from './state.js';
import type { Store } from './store.js';
import { Connection } from './sync/connection.js';
import { SyncCore } from './sync/core.js';
import { EventFeed } from './sync/event-feed.js';
import { Health } from './sync/health.js';
import { Restarts } from './sync/restarts.js';
import { OomProbe } from './sync/oom.js';
import { LogFeed } from './sync/log-feed.js';
import { NodeTasks } from './sync/node-tasks.js';
import { RunningTasks } from './sync/running-tasks.js';
import { Pollers } from './sync/pollers.js';
import { StatsPoller } from './sync/stats.js';
import { ServiceTasks } from './sync/service-tasks.js';
import { EngineViews } from './sync/engine-views.js';
import type { NodeReach } from '../docker/node-reach.js';
import type { SwarmNode } from '../docker/types.js';
import type { Drill } from '../swarm/drills.js';

export { INTERVALS } from './sync/pollers.js';
export { LOG_FLUSH_MS, LOG_LIMIT, type LogOptions } from './sync/log-feed.js';

/** A node's address: Status.Addr, or for a manager that reports 0.0.0.0 there (dockerd does), its raft address's host. */
const nodeAddr = (node: SwarmNode) =>
  node.Status.Addr && node.Status.Addr !== '0.0.0.0' ? node.Status.Addr : node.ManagerStatus?.Addr?.replace(/:\d+$/, '') || node.Status.Addr;

const sameRange = (a?: LogRange, b?: LogRange) => a?.since === b?.since && a?.tail === b?.tail;

/**
 * Keeps the store current: one event stream (services and nodes) triggers targeted refetches;
 * only what the view on screen needs is fetched (see show); the whole task list is never fetched.
 * Reconnects with backoff, fails over between managers, and keeps the last data meanwhile.
 */
export class Sync {
  private core: SyncCore;
  private connection: Connection;
  private pollers: Pollers;
  private nodeTasks: NodeTasks;
  private running: RunningTasks;
  private events: EventFeed;
  private logs: LogFeed;
  private health: Health;
  private restarts: Restarts;
  private oom: OomProbe;
  private stats: StatsPoller;
  private serviceTasks: ServiceTasks;
  private engineViews: EngineViews;
  private shown: Needs = {};
  private shownKey = needsKey({});

  /**
   * @param clients one client per manager (-H given several times): the first is used until it is
   *   lost, then the next that answers as a manager.
   */
  constructor(
    clients: SwarmClient | SwarmClient[],
    readonly store: Store,
    now: () => number = Date.now,
    current = 0,
    /** --node-host NODE=URL pairs (over config.yaml nodes:): where nodes' own engines answer. */
    nodeHosts: string[] = [],
  ) {
    const core = (this.core = new SyncCore(Array.isArray(clients) ? clients : [clients], store, now, current));
    this.nodeTasks = new NodeTasks(core);
    this.running = new RunningTasks(core);
    this.restarts = new Restarts(core);
    this.serviceTasks = new ServiceTasks(core);
    this.pollers = new Pollers(
      core,
      () => void this.nodeTasks.refresh(),
      (services) => {
        this.restarts.observe(services);
        this.serviceTasks.observe(services);
      },
    );
    this.events = new EventFeed(core, this.pollers, this.nodeTasks);
    this.logs = new LogFeed(core);
    this.stats = new StatsPoller(core, async () => {
      const { parseNodeHosts, readNodeConfig } = await import('../docker/node-reach.js');
      return new Map([...(await readNodeConfig()), ...parseNodeHosts(nodeHosts)]);
    });
    this.engineViews = new EngineViews(core, () => this.stats.nodeReach());
    this.oom = new OomProbe(core, () => this.stats.nodeReach());
    // The exit-137 failures in a restarting service's history are asked about too: the why-block and the events say OOMKilled wherever the service is seen.
    this.restarts.onHistory = (targets) => this.oom.probe(targets);
    this.health = new Health(core, (since) => void this.leaderBack(since));
    this.connection = new Connection(core, {
      load: async () => {
        // Whatever changed while away is unknown: counts are listed again too.
        this.nodeTasks.forget();
        await Promise.all([
          this.pollers.refreshNodes(),
          this.pollers.refreshServices(),
          this.pollers.refreshTasks(),
          this.nodeTasks.refresh(),
          this.running.refresh(),
        ]);
      },
      subscribe: () => this.events.subscribe(),
      resume: () => this.logs.resume(),
      closeEvents: () => this.events.close(),
      closeLogs: () => this.logs.close(),
      watch: (on) => (on ? this.health.start() : this.health.stop()),
      otherManagers: () => this.otherManagers(),
    });
  }

  /** The swarm's other managers (the last node list's), each reached as node reach reaches its node; for when the one in use is demoted. */
  private async otherManagers(): Promise<{ clients: SwarmClient[]; hostnames: string[] }> {
    const state = this.store.getSnapshot();
    const self = state.info?.Swarm?.NodeID;
    // (Not only those listed as ready: a demoted leader's last list can say Unknown for all.) Ready ones first.
    const managers = state.nodes
      .filter((n) => n.Spec.Role === 'manager' && n.ID !== self)
      .sort((a, b) => Number(b.Status.State === 'ready') - Number(a.Status.State === 'ready'));
    const hostnames = managers.map((n) => n.Description?.Hostname ?? n.ID);
    const reach = await this.stats.nodeReach();
    const clients: SwarmClient[] = [];
    for (const node of managers) {
      const resolved = await reach.resolve({ id: node.ID, hostname: node.Description?.Hostname ?? node.ID, addr: nodeAddr(node) });
      // (An endpoint that needs a header to name its node is the simulator's shared socket: its manager API follows the leader anyway.)
      if (resolved.endpoint && !resolved.endpoint.headers) clients.push(new SwarmClient(resolved.endpoint));
    }
    return { clients, hostnames };
  }

  /** The client of the manager in use. */
  get client(): SwarmClient {
    return this.core.client;
  }

  /** Connects and loads; resolves once the first data is in (or the first failure is reported). */
  async start(): Promise<void> {
    await this.connection.connect();
  }

  /** Stops every stream and timer. */
  stop(): void {
    this.core.stopped = true;
    this.stats.stop();
    this.engineViews.stop();
    this.events.close();
    this.logs.close();
    this.core.clearTimers();
  }

  /**
   * Keeps exactly what the view on screen needs current (see Needs): what it needed before and
   * needs no longer stops, what is new is fetched; what is unchanged is left alone.
   */
  show(needs: Needs, log?: ActionLog): void {
    const key = needsKey(needs);
    if (key === this.shownKey) return;
    const before = this.shown;
    this.shown = needs;
    this.shownKey = key;
    if (!sameScope(needs.tasks, before.tasks) || !sameScope(needs.tasks, this.store.getSnapshot().tasks.scope)) this.pollers.showTasks(needs.tasks);
    if (!sameScope(needs.logs?.scope, before.logs?.scope) || !sameRange(needs.logs?.range, before.logs?.range)) this.showLogs(needs.logs);
    this.pollers.showResource(needs.resource);
    if (needs.inspect && !sameScope(needs.inspect, before.inspect)) void this.loadInspect(needs.inspect);
    this.nodeTasks.show(needs.nodes?.ids ?? [], needs.nodes?.poll ?? false);
    this.running.show(Boolean(needs.running));
    this.restarts.show(needs.restarts ?? []);
    this.serviceTasks.show(needs.serviceTasks ?? []);
    if (needsKey({ stats: needs.stats, statsBudget: needs.statsBudget }) !== needsKey({ stats: before.stats, statsBudget: before.statsBudget }))
      this.stats.show(needs.stats ?? [], needs.statsBudget);
    this.engineViews.show(needs.engine);
    if (needs.oom) this.oom.probe(needs.oom);
    if (needs.actions && !before.actions && log) this.store.dispatch({ type: 'actions/load', records: log.read() });
    if (needs.contexts && !before.contexts) this.store.dispatch({ type: 'contexts', items: this.contexts() });
  }

  /** Stats requests made to the nodes' engines and bytes read, since start. */
  statsUsage(): { requests: number; bytes: number } {
    return { ...this.stats.usage };
  }

  /** Reads everything again, as after a reconnect, and what the view on screen needs too (Ctrl+R). */
  async refresh(log?: ActionLog): Promise<void> {
    const needs = this.shown;
    await this.connection.reload();
    this.shown = {};
    this.shownKey = needsKey({});
    this.show(needs, log);
    void this.serviceTasks.refresh();
  }

  /** Opens the logs a view needs: exactly the range asked of the manager (a relative since from now). */
  private showLogs(logs: Needs['logs']): void {
    const range = logs?.range;
    this.logs.show(logs?.scope, {
      follow: logs?.follow ?? true,
      tail: tailOf(range),
      since: range?.since ? sinceSeconds(range.since, this.core.now()) : undefined,
    });
  }

  /** The nodes' own engines (node reach): made when first needed, shared by the stats and the shell. */
  nodeReach(): Promise<NodeReach> {
    return this.stats.nodeReach();
  }

  /** Follows the logs on screen again, from the range shown (after they ended or failed). */
  followLogs(): void {
    if (this.shown.logs) this.showLogs({ ...this.shown.logs, follow: true });
  }

  /** Refetches the node list (and /info). */
  async refreshNodes(): Promise<void> {
    await this.pollers.refreshNodes();
  }

  /** Refetches the services with their replica counts. */
  async refreshServices(): Promise<void> {
    await this.pollers.refreshServices();
  }

  /** Refetches the networks, configs or secrets list on screen, if one is. */
  async refreshResources(): Promise<void> {
    await this.pollers.refreshResource();
  }

  /** A leader answers again after none did: everything is read again, and the status line says how long it took. */
  private async leaderBack(since: number): Promise<void> {
    await this.connection.reload();
    const state = this.store.getSnapshot();
    if (state.connection.noLeader || state.connection.status !== 'connected') return;
    const leader = state.nodes.find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
    const { managers, reachable } = managerQuorum(state);
    const seconds = Math.round((this.core.now() - since) / 1000);
    const away = ` after ${seconds < 120 ? `${seconds}s` : `${Math.round(seconds / 60)}m`} without one`;
    this.core.status(`leader back${leader ? `: ${leader}` : ''}${away}; quorum regained (${reachable} of ${managers} managers reachable)`, 'success');
  }

  /** Reads the object the inspect view shows, fresh from the manager. */
  private async loadInspect(scope: Scope): Promise<void> {
    if (scope.kind === 'action') {
      // An entry of the action log: this console's own record, shown whole (not the manager's).
      const record = this.store.getSnapshot().actions[Number(scope.id)];
      return this.store.dispatch({ type: 'inspect', scope, object: record, error: record ? undefined : 'that entry is no longer in the log' });
    }
    try {
      this.store.dispatch({ type: 'inspect', scope, object: await readObject(this.client, scope) });
    } catch (error) {
      this.store.dispatch({ type: 'inspect', scope, error: (error as Error).message });
    }
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
      this.core.status(`context ${name}: ${(error as Error).message}`, 'error');
      return false;
    }
    const clients = endpoints.map((e) => new SwarmClient(e));
    try {
      await clients[0].checkManager();
    } catch (error) {
      // Stay where we are: a context we cannot use must not cost the view we have.
      this.core.status(`context ${name}: ${(error as Error).message} (still on ${this.client.endpoint.label})`, 'error');
      return false;
    }
    // Another swarm: everything of the last one is forgotten, and the new managers connected to as at start-up.
    this.events.reset();
    this.restarts.reset();
    this.running.reset();
    this.oom.reset();
    this.serviceTasks.reset();
    this.stats.reset();
    this.engineViews.stop();
    this.logs.close();
    this.core.clearTimers();
    await this.connection.switchTo(clients);
    this.store.dispatch({ type: 'reset', endpoint: this.client.endpoint.label });
    this.shown = {};
    this.shownKey = needsKey({});
    await this.connection.connect();
    this.core.status(`switched to context ${name}`, 'success');
    return true;
  }

  /** Runs a practice drill on the simulated swarm (the simulator's own API, through the same socket). */
  async drill(name: Drill, target?: string): Promise<void> {
    try {
      const result = await this.client.drill(name, target);
      this.core.status(`drill: ${result}`, 'info');
    } catch (error) {
      this.core.status(`drill ${name}: ${(error as Error).message}`, 'error');
    }
    void this.pollers.refreshNodes();
    void this.pollers.refreshServices();
    void this.pollers.refreshInfo();
  }
}
