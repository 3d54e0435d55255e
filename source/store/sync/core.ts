import type { DockerError, SwarmClient } from '../../docker/client.js';
import type { Store } from '../store.js';

/** The daemon's words when raft has no leader, and when a request waited out raft's deadline (the seconds before it says so). */
export const NO_LEADER = /does not have a leader|DeadlineExceeded/;

/** The daemon's words (503) once the node is no longer a manager (demoted, or out of the swarm), and checkManager's for a worker. */
export const NOT_A_MANAGER = /not a swarm manager|is a swarm worker, not a manager|is not part of a swarm/;

/**
 * What the parts of the sync share: the managers' clients and the one in use, the store, the
 * clock, and the two ways a request can fail (the manager is gone: reconnect; it answers with an
 * error: say so in the header).
 */
export class SyncCore {
  clients: SwarmClient[];
  current: number;
  stopped = false;
  /** Called when the manager cannot be reached (set by the connection). */
  onLost: (error: DockerError) => void = () => {};
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    clients: SwarmClient[],
    readonly store: Store,
    readonly now: () => number,
    current: number,
  ) {
    this.clients = clients;
    this.current = current;
  }

  /** The client of the manager in use. */
  get client(): SwarmClient {
    return this.clients[this.current];
  }

  /** A timer cleared by clearTimers (stop, switching swarms). */
  later(ms: number, work: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  /** Clears one timer made by later(). */
  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Clears every timer made by later(). */
  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Runs a request: a lost manager is reported to the connection, an error answer goes to the header. */
  async guarded(work: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await work();
    } catch (error) {
      const e = error as DockerError;
      // A manager that is no longer one (demoted) cannot list the swarm again: it is lost as one that is gone is.
      if (e.status === undefined || NOT_A_MANAGER.test(e.message)) this.onLost(e);
      else if (NO_LEADER.test(e.message)) this.leaderLost(e.message);
      else {
        // The manager answers, but with another error: the header shows it, and the status line
        // keeps the result of the user's last action.
        const { lastOk, noLeader } = this.store.getSnapshot().connection;
        this.store.dispatch({ type: 'connection', connection: { status: 'connected', error: e.message, lastOk, noLeader } });
      }
    }
  }

  /** The manager answers, but raft has no leader: from now on nothing it lists is current. */
  leaderLost(error: string): void {
    const { connection } = this.store.getSnapshot();
    const since = connection.noLeader?.since ?? this.now();
    this.store.dispatch({ type: 'connection', connection: { status: 'connected', error, lastOk: connection.lastOk, noLeader: { since } } });
  }

  /** Shows a message on the status line. */
  status(text: string, kind: 'info' | 'success' | 'error'): void {
    this.store.dispatch({ type: 'status', text, kind, at: this.now() });
  }
}
