// Bundles the command line (dist/cli.js and its lazily loaded parts) after tsc has built dist/:
// Node loads one file per module, and the console's 50-odd small modules cost ~25 ms of start-up
// that a handful of chunks do not. Dependencies stay outside (node_modules), and each dynamic
// import (the simulator, the console, the --once renderer) stays a chunk of its own, loaded only
// when needed. tsc's per-module output stays in dist/ for the benchmark harness and media script.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url);
rmSync(new URL('chunks/', dist), { recursive: true, force: true });
await build({
  entryPoints: [new URL('../source/cli.tsx', import.meta.url).pathname],
  outdir: dist.pathname,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  // The shebang of source/cli.tsx is kept: dist/cli.js is the package's bin.
  logLevel: 'warning',
});
