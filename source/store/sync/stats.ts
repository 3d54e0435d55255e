import type { StatsFigures } from '../../docker/node-engine.js';
import type { NodeReach, NodeRef } from '../../docker/node-reach.js';
import type { StatsSampler } from '../../docker/node-stats.js';
import type { SwarmNode } from '../../docker/types.js';
import type { StatsSample } from '../state.js';
import type { SyncCore } from './core.js';

/** How often the containers on screen are sampled, ms. */
export const STATS_INTERVAL = 3000;

/**
 * Stats requests per node per sweep (the rest wait for the next sweep, oldest first), in flight per
 * node, nodes sampled at once (node reach keeps 32 open: more would close and reopen them), and
 * requests per sweep in all (the services view at 1,000 nodes shows thousands of replicas: they are
 * sampled in turns, the longest unsampled node first, not a thousand requests a second).
 */
export const STATS_BUDGET = { perNode: 20, concurrency: 2, nodes: 16, perSweep: 400 };

/** How much a sweep samples: at most `perNode` containers of each node, and of at most `nodes` nodes (none: every node with containers shown). */
export interface StatsBudget {
  perNode: number;
  nodes?: number;
}

/**
 * The budget of a view that samples more than it shows (`:top`: every running container): each
 * sweep visits the 24 nodes sampled longest ago (fewer than node reach keeps open at once, 32: a
 * sweep opens at most 24 connections, not one per node, where an ssh reach would otherwise shake
 * hands with all 1,000 nodes every 3 s). At 1,000 nodes of 50 tasks each that is ~160 requests a second
 * (every container sampling would be ~17,000), a node visited every ~2 minutes and each figure
 * renewed every ~5; SAMPLED says how old.
 */
export const WIDE_STATS: StatsBudget = { perNode: 20, nodes: 24 };

/** How long what is on screen must stay put before its containers are what is sampled, ms (see show). */
const SETTLE_MS = 150;

/** The most often the figures are put in the store, ms (see publish). */
const PUBLISH_MS = 500;

/** How many samples of each container the history keeps: three minutes at STATS_INTERVAL, what a sparkline shows. */
export const HISTORY_SAMPLES = 60;

/** A container's history is kept this long after it leaves the screen (ms, real time): a look at a log and back keeps its sparkline. */
export const HISTORY_LINGER = 120_000;

/** A container on screen and the node whose engine runs it. */
export interface StatsTarget {
  nodeId: string;
  containerId: string;
}

/** A node as node reach names it, from the manager's node list. */
export function nodeRef(node: SwarmNode): NodeRef {
  return { id: node.ID, hostname: node.Description?.Hostname ?? node.ID, addr: node.Status.Addr };
}

/**
 * Samples the CPU and memory of the containers on screen from their nodes' own engines (node reach),
 * every STATS_INTERVAL, within a request budget per node. Each node is swept on its own: a node that
 * does not answer costs its own timeout and back-off, and the others' figures arrive meanwhile.
 * The reach (and its connections) is made when first needed, and kept for the shell too.
 */
export class StatsPoller {
  private reach?: Promise<NodeReach>;
  private readonly samplers = new Map<string, StatsSampler>();
  private readonly busy = new Set<string>();
  /** This round's nodes not started yet, and when each node was last started (ms). */
  private queue: [string, string[]][] = [];
  private readonly sampledAt = new Map<string, number>();
  private targets: StatsTarget[] = [];
  private wanted = new Set<string>();
  private budget?: StatsBudget;
  private timer?: NodeJS.Timeout;
  private settle?: NodeJS.Timeout;
  /** Stats requests made and response bytes read since start: what the figures cost the nodes (the bench reads it). */
  readonly usage = { requests: 0, bytes: 0 };
  private figures = new Map<string, StatsFigures>();
  private unreachable = new Map<string, string>();
  private publishTimer?: NodeJS.Timeout;
  private publishedAt = 0;
  /** Each sampled container's last HISTORY_SAMPLES samples, oldest first; and since when those not shown are hidden (ms, real time). */
  private history = new Map<string, StatsSample[]>();
  private hiddenSince = new Map<string, number>();

  constructor(
    private readonly core: SyncCore,
    /** NODE -> URL (--node-host over config.yaml nodes:); read when the reach is first made. */
    private readonly nodeHosts: () => Promise<Map<string, string>>,
  ) {}

  /** The node reach of this swarm, made when first asked for. */
  nodeReach(): Promise<NodeReach> {
    this.reach ??= (async () => {
      const { NodeReach } = await import('../../docker/node-reach.js');
      let map = new Map<string, string>();
      try {
        map = await this.nodeHosts();
      } catch (error) {
        this.core.status((error as Error).message, 'error');
      }
      return new NodeReach({ manager: this.core.client.endpoint, map });
    })();
    return this.reach;
  }

  /** Samples these containers from now on (none: sampling stops), within a budget (else STATS_BUDGET's per node); figures of containers no longer shown are forgotten. */
  show(targets: StatsTarget[], budget?: StatsBudget): void {
    // Scrolling changes what is on screen at every key: what to sample is settled once the keys
    // stop (SETTLE_MS), not redone (figures forgotten, a frame, requests) for each row passed.
    this.core.cancel(this.settle);
    this.settle = undefined;
    if (targets.length === 0 || this.targets.length === 0) return this.apply(targets, budget);
    this.settle = this.core.later(SETTLE_MS, () => {
      this.settle = undefined;
      this.apply(targets, budget);
    });
  }

  private apply(targets: StatsTarget[], budget?: StatsBudget): void {
    this.targets = targets;
    this.budget = budget;
    const wanted = (this.wanted = new Set(targets.map((t) => t.containerId)));
    const nodes = new Set(targets.map((t) => t.nodeId));
    const figures = new Map([...this.figures].filter(([id]) => wanted.has(id)));
    const unreachable = new Map([...this.unreachable].filter(([id]) => nodes.has(id)));
    for (const sampler of this.samplers.values()) sampler.keepOnly(wanted);
    const forgotten = this.forgetHidden(wanted);
    if (forgotten || figures.size !== this.figures.size || unreachable.size !== this.unreachable.size) {
      this.figures = figures;
      this.unreachable = unreachable;
      this.publish();
    }
    this.core.cancel(this.timer);
    this.timer = undefined;
    if (targets.length > 0) this.sweep();
  }

  /** Marks the history of containers not shown as hidden, and drops what has been hidden past HISTORY_LINGER; true when any was dropped. */
  private forgetHidden(wanted: Set<string>): boolean {
    const now = Date.now();
    let dropped = false;
    for (const id of this.history.keys()) {
      if (wanted.has(id)) {
        this.hiddenSince.delete(id);
        continue;
      }
      const since = this.hiddenSince.get(id) ?? now;
      this.hiddenSince.set(id, since);
      if (now - since > HISTORY_LINGER) {
        this.history.delete(id);
        this.hiddenSince.delete(id);
        dropped = true;
      }
    }
    return dropped;
  }

  /**
   * One round: every node with containers on screen that is not still busy with the last round is
   * queued, the longest unsampled first, and sampled STATS_BUDGET.nodes at a time (the services view
   * at 1,000 nodes can have hundreds on screen).
   */
  private sweep(): void {
    if (this.core.stopped) return;
    // (The history of what left the screen is dropped here too, so a view that stays put still lets it go.)
    if (this.forgetHidden(this.wanted)) this.publish();
    const byNode = new Map<string, string[]>();
    for (const t of this.targets) {
      const list = byNode.get(t.nodeId);
      if (list) list.push(t.containerId);
      else byNode.set(t.nodeId, [t.containerId]);
    }
    const perNode = this.budget?.perNode ?? STATS_BUDGET.perNode;
    const waiting = [...byNode].filter(([nodeId]) => !this.busy.has(nodeId)).sort(([a], [b]) => (this.sampledAt.get(a) ?? 0) - (this.sampledAt.get(b) ?? 0));
    // This sweep's share of STATS_BUDGET.perSweep (and of the view's budget of nodes), the longest unsampled nodes first (the others' turn comes).
    this.queue = [];
    let requests = 0;
    for (const entry of waiting) {
      requests += Math.min(entry[1].length, perNode);
      if (this.queue.length > 0 && (requests > STATS_BUDGET.perSweep || this.queue.length >= (this.budget?.nodes ?? Infinity))) break;
      this.queue.push(entry);
    }
    this.pump();
    this.timer = this.core.later(STATS_INTERVAL, () => this.sweep());
  }

  /** Starts queued nodes while fewer than STATS_BUDGET.nodes are being sampled. */
  private pump(): void {
    while (!this.core.stopped && this.busy.size < STATS_BUDGET.nodes && this.queue.length > 0) {
      const [nodeId, containers] = this.queue.shift()!;
      this.busy.add(nodeId);
      this.sampledAt.set(nodeId, Date.now());
      void this.sampleNode(nodeId, containers).finally(() => {
        this.busy.delete(nodeId);
        this.pump();
      });
    }
  }

  private async sampleNode(nodeId: string, containers: string[]): Promise<void> {
    const node = this.core.store.getSnapshot().nodes.find((n) => n.ID === nodeId);
    if (!node) return;
    const reach = await this.nodeReach();
    let sampler = this.samplers.get(nodeId);
    if (!sampler) {
      const { StatsSampler } = await import('../../docker/node-stats.js');
      sampler = new StatsSampler(reach, STATS_BUDGET);
      this.samplers.set(nodeId, sampler);
    }
    const ref = nodeRef(node);
    const result = await sampler.sample(
      containers.map((containerId) => ({ node: ref, containerId })),
      { first: 'wait', perNode: this.budget?.perNode },
    );
    this.usage.requests += result.requests;
    this.usage.bytes += result.bytes;
    if (this.core.stopped) return;
    const why = result.unreachable.get(nodeId);
    if (why) this.unreachable.set(nodeId, why);
    else this.unreachable.delete(nodeId);
    for (const [id, figures] of result.figures) {
      if (!this.wanted.has(id)) continue;
      const before = this.figures.get(id);
      // A sample no later than the last (a paused clock, an engine that answers from cache) has no CPU of its own.
      const cpuPercent = before && figures.at <= before.at ? (before.cpuPercent ?? figures.cpuPercent) : (figures.cpuPercent ?? before?.cpuPercent);
      this.figures.set(id, { ...figures, cpuPercent, seen: this.core.now() });
      // Only a new sample adds to the history: an engine answering from cache would draw a flat line that is not there.
      // A view that samples more than it shows (:top) keeps none: it draws none, and 50,000 containers' three minutes would be 3,000,000 samples.
      if (!this.budget && (!before || figures.at > before.at)) {
        const samples = this.history.get(id) ?? [];
        this.history.set(id, [...samples.slice(-(HISTORY_SAMPLES - 1)), { at: figures.at, cpu: figures.cpuPercent, mem: figures.memoryBytes }]);
      }
    }
    this.publish();
  }

  /**
   * Puts the figures in the store: at once when none is pending, else once after PUBLISH_MS with all
   * that came meanwhile. Each node's answer arrives on its own: at 1,000 nodes (`:top`) a copy of
   * every figure and a redraw per answer would be hundreds a second.
   */
  private publish(): void {
    if (this.publishTimer) return;
    const now = Date.now();
    const wait = this.publishedAt + PUBLISH_MS - now;
    if (wait <= 0) return this.dispatch(now);
    this.publishTimer = this.core.later(wait, () => {
      this.publishTimer = undefined;
      this.dispatch(Date.now());
    });
  }

  private dispatch(now: number): void {
    this.publishedAt = now;
    this.core.store.dispatch({
      type: 'stats',
      stats: { figures: new Map(this.figures), unreachable: new Map(this.unreachable), history: new Map(this.history) },
    });
  }

  /** Forgets the swarm's engines (another swarm: a context switch). */
  reset(): void {
    this.core.cancel(this.timer);
    this.core.cancel(this.settle);
    this.settle = undefined;
    this.core.cancel(this.publishTimer);
    this.timer = undefined;
    this.publishTimer = undefined;
    this.targets = [];
    this.wanted.clear();
    this.queue = [];
    this.sampledAt.clear();
    this.samplers.clear();
    this.figures.clear();
    this.unreachable.clear();
    this.history.clear();
    this.hiddenSince.clear();
    void this.reach?.then((r) => r.close());
    this.reach = undefined;
  }

  /** Stops sampling and closes every node connection. */
  stop(): void {
    this.reset();
  }
}
