import type { DockerError, SwarmClient } from '../../docker/client.js';
import type { EngineInfo } from '../../docker/types.js';
import { NOT_A_MANAGER, type SyncCore } from './core.js';
import { INTERVALS } from './pollers.js';

/** What a (re)connection loads, in order, once a manager answers. */
export interface ConnectSteps {
  /** The first data: nodes, services, the tasks and node tasks on screen. */
  load(): Promise<void>;
  /** The event stream. */
  subscribe(): Promise<void>;
  /** Whatever streams were open before the loss (logs), from where they stopped. */
  resume(): void;
  /** The event stream of a manager lost. */
  closeEvents(): void;
  /** The log stream of a manager left behind for another. */
  closeLogs(): void;
  /** Starts asking whether the manager still has a leader (see Health); stopped while disconnected. */
  watch(on: boolean): void;
  /**
   * The other managers of the last node list, reached as node reach reaches nodes (--node-host,
   * config.yaml, a docker context, ssh to its address), for when the manager in use is no longer
   * one; and the hostnames of the managers, for the -H to suggest when none can be reached.
   */
  otherManagers?(): Promise<{ clients: SwarmClient[]; hostnames: string[] }>;
}

/**
 * Which manager is in use, and what happens when it is lost: with several managers (-H given
 * several times) the first loss moves at once to the next that answers as a manager; after that,
 * and with one manager, reconnects back off. The last data stays on screen meanwhile. A manager
 * that answers as a worker (demoted, even through this console) will not be one again by waiting:
 * the other managers of the swarm are looked for (node reach) and the console moves to the first
 * that answers, or says which -H to start it with.
 */
export class Connection {
  private reconnectTimer?: NodeJS.Timeout;
  private backoff = 1000;
  /** Connection failures since the last success: the first one fails over at once. */
  private failures = 0;
  /** The manager just left for another, said once the other's data is in. */
  private movedFrom?: string;
  /** Why it was left, when that was not a loss (it is no longer a manager). */
  private movedWhy?: string;

  constructor(
    private readonly core: SyncCore,
    private readonly steps: ConnectSteps,
  ) {
    core.onLost = (error) => this.lost(error);
  }

  /** Connects to the manager in use, or the first other one that answers as a manager, and loads. */
  async connect(): Promise<void> {
    const { core } = this;
    if (core.stopped) return;
    // The manager in use first, then the others in order: the first that answers as a manager wins.
    let info: EngineInfo | undefined;
    let firstError: DockerError | undefined;
    for (let k = 0; k < core.clients.length && !info; k++) {
      const index = (core.current + k) % core.clients.length;
      try {
        info = await core.clients[index].checkManager();
        if (index !== core.current) this.moveTo(index);
      } catch (error) {
        firstError ??= error as DockerError;
      }
    }
    if (core.stopped) return;
    if (!info && firstError && NOT_A_MANAGER.test(firstError.message)) info = await this.findAnotherManager(firstError);
    if (core.stopped) return;
    if (!info) return this.lost(firstError!);
    try {
      core.store.dispatch({ type: 'info', info });
      await this.steps.load();
      // Said once the new manager's data is in: a message from before the reconnect is not shown after it.
      if (this.movedFrom) core.status(this.movedWhy ?? `lost ${this.movedFrom}; now on ${core.client.endpoint.label}`, 'info');
      this.movedFrom = undefined;
      this.movedWhy = undefined;
      await this.steps.subscribe();
      this.backoff = 1000;
      this.failures = 0;
      this.steps.resume();
      this.steps.watch(true);
    } catch (error) {
      this.lost(error as DockerError);
    }
  }

  /** Reads everything again and subscribes again (a leader is back after none was): what changed meanwhile is unknown. */
  async reload(): Promise<void> {
    this.steps.closeEvents();
    await this.connect();
  }

  /** Moves to other managers (a context switch): as at start-up. */
  async switchTo(clients: SwarmClient[]): Promise<void> {
    this.core.cancel(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.core.clients = clients;
    this.core.current = 0;
    this.failures = 0;
    this.backoff = 1000;
  }

  /**
   * The manager in use (and every other given) answers that it is not a manager: the swarm's other
   * managers, as node reach finds them, are tried in turn; the first that answers as one is moved to
   * and kept among the managers. None: the error says which -H to start again with.
   */
  private async findAnotherManager(error: DockerError): Promise<EngineInfo | undefined> {
    const { core } = this;
    const from = core.client.endpoint.label;
    let found: { clients: SwarmClient[]; hostnames: string[] } = { clients: [], hostnames: [] };
    try {
      found = (await this.steps.otherManagers?.()) ?? found;
    } catch {
      // Reach could not be made (a bad config.yaml): said below as none found.
    }
    const known = new Set(core.clients.map((c) => c.endpoint.url));
    for (const client of found.clients) {
      if (core.stopped) return undefined;
      if (known.has(client.endpoint.url)) continue;
      try {
        const info = await client.checkManager();
        core.clients = [...core.clients, client];
        this.moveTo(core.clients.length - 1);
        this.movedWhy = `${from} is no longer a swarm manager; now on ${client.endpoint.label}, another manager of the swarm`;
        return info;
      } catch {
        // Not a manager either, or not reached: the next. (Not closed: close() ends every client's shared sockets.)
      }
    }
    const hints = found.hostnames.map((h) => `-H ssh://${h}`).join(', ');
    error.message = `${from} is no longer a swarm manager${hints ? `: start swarmdeck again with -H on a manager (${hints}), or map them with --node-host` : ''}`;
    return undefined;
  }

  private moveTo(index: number): void {
    const { core } = this;
    const from = core.client.endpoint.label;
    core.current = index;
    this.steps.closeLogs();
    core.store.dispatch({ type: 'endpoint', endpoint: core.client.endpoint.label });
    this.movedFrom = from;
  }

  private lost(error: DockerError): void {
    const { core } = this;
    if (core.stopped) return;
    this.steps.closeEvents();
    this.steps.watch(false);
    if (this.reconnectTimer) return;
    const { lastOk } = core.store.getSnapshot().connection;
    // With other managers to go to, the first loss moves on at once; after that, back off.
    const delay = core.clients.length > 1 && this.failures === 0 ? 0 : this.backoff;
    if (delay > 0) this.backoff = Math.min(this.backoff * 2, INTERVALS.maxBackoff);
    this.failures += 1;
    core.store.dispatch({ type: 'connection', connection: { status: 'disconnected', error: error.message, retryAt: core.now() + delay, lastOk } });
    this.reconnectTimer = core.later(delay, () => {
      this.reconnectTimer = undefined;
      void this.connect();
    });
  }
}
