import type { NodeReach } from '../../docker/node-reach.js';
import type { NodeViewReader } from '../../docker/node-views.js';
import { engineKey, type EngineNeed } from '../needs.js';
import type { EngineState } from '../state.js';
import type { SyncCore } from './core.js';
import { nodeRef } from './stats.js';

/** How often a node's containers and a container's processes are read again while shown, ms. */
export const ENGINE_VIEW_INTERVAL = 3000;

/** Reads what a view needs of one node's engine (see EngineNeed) into the store. */
export async function readEngineNeed(reader: NodeViewReader, need: EngineNeed, nodes: { ID: string }[]): Promise<EngineState> {
  const key = engineKey(need);
  const node = nodes.find((n) => n.ID === need.nodeId) as Parameters<typeof nodeRef>[0] | undefined;
  if (!node) return { key, error: 'the node is not in the node list', at: Date.now() };
  const ref = nodeRef(node);
  try {
    if (need.what === 'containers') return { key, containers: await reader.containers(ref), at: Date.now() };
    if (need.what === 'processes') return { key, processes: await reader.processes(ref, need.containerId ?? ''), at: Date.now() };
    return { key, disk: await reader.disk(ref), at: Date.now() };
  } catch (error) {
    return { key, error: (error as Error).message, at: Date.now() };
  }
}

/**
 * Keeps the engine need of the view on screen current: containers and processes are read again
 * every ENGINE_VIEW_INTERVAL (the next read starts when the last is done), disk use once (a df makes
 * the engine walk its layers). What is no longer shown stops.
 */
export class EngineViews {
  private need?: EngineNeed;
  private timer?: NodeJS.Timeout;
  private reader?: Promise<NodeViewReader>;
  /** Bumped on every change of need: an answer to an older one is dropped. */
  private generation = 0;

  constructor(
    private readonly core: SyncCore,
    private readonly nodeReach: () => Promise<NodeReach>,
  ) {}

  private readerOf(): Promise<NodeViewReader> {
    this.reader ??= (async () => {
      const { NodeViewReader } = await import('../../docker/node-views.js');
      return new NodeViewReader(await this.nodeReach());
    })();
    return this.reader;
  }

  /** Reads this need from now on (none: stops). */
  show(need: EngineNeed | undefined): void {
    if (engineKey(need) === engineKey(this.need)) return;
    this.need = need;
    this.generation += 1;
    this.core.cancel(this.timer);
    this.timer = undefined;
    if (need) void this.read(this.generation);
  }

  private async read(generation: number): Promise<void> {
    const need = this.need;
    if (!need || this.core.stopped) return;
    const answer = await readEngineNeed(await this.readerOf(), need, this.core.store.getSnapshot().nodes);
    if (generation !== this.generation || this.core.stopped) return;
    this.core.store.dispatch({ type: 'engine', engine: answer });
    if (need.what !== 'disk') this.timer = this.core.later(ENGINE_VIEW_INTERVAL, () => void this.read(generation));
  }

  /** Stops reading and forgets the reader (the reach itself is the stats poller's, closed and made anew with it). */
  stop(): void {
    this.generation += 1;
    this.need = undefined;
    this.reader = undefined;
    this.core.cancel(this.timer);
    this.timer = undefined;
  }
}
