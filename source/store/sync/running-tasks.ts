import type { SyncCore } from './core.js';

/**
 * How often every running task is listed again while `:top` shows, ms. Modest on purpose: at
 * 1,000 nodes the list is 50,000 tasks (tens of MB from the manager), and what it adds between
 * listings (a task started or gone) matters less to "which replica is hot" than its figures do.
 */
export const RUNNING_INTERVAL = 10_000;

/** Every running task of the swarm (`GET /tasks?filters={"desired-state":["running"]}`), listed while a view needs it (`:top`). */
export class RunningTasks {
  private shown = false;
  private timer?: NodeJS.Timeout;
  /** A listing under way: another is not asked for on top of it (at 50,000 tasks, one is plenty). */
  private busy = false;

  constructor(private readonly core: SyncCore) {}

  /** Lists them from now on, every RUNNING_INTERVAL (false: stops, and the list is forgotten). */
  show(on: boolean): void {
    if (on === this.shown) return;
    this.shown = on;
    this.core.cancel(this.timer);
    this.timer = undefined;
    if (on) void this.refresh();
    else this.core.store.dispatch({ type: 'running' });
  }

  /** Lists them now (and again after the interval, while shown). */
  async refresh(): Promise<void> {
    const { core } = this;
    core.cancel(this.timer);
    if (!this.shown || this.busy) return;
    this.busy = true;
    try {
      await core.guarded(async () => {
        const items = await core.client.listTasks({ desired: 'running' });
        if (this.shown) core.store.dispatch({ type: 'running', items });
      });
    } finally {
      this.busy = false;
    }
    if (this.shown && !core.stopped) this.timer = core.later(RUNNING_INTERVAL, () => void this.refresh());
  }

  /** Forgets the list (another swarm). */
  reset(): void {
    this.shown = false;
    this.core.cancel(this.timer);
    this.timer = undefined;
  }
}
