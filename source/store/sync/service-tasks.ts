import type { DockerError } from '../../docker/client.js';
import type { SwarmTask } from '../../docker/types.js';
import type { SyncCore } from './core.js';

/** How often the running tasks of the services on screen are listed again, ms (a scale or an update changes them). */
export const SERVICE_TASKS_INTERVAL = 10_000;

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

  /** Lists the running tasks of the services on screen now, and again every SERVICE_TASKS_INTERVAL while they are. */
  async refresh(): Promise<void> {
    const { core } = this;
    core.cancel(this.timer);
    const ids = this.visible;
    if (ids.length === 0 || core.stopped) return;
    this.timer = core.later(SERVICE_TASKS_INTERVAL, () => void this.refresh());
    await core.guarded(async () => {
      let tasks: SwarmTask[];
      try {
        tasks = await core.client.listTasks({ service: ids, desired: 'running' });
      } catch (error) {
        // One of them was removed since it was listed: dockerd refuses the whole filter. Next round.
        if ((error as DockerError).status === 404) return;
        throw error;
      }
      if (ids !== this.visible) return;
      core.store.dispatch({ type: 'serviceTasks', tasks: byService(ids, tasks) });
    });
  }

  /** Forgets the services on screen (another swarm). */
  reset(): void {
    this.core.cancel(this.timer);
    this.timer = undefined;
    this.visible = [];
  }
}
