// Ink 6 keeps every text it has ever measured or wrapped in two module-level caches that are
// never emptied (vadimdemedes/ink#986, fixed upstream only in versions that need Node 22). A
// console that follows a noisy service for hours renders millions of distinct lines, so those
// caches grow without end. This script, run by `npm install` (postinstall), bounds both: past
// 10,000 entries a cache starts again empty (recomputing a width is cheap). It changes nothing it
// does not recognise, and says so; `npm test` checks that the bound is in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* swarmdeck: cache bounded, see scripts/bound-ink-caches.mjs */';
const LIMIT = 10_000;

/** The edits per file: each `from` must occur exactly once in Ink's build. */
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

/** Bounds Ink's caches in the ink package found from `from`; returns what it did, per file. */
export function boundInkCaches(from = import.meta.url) {
  const build = dirname(fileURLToPath(import.meta.resolve('ink', from)));
  const report = [];
  for (const [name, edits] of Object.entries(EDITS)) {
    const file = join(build, name);
    let text = readFileSync(file, 'utf8');
    if (text.includes(MARK)) {
      report.push(`${name}: already bounded`);
      continue;
    }
    for (const { from: original, to } of edits) {
      if (text.split(original).length !== 2) throw new Error(`${file}: Ink's code is not what this script knows; its cache was left as it is`);
      text = text.replace(original, to);
    }
    writeFileSync(file, text);
    report.push(`${name}: bounded at ${LIMIT} entries`);
  }
  return report;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    for (const line of boundInkCaches()) console.log(`bound-ink-caches: ${line}`);
  } catch (error) {
    console.error(`bound-ink-caches: ${error.message}`);
    process.exit(1);
  }
}
