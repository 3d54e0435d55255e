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

/**
 * The logs of the service or task on screen: one stream, its lines handed to the store in batches,
 * re-attached after the last line shown when it ends while following or the manager changes.
 */
export class LogFeed {
  private stop?: () => void;
  private options: LogOptions = { follow: true, tail: 200 };
  /** The time of the newest log line received (seconds), to re-attach after it. */
  private lastTime?: number;
  private queued: LogEntry[] = [];
  private flushTimer?: NodeJS.Timeout;

  constructor(private readonly core: SyncCore) {}

  private get scope(): Scope | undefined {
    return this.core.store.getSnapshot().logs.scope;
  }

  /** Shows the logs of a service or task (or none), with the given options. */
  show(scope: Scope | undefined, options: LogOptions = this.options): void {
    this.options = options;
    this.close();
    this.lastTime = undefined;
    this.core.cancel(this.flushTimer);
    this.flushTimer = undefined;
    this.queued = [];
    this.core.store.dispatch({ type: 'logs/reset', scope, status: scope ? 'loading' : 'idle' });
    if (scope) this.open();
  }

  /** Closes the stream (the manager changed, or the sync stops); what was shown stays. */
  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Opens the stream again after the last line shown (after a reconnect), if logs are shown. */
  resume(): void {
    if (this.scope) this.open(this.lastTime);
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

  private open(since?: number): void {
    const { core } = this;
    const scope = this.scope;
    if (!scope || scope.kind === 'node') return;
    const service = scope.kind === 'service' ? core.store.getSnapshot().services.find((s) => s.ID === scope.id) : undefined;
    const tty = Boolean(service?.Spec.TaskTemplate?.ContainerSpec?.TTY);
    const options = this.options;
    const current = () => this.scope === scope;
    void core.client
      .logs(
        scope.kind === 'service' ? { service: scope.id } : { task: scope.id },
        { follow: options.follow, tail: since !== undefined ? 'all' : options.tail, since: since ?? options.since, tty },
        (lines) => {
          if (!current()) return;
          const last = this.lastTime;
          const fresh = since === undefined || last === undefined ? lines : lines.filter((l) => (l.time ?? 0) / 1000 > last);
          const newest = lines.at(-1)?.time;
          if (newest !== undefined) this.lastTime = newest / 1000;
          this.queue(scope, fresh, options.follow ? 'streaming' : 'ended');
        },
        (error) => {
          if (!current() || core.stopped) return;
          if (error) return core.store.dispatch({ type: 'logs/status', status: 'error', error: error.message });
          if (!options.follow) return core.store.dispatch({ type: 'logs/status', status: 'ended' });
          // The stream ended while following (tasks replaced, manager restarted): re-attach from the last line.
          core.later(1000, () => current() && this.open(this.lastTime));
        },
      )
      .then((stop) => {
        if (current()) this.stop = stop;
        else stop();
        if (!options.follow && core.store.getSnapshot().logs.status === 'loading') core.store.dispatch({ type: 'logs/status', status: 'ended' });
      })
      .catch((error: DockerError) => core.store.dispatch({ type: 'logs/status', status: 'error', error: error.message }));
  }
}
