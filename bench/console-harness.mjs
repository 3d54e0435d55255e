// Runs the real console headless against DOCKER_HOST: Ink renders into FrameStdout and the
// ScreenWriter "draws" into a counter, exactly as on a terminal. Used by run.mjs for key latency,
// memory, manager traffic and terminal bytes. Prints one JSON line of results.
import { PassThrough } from 'node:stream';
// Colours as on a terminal. The harness's own stdout is a pipe, so chalk would drop every style,
// the selection's inverse with them: moving it would change nothing on screen, and a press would
// measure no frame at all.
process.env.FORCE_COLOR ??= '1';
// Bundled by scripts/bundle.mjs into build/console-harness.js, with the dependencies and fixes the
// shipped command line has (React's production build among them).
const { default: React } = await import('react');
const { render } = await import('ink');
const { parseHost } = await import('../source/docker/connection.js');
const { SwarmClient } = await import('../source/docker/client.js');
const { createStore } = await import('../source/store/store.js');
const { Sync } = await import('../source/store/sync.js');
const { App } = await import('../source/ui/app.js');
const { FrameStdout, ScreenWriter } = await import('../source/ui/screen-writer.js');
const { boundHeapGrowth } = await import('../source/heap.js');
// As the live console does (commands/console): the memory figures are the console's.
boundHeapGrowth();

const mode = process.argv[2] ?? 'keys';
const seconds = Number(process.argv[3] ?? 30);
const started = performance.now();
const host = process.env.DOCKER_HOST;
const endpoint = parseHost(host, process.env, undefined);
const client = new SwarmClient(endpoint);
const store = createStore(endpoint.label);
const sync = new Sync(client, store);

// A terminal of 120x40 that records when, and how much, the writer sends it.
const writes = [];
const terminal = Object.assign(new PassThrough(), { columns: 120, rows: 40, isTTY: true });
// Only the bytes mode reads what was written; the others keep when and how much, so that the
// harness's own record does not show up as the console's memory.
const writer = new ScreenWriter({
  write: (data) => writes.push({ at: performance.now(), bytes: Buffer.byteLength(data), data: mode === 'bytes' ? data : '' }),
});
let inkFrame = '';
/** Called with every frame Ink renders (the flood mode watches for a key's effect). */
let frameSeen;
const frames = new FrameStdout(terminal, (frame) => {
  inkFrame = frame;
  frameSeen?.(frame);
  writer.frame(frame);
});
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });

await client.checkManager();
await sync.start();
const instance = render(React.createElement(App, { store, sync, readOnly: false }), {
  stdout: frames,
  stdin,
  debug: true,
  exitOnCtrlC: false,
  patchConsole: false,
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (check, timeout = 20_000) => {
  const until = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > until) throw new Error('timed out');
    await sleep(2);
  }
};
const plain = () => store.getSnapshot();
await waitFor(() => plain().loaded.services && plain().loaded.nodes && writes.length > 0);
const firstFrameMs = writes[0].at - started;

/** Presses a key and returns ms until the terminal got the next write (undefined if none came). */
async function press(key) {
  const before = writes.length;
  const t0 = performance.now();
  stdin.write(key);
  try {
    await waitFor(() => writes.length > before, 2000);
  } catch {
    return undefined;
  }
  const ms = writes[before].at - t0;
  await sleep(40);
  return ms;
}
const pct = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const result = { mode, firstFrameMs };
if (mode === 'keys') {
  await press('1');
  await sleep(500);
  const scroll = [];
  for (let i = 0; i < 150; i++) {
    const ms = await press('j');
    if (ms !== undefined) scroll.push(ms);
  }
  const views = [];
  for (let i = 0; i < 20; i++) {
    const ms = await press(i % 2 ? '1' : '2');
    if (ms !== undefined) views.push(ms);
  }
  Object.assign(result, {
    scroll: { n: scroll.length, p50: pct(scroll, 50), p95: pct(scroll, 95) },
    views: { n: views.length, p50: pct(views, 50), p95: pct(views, 95) },
  });
} else if (mode === 'flood' || mode === 'flood-filter') {
  // The logs of a service writing 10,000 lines/s: how long until a key's effect is on screen
  // (t toggles timestamps), and whether memory stays flat while the flood goes on; with
  // flood-filter, a regex filter on (a seventh of the lines match) while it follows.
  for (const ch of `:logs noisy\r${mode === 'flood-filter' ? '/"level":"warn"|seq":\\d+0,\r' : ''}`) {
    stdin.write(ch);
    await sleep(5);
  }
  await waitFor(() => plain().logs.lines.length > 1000);
  const stamped = (frame) => /^\d{4}-\d\d-\d\dT\S+ noisy/m.test(frame.replace(/\u001b\[[0-9;]*m/g, ''));
  const keys = [];
  const rss = [];
  const heap = [];
  const end = performance.now() + seconds * 1000;
  let next = performance.now() + 5000;
  while (performance.now() < end) {
    const want = !stamped(inkFrame);
    const t0 = performance.now();
    const seen = new Promise((resolve) => {
      frameSeen = (frame) => {
        if (stamped(frame) === want) resolve(performance.now());
      };
    });
    stdin.write('t');
    const at = await Promise.race([seen, sleep(2000).then(() => undefined)]);
    frameSeen = undefined;
    if (at !== undefined) keys.push(at - t0);
    if (performance.now() >= next) {
      // After a full collection: what is still held, not what the collector has yet to reclaim.
      globalThis.gc?.();
      const memory = process.memoryUsage();
      rss.push(Math.round(memory.rss / 1048576));
      heap.push(Math.round(memory.heapUsed / 1048576));
      next += 5000;
    }
    await sleep(100);
  }
  const logs = plain().logs;
  Object.assign(result, { keys: { n: keys.length, p50: pct(keys, 50), p95: pct(keys, 95) }, rss, heap, lines: logs.lines.length, dropped: logs.dropped });
} else if (mode === 'idle' || mode === 'top') {
  // The console's own CPU over the window (sampling included): `top` opens :top first.
  if (mode === 'top') for (const ch of ':top\r') stdin.write(ch);
  const cpu0 = process.cpuUsage();
  const usage0 = sync.statsUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const usage = sync.statsUsage();
  // The nodes' engines' share: the simulator serves each on a socket of its own, beside the manager's.
  result.stats = { requests: usage.requests - usage0.requests, bytes: usage.bytes - usage0.bytes };
  result.cpuPercent = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 1000) / 10;
  result.sampled = plain().stats.figures.size;
} else if (mode === 'bytes') {
  // The services view is showing; the bench changes one replica count and reads what was written.
  const before = writes.length;
  process.stdout.write('READY\n');
  await waitFor(() => writes.length > before, 30_000);
  await sleep(300);
  const full = writes[0];
  result.fullFrameBytes = full.bytes;
  // What redrawing the changed line would cost: the line as Ink renders it, colour codes included.
  result.lineBytes = Buffer.byteLength(inkFrame.split('\n').find((l) => l.includes('redis')) ?? '');
  result.changeWrites = writes.slice(before).map((w) => ({ bytes: w.bytes, data: w.data }));
  result.frameLines = writes[0].data.split('\u001b[').length;
}
result.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
instance.unmount();
sync.stop();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
