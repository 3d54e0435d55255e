import type { DockerError } from '../../docker/client.js';
import type { LogEntry } from '../../docker/demux.js';
import type { Scope } from '../state.js';
import type { SyncCore } from './core.js';

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

/** One stream of a logs view: a service's or a task's. */
type Target = { service: string } | { task: string };

/** The services of a stack (com.docker.stack.namespace), as `docker stack services` finds them. */
export const STACK_LABEL = 'com.docker.stack.namespace';

/**
 * The logs of the service, task or stack on screen: one stream per service (a stack has several),
 * their lines handed to the store in batches (merged in time order), each stream re-attached after
 * its last line when it ends while following or the manager changes. A service's stream brings the
 * lines of tasks started after it opened (dockerd's does too: restarts, scaling, a rollout).
 */
export class LogFeed {
  private stops: (() => void)[] = [];
  private options: LogOptions = { follow: true, tail: 200 };
  /** The time of the newest log line received per stream (seconds), to re-attach after it. */
  private lastTimes = new Map<string, number>();
  private queued: LogEntry[] = [];
  private flushTimer?: NodeJS.Timeout;
  /** Streams still open, while not following: the view is 'ended' when the last one ends. */
  private open_ = 0;

  constructor(private readonly core: SyncCore) {}

  private get scope(): Scope | undefined {
    return this.core.store.getSnapshot().logs.scope;
  }

  /** Shows the logs of a service, task or stack (or none), with the given options. */
  show(scope: Scope | undefined, options: LogOptions = this.options): void {
    this.options = options;
    this.close();
    this.lastTimes.clear();
    this.core.cancel(this.flushTimer);
    this.flushTimer = undefined;
    this.queued = [];
    this.core.store.dispatch({ type: 'logs/reset', scope, status: scope ? 'loading' : 'idle' });
    if (scope) this.openAll(false);
  }

  /** Closes the streams (the manager changed, or the sync stops); what was shown stays. */
  close(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  /** Opens the streams again after the last line shown (after a reconnect), if logs are shown. */
  resume(): void {
    if (this.scope) this.openAll(true);
  }

  private targets(scope: Scope): Target[] {
    if (scope.kind === 'task') return [{ task: scope.id }];
    if (scope.kind === 'service') return [{ service: scope.id }];
    if (scope.kind === 'stack') {
      return this.core.store
        .getSnapshot()
        .services.filter((s) => s.Spec.Labels?.[STACK_LABEL] === scope.id)
        .map((s) => ({ service: s.ID }));
    }
    return [];
  }

  private openAll(resume: boolean): void {
    const scope = this.scope!;
    const targets = this.targets(scope);
    if (targets.length === 0) {
      this.core.store.dispatch({ type: 'logs/status', status: 'ended' });
      return;
    }
    this.open_ = targets.length;
    for (const target of targets) this.open(scope, target, resume ? this.lastTimes.get(keyOf(target)) : undefined);
  }

  /**
   * Lines arrive in as many chunks as the engine writes (thousands a second from a noisy service):
   * they are handed to the store at most every LOG_FLUSH_MS, so that the screen redraws a few
   * times a second, not once per chunk, and keys are answered in between. Beyond the buffer's
   * bound, older lines are dropped here already (and counted).
   */
  private queue(scope: Scope, lines: LogEntry[], status: 'streaming' | 'ended'): void {
    for (const line of lines) this.queued.push(line);
    if (this.queued.length > LOG_LIMIT * 2) this.flush(scope, status);
    if (this.flushTimer) return;
    this.flushTimer = this.core.later(LOG_FLUSH_MS, () => this.flush(scope, status));
  }

  private flush(scope: Scope, status: 'streaming' | 'ended'): void {
    this.core.cancel(this.flushTimer);
    this.flushTimer = undefined;
    const lines = this.queued;
    this.queued = [];
    if (this.scope !== scope) return;
    this.core.store.dispatch({ type: 'logs/append', lines, limit: LOG_LIMIT });
    this.core.store.dispatch({ type: 'logs/status', status });
  }

  private open(scope: Scope, target: Target, since?: number): void {
    const { core } = this;
    const key = keyOf(target);
    const serviceId = 'service' in target ? target.service : undefined;
    const service = serviceId ? core.store.getSnapshot().services.find((s) => s.ID === serviceId) : undefined;
    const tty = Boolean(service?.Spec.TaskTemplate?.ContainerSpec?.TTY);
    const options = this.options;
    const current = () => this.scope === scope;
    const ended = () => {
      this.open_ -= 1;
      if (this.open_ <= 0) core.store.dispatch({ type: 'logs/status', status: 'ended' });
    };
    void core.client
      .logs(
        target,
        // Re-attaching: everything after the last line received (it may be far more than the tail).
        { follow: options.follow, tail: since !== undefined ? 'all' : options.tail, since: since ?? options.since, tty },
        (lines) => {
          if (!current()) return;
          const last = this.lastTimes.get(key);
          const fresh = since === undefined || last === undefined ? lines : lines.filter((l) => (l.time ?? 0) / 1000 > last);
          const newest = lines.at(-1)?.time;
          if (newest !== undefined) this.lastTimes.set(key, Math.max(newest / 1000, last ?? 0));
          // Lines of a stack's services name their service, for the prefix and colour.
          if (serviceId) for (const line of fresh) line.serviceId ??= serviceId;
          this.queue(scope, fresh, options.follow ? 'streaming' : 'ended');
        },
        (error) => {
          if (!current() || core.stopped) return;
          if (error) return core.store.dispatch({ type: 'logs/status', status: 'error', error: error.message });
          if (!options.follow) return ended();
          // The stream ended while following (the manager restarted, the service was replaced): re-attach from the last line.
          core.later(1000, () => current() && this.open(scope, target, this.lastTimes.get(key)));
        },
      )
      .then((stop) => {
        if (current()) this.stops.push(stop);
        else stop();
        if (!options.follow && core.store.getSnapshot().logs.status === 'loading') core.store.dispatch({ type: 'logs/status', status: 'ended' });
      })
      .catch((error: DockerError) => core.store.dispatch({ type: 'logs/status', status: 'error', error: error.message }));
  }
}

const keyOf = (target: Target) => ('service' in target ? `service:${target.service}` : `task:${target.task}`);
