// npm run bench: measures swarmdeck side by side with its baselines in one run, and writes
// bench/results.md and bench/results.json. Timings live here, never in tests.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { buildScenario } from '../build/simulator/scenarios/index.js';
import { deployRows } from './deploy.mjs';
import { engineRows } from './engines.mjs';
import { simulatorLoad } from './simulator-load.mjs';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-'));
const rows = [];
const log = (...args) => console.error('[bench]', ...args);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const round = (n, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Adds a row: what, the measured value, the baseline it is measured against, the target, and whether it holds. */
function row(group, what, value, unit, baseline, target, ok) {
  rows.push({ group, what, value, unit, baseline, target, ok });
  log(`${what}: ${value} ${unit}${baseline ? ` (baseline ${baseline})` : ''}${target ? ` target ${target}: ${ok ? 'met' : 'MISSED'}` : ''}`);
}

/** Starts `swarmdeck sim` in its own process; resolves with its DOCKER_HOST. */
function startSim(name, args) {
  const socket = join(dir, `${name}.sock`);
  const child = spawn(process.execPath, [cli, 'sim', '--socket', socket, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('export DOCKER_HOST')) resolve({ host: `unix://${socket}`, socket, pid: child.pid, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** Wall time of a command, ms. */
function time(cmd, args, env = {}) {
  const t0 = performance.now();
  const result = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr}`);
  return performance.now() - t0;
}

/** Runs the headless console harness; resolves with its JSON result. */
function harness(host, mode, seconds = 0, onReady) {
  return new Promise((resolve, reject) => {
    // --expose-gc lets the flood measure memory after a full collection; nothing else calls gc().
    const child = spawn(process.execPath, ['--expose-gc', join(root, 'build/console-harness.js'), mode, String(seconds)], {
      env: { ...process.env, DOCKER_HOST: host },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (onReady && out.includes('READY\n')) {
        const ready = onReady;
        onReady = undefined;
        ready();
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`harness ${mode} exited ${code}`))));
  });
}

/** A unix-socket proxy in front of a simulator that counts requests and the bytes the manager sends. */
async function countingProxy(target) {
  const socket = join(dir, `proxy-${rows.length}-${Math.random().toString(36).slice(2)}.sock`);
  const counts = { requests: 0, bytes: 0 };
  /** Every request: when (ms since the proxy started) and its path. */
  const sent = [];
  const t0 = performance.now();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    client.on('data', (chunk) => {
      for (const m of chunk.toString('latin1').matchAll(/^(?:GET|POST|HEAD|DELETE|PUT) (\/\S*)/gm)) {
        counts.requests += 1;
        sent.push({ at: performance.now() - t0, path: decodeURIComponent(m[1]) });
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      counts.bytes += chunk.length;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise((r) => server.listen(socket, r));
  return { host: `unix://${socket}`, counts, sent, reset: () => Object.assign(counts, { requests: 0, bytes: 0 }), close: () => server.close() };
}

/** A naive dashboard: GET /nodes, /services and /tasks every 2 s, for `seconds`. */
async function naivePoller(host, seconds) {
  const docker = new Docker({ socketPath: host.replace('unix://', '') });
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const t0 = Date.now();
    await Promise.all([docker.listNodes(), docker.listServices(), docker.listTasks()]);
    await sleep(Math.max(0, 2000 - (Date.now() - t0)));
  }
}

const results = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };
// BENCH_ONLY=startup (or scale, traffic...) runs one group, for working on it; the default runs all.
const only = process.env.BENCH_ONLY;
const wanted = (group) => !only || only.split(',').includes(group);

// ---- 1. start-up: first frame against the import floor ---------------------------------------
if (wanted('startup')) {
  const sim = await startSim('tutorial', ['--scenario', 'tutorial']);
  const floor = [];
  const once = [];
  for (let i = 0; i < 21; i++) {
    floor.push(time(process.execPath, [join(root, 'bench/import-floor.mjs')]));
    once.push(time(process.execPath, [cli, '--once', '--view', 'services'], { DOCKER_HOST: sim.host }));
  }
  const ratio = median(once) / median(floor);
  row(
    'start-up',
    'first frame with data (--once, tutorial)',
    round(median(once)),
    'ms',
    `import floor ${round(median(floor))} ms`,
    '<= 1.15x floor',
    ratio <= 1.15,
  );
  row('start-up', 'first frame / import floor', round(ratio, 2), 'x', '', '<= 1.15x', ratio <= 1.15);
  // What ships, measured beside it: the bundle's size, and the single executable's (npm run build:exe).
  const bundleBytes = readdirSync(join(root, 'dist'), { recursive: true })
    .filter((f) => String(f).endsWith('.js'))
    .reduce((sum, f) => sum + statSync(join(root, 'dist', String(f))).size, 0);
  row('start-up', 'bundle size (dist/*.js, every dependency inside)', round(bundleBytes / 1e6, 1), 'MB', '', '', undefined);
  const exe = join(root, 'dist/swarmdeck-linux-x64');
  if (existsSync(exe)) {
    const runs = [];
    for (let i = 0; i < 11; i++) runs.push(time(exe, ['--once', '--view', 'services'], { DOCKER_HOST: sim.host }));
    row(
      'start-up',
      'single executable: first frame with data (--once, tutorial)',
      round(median(runs)),
      'ms',
      `the bundle on node: ${round(median(once))} ms`,
      '',
      undefined,
    );
    row('start-up', 'single executable: size', round(statSync(exe).size / 1e6), 'MB', 'the node binary it is made from, plus the bundle', '', undefined);
  }

  // ---- terminal bytes when one replica count changes -----------------------------------------
  const docker = new Docker({ socketPath: sim.socket });
  const result = await harness(sim.host, 'bytes', 0, async () => {
    const s = await docker.getService('redis').inspect();
    await docker.getService('redis').update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 2 } } });
  });
  const change = result.changeWrites[0];
  const lineBytes = result.lineBytes;
  row(
    'terminal',
    'bytes written when one replica count changes',
    change.bytes,
    'bytes',
    `a full frame: ${result.fullFrameBytes} bytes; one line: ${lineBytes} bytes`,
    '<= 2x its line',
    change.bytes <= 2 * lineBytes,
  );
  results.bytesChange = { writes: result.changeWrites.map((w) => JSON.stringify(w.data)) };
  sim.stop();
}

// ---- logs: a filter on while following the flood; bytes asked of the manager for --since 10m ----
if (wanted('logs')) {
  const sim = await startSim('tutorial', ['--scenario', 'tutorial']);
  const docker = new Docker({ socketPath: sim.socket });
  await docker.createService({ Name: 'noisy', TaskTemplate: { ContainerSpec: { Image: 'swarmdeck/log-flood:1' } }, Mode: { Replicated: { Replicas: 1 } } });
  await sleep(2000);
  const seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 30);
  const flood = await harness(sim.host, 'flood-filter', seconds);
  const growth = flood.heap.at(-1) - flood.heap[0];
  row(
    'logs',
    'key to frame with a regex filter on, following 10,000 lines/s (p95)',
    round(flood.keys.p95, 1),
    'ms',
    `p50 ${round(flood.keys.p50, 1)} ms; ${flood.keys.n} presses of t over ${seconds} s`,
    '<= 66 ms (two frames)',
    flood.keys.p95 <= 66,
  );
  row(
    'logs',
    'memory held with the filter on: growth of the heap after GC, 5 s to the end',
    growth,
    'MB',
    `heap after GC every 5 s: ${flood.heap.join(', ')} MB`,
    'flat (<= 10 MB)',
    growth <= 10,
  );
  await docker.getService('noisy').remove();
  // The counter's three tasks have written a line a second for hours: --since 10m is a sliver of it.
  const proxy = await countingProxy(sim.socket);
  // Not spawnSync: the proxy runs in this process and must forward while the console reads.
  const once = (extra) =>
    new Promise((resolve, reject) => {
      proxy.reset();
      const child = spawn(process.execPath, [cli, '--once', '--view', 'logs', '--service', 'counter', ...extra], {
        env: { ...process.env, DOCKER_HOST: proxy.host },
        stdio: 'ignore',
      });
      child.on('exit', (code) => (code === 0 ? resolve(proxy.counts.bytes) : reject(new Error(`--once ${extra.join(' ')} exited ${code}`))));
    });
  const all = await once(['--tail', 'all']);
  const recent = await once(['--since', '10m']);
  row(
    'logs',
    'bytes from the manager for --once --view logs --since 10m',
    recent,
    'B',
    `the whole history (--tail all): ${all} B`,
    '< 1/5 of the whole',
    recent * 5 < all,
  );
  proxy.close();
  sim.stop();
}

// ---- log flood: a service writing 10,000 lines/s -------------------------------------------------
if (wanted('flood')) {
  const sim = await startSim('tutorial', ['--scenario', 'tutorial']);
  const docker = new Docker({ socketPath: sim.socket });
  await docker.createService({ Name: 'noisy', TaskTemplate: { ContainerSpec: { Image: 'swarmdeck/log-flood:1' } }, Mode: { Replicated: { Replicas: 1 } } });
  await sleep(2000);
  const seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 60);
  const flood = await harness(sim.host, 'flood', seconds);
  const growth = flood.heap.at(-1) - flood.heap[0];
  row('flood', 'key to frame while following 10,000 lines/s (p50)', round(flood.keys.p50, 1), 'ms', `${flood.keys.n} presses of t over ${seconds} s`, '', true);
  row('flood', 'key to frame while following 10,000 lines/s (p95)', round(flood.keys.p95, 1), 'ms', '', '<= 66 ms (two frames)', flood.keys.p95 <= 66);
  row(
    'flood',
    'memory held during the flood: growth of the heap after GC, 5 s to the end',
    growth,
    'MB',
    `heap after GC every 5 s: ${flood.heap.join(', ')} MB; RSS: ${flood.rss.join(', ')} MB; ${flood.dropped} lines dropped, ${flood.lines} kept`,
    'flat (<= 10 MB)',
    growth <= 10,
  );
  sim.stop();
}

/** Paths with how many times each was asked for: "/info x30, /services x1". */
const summarize = (paths) =>
  Object.entries(paths.reduce((n, p) => ({ ...n, [p]: (n[p] ?? 0) + 1 }), {}))
    .map(([p, k]) => `${p} x${k}`)
    .join(', ');

// ---- 2. simulator: schedule and converge 50,000 tasks -----------------------------------------
if (wanted('simulator')) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    buildScenario({ scenario: 'large', now: Date.now(), nodes: 1000, services: 500, replicas: 100 });
    runs.push(performance.now() - t0);
  }
  row('simulator', 'schedule and converge 50,000 tasks on 1,000 nodes', round(median(runs) / 1000, 2), 's', '', '<= 5 s', median(runs) <= 5000);
  await simulatorLoad({ startSim, row, round });
}

// ---- 2b. stack deploy of a 100-service file --------------------------------------------------
if (wanted('deploy')) await deployRows({ startSim, row, round, cli, dir });

// ---- 3. at scale: 1,000 nodes, 500 services, 50,000 tasks ---------------------------------------
if (wanted('scale')) {
  const sim = await startSim('large', ['--scenario', 'large']);
  const first = [];
  for (let i = 0; i < 5; i++) first.push(time(process.execPath, [cli, '--once', '--view', 'services'], { DOCKER_HOST: sim.host }));
  row(
    'scale',
    'first frame with data at 50,000 tasks (--once services, CPU and MEM sampled)',
    round(median(first)),
    'ms',
    '',
    '<= 2000 ms',
    median(first) <= 2000,
  );
  const bare = [];
  for (let i = 0; i < 5; i++) bare.push(time(process.execPath, [cli, '--once', '--view', 'services', '--no-stats'], { DOCKER_HOST: sim.host }));
  row('scale', 'first frame with data at 50,000 tasks (--once services --no-stats)', round(median(bare)), 'ms', '', '<= 2000 ms', median(bare) <= 2000);
  const nodesFirst = [];
  for (let i = 0; i < 5; i++) nodesFirst.push(time(process.execPath, [cli, '--once', '--view', 'nodes'], { DOCKER_HOST: sim.host }));
  row('scale', 'first frame at 50,000 tasks (--once nodes, with task counts)', round(median(nodesFirst)), 'ms', '', '<= 2000 ms', median(nodesFirst) <= 2000);

  const keys = await harness(sim.host, 'keys');
  row('scale', 'live console: first frame at 50,000 tasks', round(keys.firstFrameMs), 'ms', '', '<= 2000 ms', keys.firstFrameMs <= 2000);
  row('scale', 'key to frame, scrolling 1,000 nodes (p50)', round(keys.scroll.p50, 1), 'ms', '', '', true);
  row('scale', 'key to frame, scrolling 1,000 nodes (p95)', round(keys.scroll.p95, 1), 'ms', '', '<= 33 ms', keys.scroll.p95 <= 33);
  row('scale', 'key to frame, switching views (p50)', round(keys.views.p50, 1), 'ms', '', '', true);
  row('scale', 'key to frame, switching views (p95)', round(keys.views.p95, 1), 'ms', '', '<= 33 ms', keys.views.p95 <= 33);
  row('scale', 'console peak RSS', keys.maxRssMb, 'MB', '', '<= 200 MB', keys.maxRssMb <= 200);

  // ---- 4. manager traffic: the console against naive full polling, same simulator -----------
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 90);
  const proxy = await countingProxy(sim.socket);
  const naive = await countingProxy(sim.socket);
  const perMinute = (n, seconds) => Math.round((n * 60) / seconds);
  const [idleRun] = await Promise.all([harness(proxy.host, 'idle', idleSeconds), naivePoller(naive.host, 20)]);
  const idle = { requests: perMinute(proxy.counts.requests, idleSeconds), bytes: perMinute(proxy.counts.bytes, idleSeconds), cpuPercent: idleRun.cpuPercent };
  const naiveRate = { requests: perMinute(naive.counts.requests, 20), bytes: perMinute(naive.counts.bytes, 20) };
  const idleShare = idle.bytes / naiveRate.bytes;
  row(
    'traffic',
    'idle: bytes from the manager per minute',
    idle.bytes,
    'bytes/min',
    `naive polling: ${naiveRate.bytes} bytes/min`,
    '<= 1% of naive',
    idleShare <= 0.01,
  );
  row('traffic', 'idle: requests per minute (incl. connect)', idle.requests, 'req/min', `naive polling: ${naiveRate.requests} req/min`, '', true);
  row('traffic', 'idle: share of naive polling', round(idleShare * 100, 3), '%', '', '<= 1%', idleShare <= 0.01);
  // After the first load (which ends with the event subscription): what else is asked for.
  const subscribed = proxy.sent.findIndex((r) => /\/events\b/.test(r.path));
  const after = proxy.sent.slice(subscribed + 1).map((r) => r.path.replace(/^\/v[\d.]+/, '').replace(/\?.*/, ''));
  row(
    'traffic',
    'idle, after the first load: requests besides the event stream',
    perMinute(after.length, idleSeconds - proxy.sent[subscribed].at / 1000),
    'req/min',
    after.length ? `sent: ${summarize(after)}` : 'none',
    "the event stream; a minute: one services listing and the on-screen services' histories; the leader probe (/info, the managers) every 3 s; once, where the nodes' engines answer (the simulator's /swarmdeck/engines, a 404 on dockerd)",
    after.every((p) => ['/services', '/info', '/nodes', '/tasks', '/swarmdeck/engines'].includes(p)) &&
      after.filter((p) => p === '/swarmdeck/engines').length <= 1 &&
      after.filter((p) => p === '/services').length <= Math.ceil(idleSeconds / 60) &&
      after.filter((p) => p === '/info').length <= Math.ceil(idleSeconds / 3) + 1 &&
      after.filter((p) => p === '/tasks').length <= 40 * Math.ceil(idleSeconds / 60),
  );

  // ---- 4b. CPU and MEM from the nodes' engines: what the figures cost at 1,000 nodes ----------
  // The idle run above had the services view open: its replicas' containers were sampled meanwhile.
  const everyContainer = perMinute(50_000 * (60 / 3), 60);
  const servicesStats = { requests: perMinute(idleRun.stats.requests, idleSeconds), bytes: perMinute(idleRun.stats.bytes, idleSeconds) };
  row(
    'stats',
    "services view at 1,000 nodes: requests to the nodes' engines per minute",
    servicesStats.requests,
    'req/min',
    `${servicesStats.bytes} bytes/min; every container every 3 s: ${everyContainer} req/min`,
    '<= 400 a sweep (8,000/min)',
    servicesStats.requests <= 8000,
  );
  row('stats', 'services view at 1,000 nodes: console CPU while sampling', idle.cpuPercent, '% of a core', '', '', true);
  proxy.reset();
  const top = await harness(proxy.host, 'top', 60);
  const topStats = { requests: perMinute(top.stats.requests, 60), bytes: perMinute(top.stats.bytes, 60) };
  row(
    'stats',
    ":top at 1,000 nodes / 50,000 tasks: requests to the nodes' engines per minute",
    topStats.requests,
    'req/min',
    `${topStats.bytes} bytes/min; every container every 3 s: ${everyContainer} req/min`,
    '<= 400 a sweep (8,000/min)',
    topStats.requests <= 8000,
  );
  row('stats', ':top at 1,000 nodes: console CPU while sampling', top.cpuPercent, '% of a core', `${top.sampled} figures after 60 s`, '', true);

  proxy.reset();
  const docker = new Docker({ socketPath: sim.socket });
  const scaling = harness(proxy.host, 'idle', 30);
  await sleep(3000);
  const s = await docker.getService('stack001_svc0001').inspect();
  await docker.getService(s.ID).update({ ...s.Spec, version: s.Version.Index, Mode: { Replicated: { Replicas: 200 } } });
  await scaling;
  const busy = { requests: perMinute(proxy.counts.requests, 30), bytes: perMinute(proxy.counts.bytes, 30) };
  row(
    'traffic',
    'while one service scales: bytes per minute',
    busy.bytes,
    'bytes/min',
    `naive polling: ${naiveRate.bytes} bytes/min`,
    '<= 1% of naive',
    busy.bytes / naiveRate.bytes <= 0.01,
  );
  row('traffic', 'while one service scales: requests per minute', busy.requests, 'req/min', `naive polling: ${naiveRate.requests} req/min`, '', true);
  proxy.close();
  naive.close();

  // ---- 5. the docker CLI against the simulator at scale ---------------------------------------
  const hasDocker = spawnSync('docker', ['--version']).status === 0;
  if (hasDocker) {
    for (const args of [
      ['service', 'ls'],
      ['node', 'ls'],
      ['service', 'ps', 'stack001_svc0002'],
    ]) {
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(time('docker', args, { DOCKER_HOST: sim.host }));
      row('docker CLI', `docker ${args.join(' ')} (simulator, 50,000 tasks)`, round(median(runs)), 'ms', '', '', true);
    }
  }
  sim.stop();
}

// ---- 6. the docker CLI: simulator against a real dockerd with the same services ---------------
if (wanted('real')) {
  const real = process.env.SWARMDECK_TEST_DOCKER_HOST;
  const hasDocker = spawnSync('docker', ['--version']).status === 0;
  if (real && hasDocker) {
    const sim = await startSim('same', ['--scenario', 'empty']);
    const names = [];
    for (const [host, label] of [
      [sim.host, 'simulator'],
      [real, 'real dockerd'],
    ]) {
      const docker = new Docker({ socketPath: host.replace('unix://', '') });
      for (let i = 0; i < 6; i++) {
        const name = `bench-${process.pid}-${i}`;
        names.push(name);
        await docker.createService({
          Name: name,
          TaskTemplate: { ContainerSpec: { Image: process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1', Args: ['sleep', '100000'], StopSignal: 'SIGKILL' } },
          Mode: { Replicated: { Replicas: 2 } },
          EndpointSpec: { Mode: 'dnsrr' },
        });
      }
      await sleep(label === 'simulator' ? 2000 : 8000);
      for (const args of [
        ['service', 'ls'],
        ['node', 'ls'],
        ['service', 'ps', `bench-${process.pid}-0`],
      ]) {
        const runs = [];
        for (let i = 0; i < 5; i++) runs.push(time('docker', args, { DOCKER_HOST: host }));
        row('docker CLI', `docker ${args.join(' ')} (${label}, 6 services x 2)`, round(median(runs)), 'ms', '', '', true);
      }
      for (let i = 0; i < 6; i++)
        await docker
          .getService(`bench-${process.pid}-${i}`)
          .remove()
          .catch(() => {});
    }
    sim.stop();
  } else {
    log('SKIP: set SWARMDECK_TEST_DOCKER_HOST for the docker CLI figures against a real dockerd');
  }
}

// ---- 7. node engines: stats, sampling a node, exec's first prompt byte --------------------------
if (wanted('engines')) await engineRows({ startSim, row, round, log });

results.rows = rows;
const md = [
  `# swarmdeck benchmark`,
  '',
  `${results.date}, Node ${results.node}, ${results.cpus} cores. Each figure is measured in the same run as its baseline. Reproduce with \`npm run bench\` (add SWARMDECK_TEST_DOCKER_HOST for the real-dockerd rows).`,
  '',
  '| group | measure | value | baseline | target | |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.group} | ${r.what} | ${r.value} ${r.unit} | ${r.baseline} | ${r.target} | ${r.target ? (r.ok ? 'met' : '**missed**') : ''} |`),
  '',
].join('\n');
writeFileSync(join(root, 'bench/results.md'), md);
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
rmSync(dir, { recursive: true, force: true });
console.log(md);
process.exit(0);
