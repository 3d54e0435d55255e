import type { Context } from '../http.js';
import { listContainers } from './containers.js';
import { listImages } from './images.js';

/** GET /system/df: the engine's images and containers with their sizes, as `docker system df` reads them (no volumes, no build cache). */
export function systemDf(ctx: Context) {
  const all = new URLSearchParams(ctx.query);
  all.set('all', '1');
  const containers = listContainers({ ...ctx, query: all });
  const images = listImages(ctx).map((image) => ({
    ...image,
    Containers: containers.filter((c) => c.ImageID === image.Id).length,
    SharedSize: 0,
  }));
  return {
    LayersSize: images.reduce((sum, image) => sum + image.Size, 0),
    Images: images,
    // A container's writable layer: a few KiB of logs and pid files over its image.
    Containers: containers.map((c) => ({ ...c, SizeRootFs: images.find((i) => i.Id === c.ImageID)?.Size ?? 0, SizeRw: 4096 })),
    Volumes: [],
    BuildCache: null,
    BuilderSize: 0,
  };
}
