import type { NodeReach, NodeRef } from './node-reach.js';
import { statsFigures, type RawStats, type StatsFigures } from './node-engine.js';

/** Sampling stats for many containers across nodes, within a request budget per node per sweep. */

/** A container to sample, and the node whose engine runs it. */
export interface SampleTarget {
  node: NodeRef;
  containerId: string;
}

/** What one sweep got: figures per container, why a node's containers have none, and what the budget left for later. */
export interface SampleResult {
  figures: Map<string, StatsFigures>;
  /** Node id -> why its engine could not be asked (its containers are not in figures). */
  unreachable: Map<string, string>;
  /** Containers over the budget this sweep (sampled first next time). */
  deferred: SampleTarget[];
  /** Requests made and response bytes read, per sweep, for the bench and the budget's tuning. */
  requests: number;
  bytes: number;
}

/** Budget and pacing of a sweep. */
export interface SampleBudget {
  /** At most this many stats requests per node per sweep (default 20; a sweep's own `perNode` overrides it). */
  perNode?: number;
  /** At most this many in flight per node (default 2). */
  concurrency?: number;
}

/**
 * Samples containers' stats with one-shot requests (dockerd answers at once rather than after its
 * second sample) and computes CPU against the sample this sampler took before: the first sweep of a
 * container has no CPU figure unless `first` asks for dockerd's own two-sample answer (a second's wait on a real engine).
 */
export class StatsSampler {
  private readonly previous = new Map<string, RawStats>();
  private readonly backlog: SampleTarget[] = [];
  private readonly inFlight = new Set<string>();
  private epoch = 0;

  constructor(
    private readonly reach: NodeReach,
    private readonly budget: SampleBudget = {},
  ) {}

  /**
   * Forgets the last samples of every container but these: one that comes back on screen is sampled
   * afresh (dockerd's two samples), not against a sample taken long ago (or, on a paused clock, at the same instant).
   */
  keepOnly(containerIds: Set<string>): void {
    // A sample in flight for a container forgotten now is not kept when it lands either.
    if ([...this.previous.keys(), ...this.inFlight].some((id) => !containerIds.has(id))) this.epoch += 1;
    for (const id of this.previous.keys()) if (!containerIds.has(id)) this.previous.delete(id);
  }

  /** One sweep over `targets` (deferred ones from the last sweep first); nodes are asked in parallel, each within its budget. */
  async sample(targets: SampleTarget[], options: { first?: 'wait' | 'skip'; perNode?: number } = {}): Promise<SampleResult> {
    const perNode = options.perNode ?? this.budget.perNode ?? 20;
    const concurrency = this.budget.concurrency ?? 2;
    const wanted = new Set(targets.map((t) => t.containerId));
    const ordered = [...this.backlog.filter((t) => wanted.has(t.containerId)), ...targets];
    this.backlog.length = 0;
    const byNode = new Map<string, SampleTarget[]>();
    const seen = new Set<string>();
    for (const target of ordered) {
      if (seen.has(target.containerId)) continue;
      seen.add(target.containerId);
      const list = byNode.get(target.node.id) ?? [];
      if (list.length < perNode) list.push(target);
      else this.backlog.push(target);
      byNode.set(target.node.id, list);
    }
    const result: SampleResult = { figures: new Map(), unreachable: new Map(), deferred: [...this.backlog], requests: 0, bytes: 0 };
    await Promise.all(
      [...byNode.values()].map(async (list) => {
        const node = list[0].node;
        let engine;
        try {
          engine = await this.reach.engine(node);
        } catch (error) {
          result.unreachable.set(node.id, (error as Error).message);
          return;
        }
        const queue = [...list];
        const worker = async () => {
          for (let target = queue.shift(); target; target = queue.shift()) {
            const before = this.previous.get(target.containerId);
            const epoch = this.epoch;
            this.inFlight.add(target.containerId);
            try {
              const raw = await engine.stats(target.containerId, Boolean(before) || options.first !== 'wait');
              result.requests += 1;
              result.bytes += JSON.stringify(raw).length;
              const figures = statsFigures(raw, before);
              result.figures.set(target.containerId, figures);
              // A sample at the same instant as the last gives no CPU: the next one is taken afresh (dockerd's two samples).
              if (before && figures.cpuPercent === undefined) this.previous.delete(target.containerId);
              else if (epoch === this.epoch) this.previous.set(target.containerId, raw);
            } catch (error) {
              result.requests += 1;
              // A container gone between listing and sampling is not the node's fault.
              if ((error as { status?: number }).status === 404) continue;
              result.unreachable.set(node.id, (error as Error).message);
              this.reach.drop(node, `${node.hostname}: ${(error as Error).message}`);
              return;
            } finally {
              this.inFlight.delete(target.containerId);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
      }),
    );
    // Forget containers no longer asked about, so the memory follows what is on screen.
    for (const id of this.previous.keys()) if (!wanted.has(id)) this.previous.delete(id);
    return result;
  }
}
