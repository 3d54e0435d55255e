import { STACK_LABEL } from './log-feed.js';
import type { ResourceKind, SwarmService, SwarmTask } from '../../docker/types.js';
import type { Scope } from '../state.js';
import type { SyncCore } from './core.js';

/**
 * How often to refresh, ms. Converging services are polled fast. A quiet swarm is left to the
 * event stream, but for one services listing a minute: Swarm sends no event when a task dies, so
 * without it a crash-looping service would go unnoticed. The leader is asked after every `probe`
 * (see Health).
 */
export const INTERVALS = {
  converging: 1000,
  settling: 3000,
  quiet: 60_000,
  tasks: 2000,
  maxBackoff: 30_000,
  probe: 3000,
  probeTimeout: 4000,
  settle: 30_000,
  paused: 3000,
};

const busy = (state: string | undefined) => state === 'updating' || state === 'rollback_started';
const paused = (state: string | undefined) => state === 'paused' || state === 'rollback_paused';

/**
 * The listings the store is refreshed from: nodes and services (always), the tasks of the scope
 * on screen (polled while shown), the networks, configs or secrets view on screen. Services are
 * polled fast only while one converges; the whole task list is never fetched.
 */
export class Pollers {
  private servicesTimer?: NodeJS.Timeout;
  private tasksTimer?: NodeJS.Timeout;
  /** Whether the last services listing was a fast one (a service converging, or settling after). */
  private wasConverging = false;
  /**
   * Fast polling goes on this long after the last listing that showed a service converging: dockerd
   * says an update paused or completed before the tasks it stopped are gone (an old task runs out its
   * stop grace period, a failed one waits out its restart delay), and no event says when they go.
   */
  private settleUntil = 0;
  /** The networks, configs or secrets view on screen, if any: only that list is fetched and kept current. */
  resourceShown?: ResourceKind;

  /**
   * @param onConverging called after each services listing while services converge, and once when they settle.
   * @param onServices called with each services listing (crash loops are looked for there).
   */
  constructor(
    private readonly core: SyncCore,
    private readonly onConverging: () => void,
    private readonly onServices: (services: SwarmService[]) => void = () => {},
  ) {}

  /** Refetches /info (the header's engine and swarm facts). */
  async refreshInfo(): Promise<void> {
    await this.core.guarded(async () => this.core.store.dispatch({ type: 'info', info: await this.core.client.info() }));
  }

  /** Refetches the node list: on connect and on node events (the engine emits one for every change of role, availability or state). */
  async refreshNodes(): Promise<void> {
    const { core } = this;
    await core.guarded(async () => core.store.dispatch({ type: 'nodes', nodes: await core.client.listNodes(), at: core.now() }));
  }

  /** Refetches services with replica counts; polls fast only while some service converges or updates. */
  async refreshServices(): Promise<void> {
    const { core } = this;
    core.cancel(this.servicesTimer);
    await core.guarded(async () => core.store.dispatch({ type: 'services', services: await this.listServices(), at: core.now() }));
    if (core.stopped) return;
    const services = core.store.getSnapshot().services;
    this.onServices(services);
    const converging = services.some((s) => busy(s.UpdateStatus?.State) || (s.ServiceStatus && s.ServiceStatus.RunningTasks !== s.ServiceStatus.DesiredTasks));
    // (Wall time, as the timers: the clock the views show ages by may be a simulator's, stopped.)
    if (converging) this.settleUntil = Date.now() + INTERVALS.settle;
    const fast = converging || Date.now() < this.settleUntil;
    // A paused update is an incident in progress: its tasks still come and go (a crash-looping new
    // task, an old one killed) without a service event, so it is not left to the minute's listing.
    // Settling (every count met, old tasks maybe still stopping) is every 3 s, not every second: at
    // 500 services a listing is ~300 KB, and a scale was 30 of them after it converged.
    const wait = converging
      ? INTERVALS.converging
      : fast
        ? INTERVALS.settling
        : services.some((s) => paused(s.UpdateStatus?.State))
          ? INTERVALS.paused
          : INTERVALS.quiet;
    this.servicesTimer = core.later(wait, () => void this.refreshServices());
    // Tasks start one by one while services converge, and Swarm sends no event for each: the
    // per-node counts on screen follow the same polling, and once more when it settles.
    if (fast || this.wasConverging) this.onConverging();
    this.wasConverging = fast;
  }

  /**
   * The services with replica counts as an operator means them: tasks still "running" on a node
   * that is down are counted apart (one listing of the tasks on the down nodes only, when any is).
   */
  private async listServices(): Promise<SwarmService[]> {
    const { core } = this;
    const down = core.store.getSnapshot().nodes.filter((n) => n.Status.State === 'down');
    const [services, stranded] = await Promise.all([
      core.client.listServices(),
      down.length > 0 ? core.client.listTasks({ node: down.map((n) => n.ID) }) : Promise.resolve([]),
    ]);
    return countOnDownNodes(services, stranded, new Map(down.map((n) => [n.ID, n.Description?.Hostname ?? n.ID])));
  }

  /** Shows the tasks of a service or node (or nothing): polling follows what is on screen. */
  showTasks(scope: Scope | undefined): void {
    this.core.store.dispatch({ type: 'tasks/scope', scope });
    void this.refreshTasks();
  }

  /** Refetches the tasks of the visible scope (if any) and keeps polling it while it is visible. */
  async refreshTasks(): Promise<void> {
    const { core } = this;
    core.cancel(this.tasksTimer);
    const scope = core.store.getSnapshot().tasks.scope;
    if (!scope || scope.kind === 'task') return;
    await core.guarded(async () => {
      // A stack's: the tasks of its services (its logs name their slots and say when one ended).
      const stack =
        scope.kind === 'stack'
          ? core.store
              .getSnapshot()
              .services.filter((s) => s.Spec.Labels?.[STACK_LABEL] === scope.id)
              .map((s) => s.ID)
          : [];
      const items =
        scope.kind === 'stack'
          ? stack.length > 0
            ? await core.client.listTasks({ service: stack })
            : []
          : await core.client.listTasks(scope.kind === 'service' ? { service: scope.id } : { node: scope.id });
      core.store.dispatch({ type: 'tasks', scope, items, at: core.now() });
    });
    if (!core.stopped && core.store.getSnapshot().tasks.scope === scope) {
      this.tasksTimer = core.later(INTERVALS.tasks, () => void this.refreshTasks());
    }
  }

  /** Shows the networks, configs or secrets view (or none): that list is fetched now and on its events. */
  showResource(kind: ResourceKind | undefined): void {
    const changed = kind !== this.resourceShown;
    this.resourceShown = kind;
    if (kind && changed) void this.refreshResource();
  }

  /** Refetches the resource listing on screen, if any. */
  async refreshResource(): Promise<void> {
    const kind = this.resourceShown;
    if (!kind) return;
    await this.core.guarded(async () => this.core.store.dispatch({ type: 'resource', kind, items: await this.core.client.listResources(kind) }));
  }
}

/** Takes the running tasks on down nodes out of each service's RunningTasks and says them apart (see SwarmService.OnDownNodes). */
export function countOnDownNodes(services: SwarmService[], onDown: SwarmTask[], downNodes: Map<string, string>): SwarmService[] {
  const stranded = new Map<string, { tasks: number; nodes: string[] }>();
  for (const task of onDown) {
    const node = downNodes.get(task.NodeID ?? '');
    if (!node || task.Status.State !== 'running') continue;
    const entry = stranded.get(task.ServiceID) ?? { tasks: 0, nodes: [] };
    entry.tasks += 1;
    if (!entry.nodes.includes(node)) entry.nodes.push(node);
    stranded.set(task.ServiceID, entry);
  }
  if (stranded.size === 0) return services;
  return services.map((s) => {
    const entry = stranded.get(s.ID);
    if (!entry || !s.ServiceStatus) return s;
    return { ...s, ServiceStatus: { ...s.ServiceStatus, RunningTasks: Math.max(0, s.ServiceStatus.RunningTasks - entry.tasks) }, OnDownNodes: entry };
  });
}
