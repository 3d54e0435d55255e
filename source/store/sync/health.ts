import type { DockerError } from '../../docker/client.js';
import type { EngineInfo } from '../../docker/types.js';
import { NO_LEADER, NOT_A_MANAGER, type SyncCore } from './core.js';
import { INTERVALS } from './pollers.js';

/** What the header says while /info goes unanswered. */
const NO_ANSWER = `the manager did not answer /info within ${INTERVALS.probeTimeout / 1000}s`;

/**
 * Asks the manager every few seconds whether it still has a leader (GET /info, and the managers
 * of GET /nodes: cheap on a real manager and on the simulator). A manager that lost quorum keeps answering and keeps its event
 * stream open, silently: without this the console would say "connected" until the next listing
 * failed, a minute later. A reply that does not come within INTERVALS.probeTimeout counts as an
 * answer "not now": raft holds requests that long before it gives up.
 */
export class Health {
  private timer?: NodeJS.Timeout;
  private inFlight = false;
  /** Since when no leader answered, until one does again (whichever request sees it first). */
  private lostSince?: number;
  private endpoint: string;

  /** @param onBack called once when a leader answers again after none did, with since when there was none. */
  constructor(
    private readonly core: SyncCore,
    private readonly onBack: (since: number) => void,
  ) {
    this.endpoint = core.store.getSnapshot().endpoint;
    core.store.subscribe(() => this.watchLeader());
  }

  private watchLeader(): void {
    const { connection, endpoint } = this.core.store.getSnapshot();
    if (endpoint !== this.endpoint) {
      // Another swarm: its leader is not the one that was lost.
      this.endpoint = endpoint;
      this.lostSince = undefined;
    }
    if (connection.noLeader) this.lostSince ??= connection.noLeader.since;
    else if (this.lostSince !== undefined && connection.status === 'connected' && !connection.error) {
      const since = this.lostSince;
      this.lostSince = undefined;
      // Not from inside the store's dispatch: what it starts dispatches too.
      this.core.later(0, () => this.onBack(since));
    }
  }

  /** Starts (or restarts) the probe. */
  start(): void {
    this.core.cancel(this.timer);
    this.timer = this.core.later(INTERVALS.probe, () => void this.probe());
  }

  /** Stops the probe. */
  stop(): void {
    this.core.cancel(this.timer);
    this.timer = undefined;
  }

  /** One probe; the next is scheduled after it. */
  async probe(): Promise<void> {
    const { core } = this;
    if (core.stopped || this.inFlight) return;
    this.inFlight = true;
    const client = core.client;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<'late'>((resolve) => (timeout = setTimeout(() => resolve('late'), INTERVALS.probeTimeout)));
      // The managers too (a handful of nodes): the leader marks lost managers unreachable seconds
      // before it steps down, and no event says so.
      const answer = await Promise.race([Promise.all([client.info(), client.listManagers()]), late]);
      if (core.stopped || client !== core.client) return;
      if (answer === 'late') this.noAnswer();
      else {
        core.store.dispatch({ type: 'managers', managers: answer[1] });
        this.answered(answer[0]);
      }
    } catch (error) {
      const e = error as DockerError;
      if (core.stopped || client !== core.client) return;
      // A manager demoted meanwhile (through this console or not) answers 503 here within seconds; its event stream goes quiet.
      if (e.status === undefined || NOT_A_MANAGER.test(e.message)) return core.onLost(e);
      if (NO_LEADER.test(e.message)) core.leaderLost(e.message);
    } finally {
      clearTimeout(timeout);
      this.inFlight = false;
    }
    if (!core.stopped && core.store.getSnapshot().connection.status === 'connected') this.start();
  }

  private answered(info: EngineInfo): void {
    const { core } = this;
    const error = info.Swarm?.Error ?? '';
    if (NO_LEADER.test(error)) return core.leaderLost(error);
    const { connection } = core.store.getSnapshot();
    core.store.dispatch({ type: 'info', info });
    // The leader is back: the connection is clear again (which is what watchLeader waits for).
    if (connection.noLeader || connection.error === NO_ANSWER)
      core.store.dispatch({ type: 'connection', connection: { status: 'connected', lastOk: connection.lastOk } });
  }

  private noAnswer(): void {
    const { core } = this;
    const { connection } = core.store.getSnapshot();
    if (connection.noLeader) return;
    core.store.dispatch({ type: 'connection', connection: { ...connection, status: 'connected', error: NO_ANSWER } });
  }
}
