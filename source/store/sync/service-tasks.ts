import type { DockerError } from '../../docker/client.js';
import type { SwarmService, SwarmTask } from '../../docker/types.js';
import type { SyncCore } from './core.js';

/**
 * How often the running tasks of the services on screen are listed again, ms. A scale or an update
 * lists them sooner (see observe); this catches what no service event says (a task moved off a
 * node that went down). At 1,000 nodes a listing is megabytes: every 10 s was 10x the manager
 * traffic of an idle console.
 */
export const SERVICE_TASKS_INTERVAL = 60_000;

/** How long after a service on screen changed its tasks are listed, ms (its new tasks are made meanwhile). */
export const SERVICE_CHANGE_DELAY = 2_000;

/** The running tasks of some services, by service id (every id present, none running: empty). */
export function byService(ids: string[], tasks: SwarmTask[]): Map<string, SwarmTask[]> {
  const map = new Map<string, SwarmTask[]>(ids.map((id) => [id, []]));
  for (const task of tasks) map.get(task.ServiceID)?.push(task);
  return map;
}

/**
 * The running tasks of the services on screen (the services view's rows), so that their containers
 * can be sampled for CPU and MEM: one filtered listing per poll (dockerd ORs a filter's values),
 * whatever the number of replicas; never every service's tasks.
 */
export class ServiceTasks {
  private visible: string[] = [];
  private timer?: NodeJS.Timeout;
  /** What each service was at the last listing: its version and running count. */
  private seen = new Map<string, string>();
  /** Services on screen that changed since their tasks were listed, and the timer that lists them. */
  private changed = new Set<string>();
  private changeTimer?: NodeJS.Timeout;

  constructor(private readonly core: SyncCore) {}

  /** The services on screen (none: polling stops and their task lists are dropped). */
  show(ids: string[]): void {
    const same = ids.length === this.visible.length && ids.every((id, i) => id === this.visible[i]);
    this.visible = ids;
    if (same) return;
    this.core.cancel(this.timer);
    this.timer = undefined;
    if (ids.length === 0) {
      if (this.core.store.getSnapshot().serviceTasks.size > 0) this.core.store.dispatch({ type: 'serviceTasks', tasks: new Map() });
      return;
    }
    // Scrolling fires this on every row: wait for the window to settle before asking.
    this.timer = this.core.later(100, () => void this.refresh());
  }

  /**
   * Each services listing: a service on screen whose spec or running count changed has its tasks
   * listed again shortly, that service alone (one scaling among 40 on screen at 100 replicas each
   * relisted all 4,000 tasks every 2 s: 29 MB a minute from the manager).
   */
  observe(services: SwarmService[]): void {
    const shown = new Set(this.visible);
    // Every service's mark is kept, not only those on screen: a service scrolled to, or shown before
    // any listing came, is then compared with the listing before, not with nothing.
    const seen = new Map<string, string>();
    for (const service of services) {
      const mark = `${service.Version?.Index ?? ''}/${service.ServiceStatus?.RunningTasks ?? ''}`;
      if (shown.has(service.ID) && this.seen.has(service.ID) && this.seen.get(service.ID) !== mark) this.changed.add(service.ID);
      seen.set(service.ID, mark);
    }
    this.seen = seen;
    if (this.changed.size === 0 || this.changeTimer) return;
    this.changeTimer = this.core.later(SERVICE_CHANGE_DELAY, () => void this.refreshChanged());
  }

  /** Lists the running tasks of the services on screen that changed, and puts them in place of theirs. */
  private async refreshChanged(): Promise<void> {
    const { core } = this;
    this.changeTimer = undefined;
    const shown = new Set(this.visible);
    const ids = [...this.changed].filter((id) => shown.has(id));
    this.changed.clear();
    if (ids.length === 0 || core.stopped) return;
    await core.guarded(async () => {
      const tasks = await this.list(ids);
      if (!tasks) return;
      // Scrolled meanwhile: only what is still on screen is kept (a full listing follows the scroll anyway).
      const current = new Map(core.store.getSnapshot().serviceTasks);
      const still = new Set(this.visible);
      for (const [id, list] of byService(ids, tasks)) if (still.has(id) && current.has(id)) current.set(id, list);
      core.store.dispatch({ type: 'serviceTasks', tasks: current });
    });
  }

  /** Lists the running tasks of the services on screen now, and again every SERVICE_TASKS_INTERVAL while they are. */
  async refresh(): Promise<void> {
    const { core } = this;
    core.cancel(this.timer);
    const ids = this.visible;
    if (ids.length === 0 || core.stopped) return;
    this.timer = core.later(SERVICE_TASKS_INTERVAL, () => void this.refresh());
    await core.guarded(async () => {
      const tasks = await this.list(ids);
      if (!tasks || ids !== this.visible) return;
      core.store.dispatch({ type: 'serviceTasks', tasks: byService(ids, tasks) });
    });
  }

  /** The running tasks of these services; undefined when one of them was removed since it was listed (dockerd refuses the whole filter: next round). */
  private async list(ids: string[]): Promise<SwarmTask[] | undefined> {
    try {
      return await this.core.client.listTasks({ service: ids, desired: 'running' });
    } catch (error) {
      if ((error as DockerError).status === 404) return undefined;
      throw error;
    }
  }

  /** Forgets the services on screen (another swarm). */
  reset(): void {
    this.core.cancel(this.timer);
    this.core.cancel(this.changeTimer);
    this.timer = undefined;
    this.changeTimer = undefined;
    this.changed.clear();
    this.visible = [];
    this.seen.clear();
  }
}
