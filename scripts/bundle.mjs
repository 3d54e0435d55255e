// Builds what ships (dist/) and the bench harness (build/) with esbuild.
//
// dist/cli.js is the command line with every dependency inside it: the package installs nothing,
// runs no install script, and carries the fixes made to its dependencies (scripts/ink-fixes.mjs,
// scripts/modem-fixes.mjs;
// the tokenizer and string-width versions are those this checkout's lock resolves). Each dynamic
// import (the simulator, the console, the --once renderer) stays a chunk of its own, loaded only
// when needed. dist/simulator.js is the simulator as a library (`swarmdeck/simulator`).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { inkFixes } from './ink-fixes.mjs';
import { modemFixes } from './modem-fixes.mjs';

const root = new URL('..', import.meta.url).pathname;

/** What every bundle shares: Node 20, ES modules, production React, the fixes. */
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // The development builds of React and the reconciler double the console's memory and slow every frame.
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies (dockerode, its modem, ssh2) use require, __dirname and __filename, which ES modules have not.
  banner: {
    js: [
      "import { createRequire as __sdRequire } from 'node:module';",
      "import { fileURLToPath as __sdPath } from 'node:url';",
      "import { dirname as __sdDirname } from 'node:path';",
      'const require = __sdRequire(import.meta.url);',
      'const __filename = __sdPath(import.meta.url);',
      'const __dirname = __sdDirname(__filename);',
    ].join(' '),
  },
  // Optional native parts of ssh2 and Ink's devtools: absent, their callers fall back.
  external: ['cpu-features', '*.node', 'react-devtools-core'],
  plugins: [inkFixes, modemFixes],
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

rmSync(new URL('dist/', `file://${root}`), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { cli: `${root}source/cli.tsx`, simulator: `${root}source/simulator/library.ts` },
    outdir: `${root}dist`,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    // The shebang of source/cli.tsx is kept: dist/cli.js is the package's bin.
  }),
  // The benchmark's console harness: the console as it ships (with the same fixes), driven headless.
  // (Split as dist/ is: Ink's devtools, which need a package that is not there, stay a chunk never loaded.)
  build({
    ...common,
    entryPoints: { 'console-harness': `${root}bench/console-harness.mjs` },
    outdir: `${root}build`,
    entryNames: '[name]',
    chunkNames: 'harness-chunks/[name]-[hash]',
    splitting: true,
  }),
]);
