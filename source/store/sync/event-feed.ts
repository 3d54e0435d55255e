import type { DockerError } from '../../docker/client.js';
import type { SwarmEvent } from '../../docker/types.js';
import { EVENT_HISTORY_SECONDS } from '../state.js';
import type { SyncCore } from './core.js';
import type { NodeTasks } from './node-tasks.js';
import type { Pollers } from './pollers.js';

/**
 * The one event stream: each event marks what it changed, and bursts (a rolling update emits
 * several) are folded into one refetch of exactly that. The events timeline is fed from it too.
 */
export class EventFeed {
  private stop?: () => void;
  private lastEventNano?: number;
  private pending = { services: false, nodes: false, tasks: false, resource: false };
  /** Events waiting to be handed to the timeline with the next refresh. */
  private queue: SwarmEvent[] = [];
  /** Events older than this (ns) are replayed history: they fill the timeline but trigger no refetch. */
  private liveFromNano = 0;
  /** True from a re-subscription until its first event. */
  private resuming = false;
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    private readonly core: SyncCore,
    private readonly pollers: Pollers,
    private readonly nodeTasks: NodeTasks,
  ) {}

  /** Subscribes (again): the first time with the last hours of history, after a loss from the last event seen. */
  async subscribe(): Promise<void> {
    const { core } = this;
    this.close();
    this.liveFromNano = core.now() * 1e6;
    this.resuming = this.lastEventNano !== undefined;
    const since = this.lastEventNano !== undefined ? this.lastEventNano / 1e9 : Math.floor(core.now() / 1000) - EVENT_HISTORY_SECONDS;
    this.stop = await core.client.events(
      since,
      (event) => this.onEvent(event),
      (error) => {
        if (!core.stopped) core.onLost(error ?? ({ message: 'the event stream ended' } as DockerError));
      },
    );
  }

  /** Closes the stream. */
  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Another swarm: nothing of this one's stream is carried over. */
  reset(): void {
    this.close();
    this.core.cancel(this.refreshTimer);
    this.refreshTimer = undefined;
    this.lastEventNano = undefined;
    this.queue = [];
  }

  private onEvent(event: SwarmEvent): void {
    // After a reconnect the stream starts again at the last event seen: that one is not repeated.
    if (event.timeNano !== undefined && this.lastEventNano !== undefined && event.timeNano <= this.lastEventNano && this.resuming) return;
    this.resuming = false;
    if (event.timeNano) this.lastEventNano = event.timeNano;
    this.queue.push(event);
    // Replayed history fills the timeline but needs no refetch: the first load is newer.
    const replayed = event.timeNano !== undefined && event.timeNano < this.liveFromNano;
    if (!replayed) this.markStale(event);
    if (!this.refreshTimer) this.refreshTimer = this.core.later(50, () => this.refresh());
  }

  private refresh(): void {
    const { pollers, nodeTasks } = this;
    this.refreshTimer = undefined;
    const pending = this.pending;
    this.pending = { services: false, nodes: false, tasks: false, resource: false };
    if (this.queue.length > 0) {
      this.core.store.dispatch({ type: 'events', events: this.queue });
      this.queue = [];
    }
    if (pending.resource) void pollers.refreshResource();
    if (pending.services) void pollers.refreshServices();
    if (pending.nodes) void pollers.refreshNodes().then(() => pollers.refreshInfo());
    if (pending.tasks) void pollers.refreshTasks();
    if (pending.nodes || pending.services) {
      // Counts of nodes off screen are outdated too: they are listed again when shown.
      nodeTasks.forget();
      void nodeTasks.refresh();
    }
  }

  /** Marks what an event changed, for the next refetch. */
  private markStale(event: SwarmEvent): void {
    const tasks = this.core.store.getSnapshot().tasks.scope;
    if (event.Type === 'service') {
      this.pending.services = true;
      if (tasks && (tasks.kind !== 'service' || tasks.id === event.Actor.ID)) this.pending.tasks = true;
    }
    if (event.Type === 'node') {
      this.pending.nodes = true;
      // A node going down, drained or paused moves tasks: the services' running counts change too.
      this.pending.services = true;
      if (tasks?.kind === 'node') this.pending.tasks = true;
    }
    const shown = this.pollers.resourceShown;
    if (shown && event.Type === shown.slice(0, -1)) this.pending.resource = true;
  }
}
