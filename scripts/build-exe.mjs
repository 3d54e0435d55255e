// Builds dist/swarmdeck-linux-x64 (npm run build:exe): one file that runs the console, --once and
// sim on a manager with no Node installed. It is Node's own single executable application: this
// machine's node binary with the command line injected as its main script (postject).
//
// Node 20's SEA main script is CommonJS and can require only Node's built-in modules, so the
// command line is bundled again into one CommonJS file with nothing outside it. Two of Ink's
// dependencies use top-level await, which CommonJS cannot have: yoga-layout (its WebAssembly is
// compiled asynchronously; here it is compiled when the console starts, see source/ui/yoga.ts) and
// Ink's optional devtools hook (dropped).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { build } from 'esbuild';
import { inkFixes } from './ink-fixes.mjs';
import { modemFixes } from './modem-fixes.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}build/sea`;
mkdirSync(out, { recursive: true });

/** Top-level await, rewritten where it stands in the way of a CommonJS bundle. */
const noTopLevelAwait = {
  name: 'no-top-level-await',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, () => ({
      contents: [
        "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
        "import wrapAssembly from './wrapAssembly.js';",
        // Filled in before the first frame is laid out: Ink reads Yoga only when it renders.
        'const Yoga = {};',
        'export const yogaReady = loadYoga().then((module) => Object.assign(Yoga, wrapAssembly(module)));',
        'export default Yoga;',
        "export * from './generated/YGEnums.js';",
      ].join('\n'),
      resolveDir: `${root}node_modules/yoga-layout/dist/src`,
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      const from = text.indexOf("if (process.env['DEV'] === 'true') {");
      const to = text.indexOf('\n}\n', from);
      if (from < 0 || to < 0) throw new Error(`${args.path}: Ink's devtools hook is not where build-exe.mjs expects it`);
      return { contents: text.slice(0, from) + text.slice(to + 3), loader: 'js' };
    });
  },
};

/** ssh2's optional native parts: required in a try, so a module that throws is as if they were not installed. */
const absent = {
  name: 'absent',
  setup(b) {
    b.onResolve({ filter: /^cpu-features$|\.node$/ }, (args) => ({ path: args.path, namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the single executable`)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [`${root}source/cli.tsx`],
  outfile: `${out}/swarmdeck.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta': '__swarmdeckMeta' },
  // The SEA's own require warns on every use; a require made by Node's module API loads built-ins quietly.
  banner: {
    js: "var require = process.getBuiltinModule('node:module').createRequire(__filename); const __swarmdeckMeta = { url: require('node:url').pathToFileURL(__filename).href };",
  },
  plugins: [inkFixes, modemFixes, noTopLevelAwait, absent],
  logLevel: 'warning',
  legalComments: 'none',
});
writeFileSync(`${out}/sea-config.json`, JSON.stringify({ main: `${out}/swarmdeck.cjs`, output: `${out}/swarmdeck.blob`, disableExperimentalSEAWarning: true }));
execFileSync(process.execPath, ['--experimental-sea-config', `${out}/sea-config.json`], { stdio: 'inherit' });
const exe = `${root}dist/swarmdeck-linux-x64`;
mkdirSync(`${root}dist`, { recursive: true });
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// postject's LIEF warns about every .note section of Debian's node binary that it has no name
// offset for ("Can't find string offset for section name '.note...'"): the notes are left as they
// are and the executable runs, so those lines are not shown; anything else postject says is.
const injected = spawnSync(
  process.execPath,
  [
    `${root}node_modules/postject/dist/cli.js`,
    exe,
    'NODE_SEA_BLOB',
    `${out}/swarmdeck.blob`,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { encoding: 'utf8' },
);
const said = `${injected.stdout}${injected.stderr}`.split('\n').filter((line) => line.trim() !== '');
const shown = injected.status === 0 ? said.filter((line) => !/^warning: Can't find string offset for section name '\.note[.\w]*'$/.test(line)) : said;
if (shown.length > 0) console.log(shown.join('\n'));
if (injected.status !== 0) throw new Error(`postject failed (exit ${injected.status})`);
console.log(`build-exe: ${exe} (${Math.round(statSync(exe).size / 1e6)} MB)`);
