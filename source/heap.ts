import { setFlagsFromString } from 'node:v8';

/** How far V8 lets the heap grow past what the last full collection kept, in percent. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds the console's memory between full collections. The console keeps ~25 MB alive at 50,000
 * tasks, but every frame leaves garbage (Ink builds a cell grid per frame) and some of it outlives
 * a scavenge; V8's default then lets the old generation reach about four times the live size
 * before collecting, ~200 MB RSS at scale. At 1.5x the peak stays near 150 MB and the extra full
 * collections (incremental, a few ms at this size) do not show in key latency (npm run bench).
 * V8 reads this flag at every collection, so setting it now takes effect; the heap sizes, which
 * are fixed when the process starts, cannot be changed here.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
