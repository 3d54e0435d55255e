import type { SwarmTask } from '../../docker/types.js';
import type { SyncCore } from './core.js';
import { foldNodeTasks } from './node-fold.js';
import { INTERVALS } from './pollers.js';

/**
 * The running tasks of the nodes on screen (the nodes view's rows, the map's columns): counts per
 * node and the map's blocks, from one filtered listing. Nodes listed within the polling interval
 * are not asked for again: scrolling one row lists one node, going back to a view lists none.
 */
export class NodeTasks {
  private visible: string[] = [];
  private poll = false;
  private timer?: NodeJS.Timeout;
  /** When each node's tasks were last listed (ms): nodes shown again soon after are not asked for again. */
  private listedAt = new Map<string, number>();

  constructor(private readonly core: SyncCore) {}

  /** Whatever changed while away (or off screen) is unknown: every node is listed again when shown. */
  forget(): void {
    this.listedAt.clear();
  }

  /**
   * The nodes on screen (none when neither the nodes view nor the map shows). `poll` keeps them
   * current (the map: Swarm sends no event when a task dies).
   */
  show(ids: string[], poll: boolean): void {
    const same = ids.length === this.visible.length && ids.every((id, i) => id === this.visible[i]);
    // The same nodes, but now polled (the nodes view gave way to the map): polling must start.
    const startPolling = poll && !this.poll;
    this.poll = poll;
    this.visible = ids;
    if (same && !startPolling) return;
    this.core.cancel(this.timer);
    // Scrolling fires this on every row: wait for the window to settle before asking.
    if (ids.length > 0) this.timer = this.core.later(100, () => void this.refresh(true));
  }

  /** Lists the running tasks of the visible nodes (with `onlyStale`, of those not listed within the polling interval). */
  async refresh(onlyStale = false): Promise<void> {
    const { core } = this;
    core.cancel(this.timer);
    const visible = this.visible;
    if (visible.length === 0) return;
    if (this.poll) this.timer = core.later(INTERVALS.tasks, () => void this.refresh());
    const at = core.now();
    const nodes = onlyStale ? visible.filter((id) => (this.listedAt.get(id) ?? -Infinity) <= at - INTERVALS.tasks) : visible;
    if (nodes.length === 0) return this.keepTasksOf(visible);
    await core.guarded(async () => {
      const tasks = await core.client.listTasks({ node: nodes, desired: 'running' });
      const { counts, nodeTasks } = core.store.getSnapshot();
      for (const id of nodes) this.listedAt.set(id, at);
      core.store.dispatch({ type: 'counts', ...foldNodeTasks({ counts, tasks: nodeTasks }, nodes, this.visible, tasks) });
    });
  }

  /** Drops the task lists of nodes no longer on screen (their counts stay). */
  private keepTasksOf(visible: string[]): void {
    const { counts, nodeTasks } = this.core.store.getSnapshot();
    if (nodeTasks.size <= visible.length) return;
    const kept = new Map<string, SwarmTask[]>();
    for (const id of visible) {
      const tasks = nodeTasks.get(id);
      if (tasks) kept.set(id, tasks);
    }
    this.core.store.dispatch({ type: 'counts', counts, tasks: kept });
  }
}
