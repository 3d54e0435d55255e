import type { NodeEngine, NodeContainer, StatsFigures } from './node-engine.js';
import type { NodeReach, NodeRef } from './node-reach.js';
import { StatsSampler } from './node-stats.js';

/**
 * What the console shows of one node's own engine besides the stats columns: every container on it
 * (swarm or not) with its figures, the processes of one container (`docker top`), and its disk use
 * (`docker system df`, summed as the CLI sums it).
 */

/** One line of `docker system df`. */
export interface DiskUseLine {
  type: 'Images' | 'Containers' | 'Local Volumes' | 'Build Cache';
  total: number;
  active: number;
  size: number;
  reclaimable: number;
}

/** /system/df as the engine answers it (the fields the summary reads). */
interface RawDf {
  LayersSize?: number;
  Images?: { Containers?: number; Size?: number; SharedSize?: number; VirtualSize?: number }[] | null;
  Containers?: { State?: string; SizeRw?: number }[] | null;
  Volumes?: { UsageData?: { Size?: number; RefCount?: number } | null }[] | null;
  BuildCache?: { InUse?: boolean; Shared?: boolean; Size?: number }[] | null;
}

/** The four lines of `docker system df`, with the docker CLI's arithmetic (cli/command/formatter/disk_usage.go). */
export function diskUse(raw: RawDf): DiskUseLine[] {
  const images = raw.Images ?? [];
  const layers = raw.LayersSize ?? 0;
  // What active images hold that no other image shares is not reclaimable.
  const usedByActive = images
    .filter((i) => (i.Containers ?? 0) > 0 && (i.SharedSize ?? -1) !== -1)
    .reduce((sum, i) => sum + ((i.VirtualSize ?? i.Size ?? 0) - (i.SharedSize ?? 0)), 0);
  const containers = raw.Containers ?? [];
  const isActive = (state = '') => ['running', 'paused', 'restarting'].includes(state);
  const volumes = raw.Volumes ?? [];
  const volumeSize = (v: (typeof volumes)[number]) => Math.max(0, v.UsageData?.Size ?? 0);
  const cache = raw.BuildCache ?? [];
  return [
    {
      type: 'Images',
      total: images.length,
      active: images.filter((i) => (i.Containers ?? 0) > 0).length,
      size: layers,
      reclaimable: Math.max(0, layers - usedByActive),
    },
    {
      type: 'Containers',
      total: containers.length,
      active: containers.filter((c) => isActive(c.State)).length,
      size: containers.reduce((sum, c) => sum + (c.SizeRw ?? 0), 0),
      reclaimable: containers.filter((c) => !isActive(c.State)).reduce((sum, c) => sum + (c.SizeRw ?? 0), 0),
    },
    {
      type: 'Local Volumes',
      total: volumes.length,
      active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length,
      size: volumes.reduce((sum, v) => sum + volumeSize(v), 0),
      reclaimable: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) <= 0).reduce((sum, v) => sum + volumeSize(v), 0),
    },
    {
      type: 'Build Cache',
      total: cache.length,
      active: cache.filter((b) => b.InUse).length,
      size: cache.filter((b) => !b.Shared).reduce((sum, b) => sum + (b.Size ?? 0), 0),
      reclaimable: cache.filter((b) => !b.InUse && !b.Shared).reduce((sum, b) => sum + (b.Size ?? 0), 0),
    },
  ];
}

/** A container of the node with its figures (running ones, as sampled). */
export interface ContainerRow extends NodeContainer {
  figures?: StatsFigures;
}

/** `docker top`'s answer. */
export interface ProcessList {
  titles: string[];
  rows: string[][];
}

/** The most running containers of one node sampled per read (the rest show no figures until the next). */
export const CONTAINERS_SAMPLED = 40;

/** Reads one node's engine for the views: containers with figures, a container's processes, disk use. One per node on screen. */
export class NodeViewReader {
  private readonly sampler: StatsSampler;

  constructor(private readonly reach: NodeReach) {
    this.sampler = new StatsSampler(reach, { perNode: CONTAINERS_SAMPLED, concurrency: 4 });
  }

  private engine(node: NodeRef): Promise<NodeEngine> {
    return this.reach.engine(node);
  }

  /** Every container of the node, running first (the engine's order, newest first, within); running ones with their figures. */
  async containers(node: NodeRef): Promise<ContainerRow[]> {
    const list = await (await this.engine(node)).containers(true);
    const running = list.filter((c) => c.state === 'running');
    const sampled = await this.sampler.sample(
      running.map((c) => ({ node, containerId: c.id })),
      // A container's first sample waits for dockerd's second (about a second): its CPU is shown at once.
      { first: 'wait' },
    );
    const rank = (c: NodeContainer) => (c.state === 'running' ? 0 : 1);
    return list.map((c) => ({ ...c, figures: sampled.figures.get(c.id) })).sort((a, b) => rank(a) - rank(b));
  }

  /** `docker top` of one container: ps -ef's titles and rows. */
  async processes(node: NodeRef, containerId: string): Promise<ProcessList> {
    const top = await (await this.engine(node)).top(containerId);
    return { titles: top.Titles ?? [], rows: top.Processes ?? [] };
  }

  /** `docker system df` of the node. */
  async disk(node: NodeRef): Promise<DiskUseLine[]> {
    return diskUse((await (await this.engine(node)).df()) as RawDf);
  }
}
