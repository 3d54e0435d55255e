import * as yoga from 'yoga-layout';

/**
 * Resolves once Yoga (Ink's layout engine, WebAssembly) is ready. In the ES module builds Yoga is
 * ready when imported; the single executable's CommonJS build compiles it when this is awaited
 * (scripts/build-exe.mjs), before the first frame.
 */
export const yogaReady: Promise<unknown> = (Reflect.get(yoga, 'yogaReady') as Promise<unknown> | undefined) ?? Promise.resolve();
