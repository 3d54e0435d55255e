// Fixes to Ink applied when the bundle is built (scripts/bundle.mjs), never by patching
// node_modules: an installed package runs no install scripts of ours and ignores `overrides`, so
// what ships must carry its fixes inside it.
//
// Ink 6 keeps every text it has ever measured or wrapped in two module-level caches that are
// never emptied (vadimdemedes/ink#986, fixed upstream only in versions that need Node 22). A
// console that follows a noisy service for hours renders millions of distinct lines, so those
// caches grow without end. The edits bound both: past 10,000 entries a cache starts again empty
// (recomputing a width is cheap). A build whose Ink code is not what these edits know fails,
// rather than ship the unbounded caches silently.
import { readFile } from 'node:fs/promises';

const MARK = '/* swarmdeck: cache bounded, see scripts/ink-fixes.mjs */';
const LIMIT = 10_000;

/** The edits per file of Ink's build: each `from` must occur exactly once. */
const EDITS = {
  'measure-text.js': [
    {
      from: '    cache.set(text, dimensions);',
      to: `    if (cache.size >= ${LIMIT}) cache.clear(); ${MARK}\n    cache.set(text, dimensions);`,
    },
  ],
  'wrap-text.js': [
    { from: 'const cache = {};', to: `let cache = {}; let cached = 0; ${MARK}` },
    {
      from: '    cache[cacheKey] = wrappedText;',
      to: `    if (++cached > ${LIMIT}) { cache = {}; cached = 1; }\n    cache[cacheKey] = wrappedText;`,
    },
  ],
};

/** Ink's code with the edits for `file` (a path ending in one of EDITS' names) applied. */
export function fixInk(file, text) {
  const name = Object.keys(EDITS).find((n) => file.endsWith(`/ink/build/${n}`));
  if (!name) return text;
  for (const { from, to } of EDITS[name]) {
    if (text.split(from).length !== 2) throw new Error(`${file}: Ink's code is not what scripts/ink-fixes.mjs knows; update the edits for this Ink`);
    text = text.replace(from, to);
  }
  return text;
}

/** The esbuild plugin that applies fixInk to Ink's files as they are bundled. */
export const inkFixes = {
  name: 'ink-fixes',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/](measure-text|wrap-text)\.js$/ }, async (args) => ({
      contents: fixInk(args.path.replaceAll('\\', '/'), await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
