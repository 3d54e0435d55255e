// Regenerates the screenshots in media/ from the simulator (npm run media): the same seed and a
// fixed clock give the same frames on every run, so the pictures stay current with the code.
import { mkdirSync, writeFileSync } from 'node:fs';
import React from 'react';
import { render } from 'ink-testing-library';
import { parseHost } from '../build/docker/connection.js';
import { SwarmClient } from '../build/docker/client.js';
import { createStore } from '../build/store/store.js';
import { Sync } from '../build/store/sync.js';
import { App } from '../build/ui/app.js';
import { startSimulator } from '../build/simulator/server.js';

const PALETTE = {
  30: '#1e1e1e',
  31: '#e06c75',
  32: '#98c379',
  33: '#e5c07b',
  34: '#61afef',
  35: '#c678dd',
  36: '#56b6c2',
  37: '#dcdfe4',
  90: '#7f848e',
  91: '#ff7b86',
  92: '#b5e890',
  93: '#ffd68a',
  94: '#8cc8ff',
  95: '#e29bf5',
  96: '#7fdbe6',
  97: '#ffffff',
};
const FG = '#dcdfe4';
const BG = '#1e2127';
const CELL = 8.4;
const LINE = 18;

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Converts a frame with SGR colour codes into an SVG picture of the terminal. */
function toSvg(frame, columns, rows) {
  const lines = frame.split('\n');
  const parts = [];
  lines.forEach((line, y) => {
    let style = { fg: undefined, bg: undefined, bold: false, inverse: false, dim: false };
    let x = 0;
    const re = /\u001b\[([0-9;]*)m|([^\u001b]+)/g;
    for (let m; (m = re.exec(line));) {
      if (m[1] !== undefined) {
        const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
        for (const code of codes) {
          if (code === 0) style = { fg: undefined, bg: undefined, bold: false, inverse: false, dim: false };
          else if (code === 1) style.bold = true;
          else if (code === 2) style.dim = true;
          else if (code === 22) style = { ...style, bold: false, dim: false };
          else if (code === 7) style.inverse = true;
          else if (code === 27) style.inverse = false;
          else if (code === 39) style.fg = undefined;
          else if (code === 49) style.bg = undefined;
          else if (PALETTE[code]) style.fg = PALETTE[code];
          else if (PALETTE[code - 10]) style.bg = PALETTE[code - 10];
        }
        continue;
      }
      const text = m[2];
      let fg = style.fg ?? FG;
      let bg = style.bg;
      if (style.inverse) [fg, bg] = [bg ?? BG, style.fg ?? FG];
      if (bg) parts.push(`<rect x="${(x * CELL).toFixed(1)}" y="${y * LINE + 4}" width="${(text.length * CELL).toFixed(1)}" height="${LINE}" fill="${bg}"/>`);
      if (text.trim()) {
        // textLength pins each run to its cells, so box-drawing glyphs from fallback fonts still line up.
        parts.push(
          `<text x="${(x * CELL).toFixed(1)}" y="${y * LINE + 17}" textLength="${([...text].length * CELL).toFixed(1)}" lengthAdjust="spacingAndGlyphs" fill="${fg}"${style.bold ? ' font-weight="bold"' : ''}${style.dim ? ' opacity="0.7"' : ''} xml:space="preserve">${escapeXml(text)}</text>`,
        );
      }
      x += [...text].length;
    }
  });
  const width = Math.ceil(columns * CELL) + 16;
  const height = rows * LINE + 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="-8 -4 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
<rect x="-8" y="-4" width="${width}" height="${height}" rx="6" fill="${BG}"/>
${parts.join('\n')}
</svg>
`;
}

/** Runs a simulator drill (POST /swarmdeck/drills/NAME) as the drill keys do. */
const drillOn = (sim, name, target) => new SwarmClient({ ...parseHost(sim.host, {}, undefined), label: 'sim' }).drill(name, target);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One console on a fresh simulator: press keys, run steps against the simulator, take pictures. */
async function session({ width = 120, height = 32 } = {}) {
  const sim = await startSimulator({ clock: 'manual' });
  const client = new SwarmClient({ ...parseHost(sim.host, {}, undefined), label: 'simulated swarm (tutorial)' });
  const store = createStore('simulated swarm (tutorial)');
  const now = () => sim.swarm.now;
  const sync = new Sync(client, store, now);
  await sync.start();
  const ui = render(React.createElement(App, { store, sync, readOnly: false, width, height: height - 1, now }));
  const plain = () => (ui.lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  for (let i = 0; i < 200 && !plain().includes('flaskontesting'); i++) await sleep(20);
  return {
    sim,
    async keys(keys) {
      for (const key of keys) {
        if (typeof key === 'function') await key(sim);
        else ui.stdin.write(key);
        await sleep(60);
      }
    },
    async picture(name, ready) {
      for (let i = 0; i < 500 && !ready(plain()); i++) await sleep(20);
      if (!ready(plain())) throw new Error(`${name}: the frame never got ready:\n${plain()}`);
      writeFileSync(new URL(`../media/${name}.svg`, import.meta.url), toSvg(ui.lastFrame(), width, height - 1));
      writeFileSync(new URL(`../media/${name}.txt`, import.meta.url), `${plain()}\n`);
      console.log(`media/${name}.svg`);
    },
    async close() {
      ui.unmount();
      sync.stop();
      await sim.close();
    },
  };
}

/** One picture from a fresh console after some keys. */
async function shoot(name, keys, ready, size) {
  const s = await session(size);
  await s.keys(keys);
  await s.picture(name, ready);
  await s.close();
}

mkdirSync(new URL('../media/', import.meta.url), { recursive: true });
// With the CPU and MEM figures of every row in (sampled from the nodes' engines a moment after the lists).
const rowsWith = (f, re) => f.split('\n').filter((l) => re.test(l)).length;
await shoot('services', [], (f) => f.includes('completed') && rowsWith(f, /\d\.\d%/) === 6);
await shoot('nodes', [':nodes\r'], (f) => /core-01.*\b4\s*$/m.test(f) && rowsWith(f, /^core-0\d .*\d%\s+\d+%/) === 5);
await shoot('tasks', ['G', '\r'], (f) => f.includes('\\_ web.1') && rowsWith(f, /^web\.\d .*\d\.\d%/) === 3);
await shoot('logs', ['l'], (f) => f.includes('600 lines'));
await shoot('scale', ['j', 's', '9', '\r', (sim) => sim.advance(600)], (f) => /flaskontesting\s+replicated\s+[5-8]\/9/.test(f));
await shoot('rollback', ['G', '\u000c'], (f) => f.includes('Roll back web'));
await shoot('drain', [':nodes\r', 'j', 'r'], (f) => f.includes('Drain core-02?'));
await shoot('stacks', ['3'], (f) => f.includes('getstartedlab'));
// A stack's logs at once, filtered: every service's lines in time order, only those that match.
await shoot('stack-logs-filtered', ['3', 'l', '/', 'tick \\d+7$', '\r'], (f) => /Logs of stack getstartedlab/.test(f) && /match/.test(f));
await shoot('map', ['4'], (f) => /## flaskontesting/.test(f));
await shoot('events', ['5'], (f) => f.includes('updatestate updating -> completed'));
await shoot('inspect', ['g', 'i'], (f) => f.includes('REDIS_PASSWORD=******'), { width: 120, height: 40 });
await shoot('containers', [':containers core-03\r'], (f) => /Containers of node core-03 \(\d+, \d+ running\)/.test(f) && /running\s+\d+\.\d%/.test(f));
// The hottest tasks of the swarm (:top): web on the cpu-hog drill leads.
await shoot('top-tasks', [async (sim) => void (await drillOn(sim, 'cpu-hog', 'web')), (sim) => sim.advance(3000), ':top\r'], (f) =>
  /Top tasks \(22 running on 5 nodes, 22 sampled\)/.test(f),
);
await shoot('top', ['G', '\r', 't'], (f) => /Processes of web\.1\.\w+ on core-03 \(docker top, 1\)/.test(f));

// A rehearsed incident, step by step: a node goes down, a bad image stalls a rollout, a rollback
// saves it. The same keys work on the simulator for anyone who wants to practise.
const drill = await session();
await drill.keys(['4']);
await drill.picture('drill-1-map', (f) => /## flaskontesting/.test(f));
await drill.keys(['l', 'l', 'X', (sim) => sim.advance(8000)]);
await drill.picture('drill-2-node-down', (f) => f.includes('core-03 is down') && /DOWN/.test(f) && !/DOWN\s+[\s\S]*##.*\n.*core-03/.test(f));
await drill.keys(['2', 'G', 'B', 'r', 'y', (sim) => sim.advance(4000), '\r']);
await drill.picture('drill-3-bad-image', (f) => /Update (PAUSED|in progress)/.test(f) && /No such image/.test(f));
await drill.keys(['\u000c', 'y', (sim) => sim.advance(4000)]);
await drill.picture('drill-4-rolled-back', (f) => f.includes('roll back web: done'));
await drill.close();

// Limits and kills: a service leaks memory (the simulator's `leaking` profile) past its 64MiB
// limit; near it the MEM cells are marked, then the kernel kills it and the console says OOMKilled.
const oom = await session();
await oom.keys([
  (sim) =>
    void sim.swarm.createService({
      Name: 'cache',
      Labels: { 'swarmdeck.sim.profile': 'leaking' },
      TaskTemplate: { ContainerSpec: { Image: 'redis:7' }, Resources: { Limits: { MemoryBytes: 64 * 1024 * 1024 } } },
      Mode: { Replicated: { Replicas: 3 } },
    }),
  (sim) => sim.advance(5000),
  (sim) => sim.advance(41_000),
  ':tasks cache\r',
  ...Array.from({ length: 4 }, () => async (sim) => {
    sim.advance(3000);
    await sleep(3100);
  }),
]);
await oom.picture('limits-1-near', (f) => /^CPU [▁-█ ]+ .*MEM [▁-█]{3,}/m.test(f) && /!\d/.test(f));
await oom.keys([(sim) => sim.advance(5000), () => sleep(1000)]);
await oom.picture('limits-2-oom-killed', (f) => f.includes('OOMKilled (exit 137)') && f.includes('Why:'));
await oom.close();
