// The simulator under load (issue 13): how fast it answers /_ping while 100 clients list, scale and
// follow logs on the large scenario; its memory with 100 followers that never read; and how soon it
// answers after a 10,000,000-replica request.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One request on the unix socket; resolves with status and body text. */
function call(socketPath, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** A follow stream; `read` false leaves it unread (paused) for ever. */
function follow(socketPath, path, read) {
  const req = request({ socketPath, path }, (res) => {
    if (read) res.resume();
    else res.pause();
  });
  req.on('error', () => {});
  req.end();
  return () => req.destroy();
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const p95 = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length * 0.95)];

/** Ping latencies (ms) sampled every 50 ms for `ms`. */
async function pings(socketPath, ms) {
  const out = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const t0 = performance.now();
    await call(socketPath, 'GET', '/_ping');
    out.push(performance.now() - t0);
    await sleep(50);
  }
  return out;
}

/** Runs the simulator load rows. */
export async function simulatorLoad({ startSim, row, round }) {
  const sim = await startSim('load', ['--scenario', 'large']);
  const services = JSON.parse((await call(sim.socket, 'GET', '/services')).text).slice(0, 20);
  const idle = await pings(sim.socket, 3000);

  let running = true;
  const loops = [];
  const stops = [];
  for (let i = 0; i < 100; i++) {
    const service = services[i % services.length];
    if (i % 3 === 0) stops.push(follow(sim.socket, `/services/${service.ID}/logs?stdout=1&stderr=1&follow=1&tail=10`, true));
    else if (i % 3 === 1)
      loops.push(
        (async () => {
          // Each lister asks once a second, as a console or a dashboard polls: 33 of them.
          while (running) {
            await call(sim.socket, 'GET', '/services?status=1');
            await sleep(1000);
          }
        })(),
      );
    else
      loops.push(
        (async () => {
          for (let n = 0; running; n++) {
            const current = JSON.parse((await call(sim.socket, 'GET', `/services/${service.ID}`)).text);
            const spec = { ...current.Spec, Mode: { Replicated: { Replicas: 100 + (n % 2) } } };
            await call(sim.socket, 'POST', `/services/${service.ID}/update?version=${current.Version.Index}`, spec);
            // A scale every 2 s each: 16 writes a second. Each one re-counts 50,000 tasks to place one
            // (about 18 ms here), so sustained writes much past 50 a second saturate the simulator.
            await sleep(2000);
          }
        })(),
      );
  }
  const busy = await pings(sim.socket, 10_000);
  running = false;
  await Promise.all(loops);
  for (const stop of stops) stop();
  row('simulator', '/_ping p95, idle (large scenario)', round(p95(idle), 1), 'ms', '', '', true);
  row(
    'simulator',
    '/_ping p95 while 100 clients list (1/s each), scale (1 per 2 s each) and follow logs (large)',
    round(p95(busy), 1),
    'ms',
    `idle ${round(p95(idle), 1)} ms`,
    '<= 250 ms',
    p95(busy) <= 250,
  );

  await sleep(1000);
  const before = rssMb(sim.pid);
  const readers = [];
  for (let i = 0; i < 100; i++)
    readers.push(follow(sim.socket, `/services/${services[i % services.length].ID}/logs?stdout=1&stderr=1&follow=1&tail=all`, false));
  await sleep(60_000);
  const after = rssMb(sim.pid);
  for (const stop of readers) stop();
  row(
    'simulator',
    'memory with 100 log followers that never read, after 60 s',
    round(after),
    'MB',
    `${round(before)} MB before`,
    '<= +100 MB',
    after - before <= 100,
  );

  const t0 = performance.now();
  const huge = call(sim.socket, 'POST', '/services/create', {
    Name: 'huge',
    TaskTemplate: { ContainerSpec: { Image: 'nginx' } },
    Mode: { Replicated: { Replicas: 10_000_000 } },
  });
  await call(sim.socket, 'GET', '/_ping');
  const pingMs = performance.now() - t0;
  const answer = await huge;
  row(
    'simulator',
    '/_ping answered after a 10,000,000-replica request',
    round(pingMs, 1),
    'ms',
    `the request: ${answer.status} (refused past the limit)`,
    '<= 100 ms',
    pingMs <= 100,
  );
  sim.stop();
}
