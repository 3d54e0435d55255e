import { errors } from '../../errors.js';
import { lastLogLines, logLines, type LogLine } from '../../model/logs.js';
import type { TaskRecord } from '../../model/swarm.js';
import { frame, logDetails, logTimestamp } from '../framing.js';
import { BASE_HEADERS, bool, STREAMED, type Context } from '../http.js';
import { STREAM_BACKLOG } from './events.js';
import { parseTime } from './time.js';

/** GET /services/{id}/logs and /tasks/{id}/logs: framed (or raw for a TTY), tail per task, followed on the clock. */

/** The logs of a service or of one task. */
export function logs(ctx: Context, kind: 'service' | 'task') {
  const swarm = ctx.swarm;
  const service = kind === 'service' ? swarm.service(ctx.params[0]) : undefined;
  const single = kind === 'task' ? swarm.task(ctx.params[0]) : undefined;
  const stdout = bool(ctx.query, 'stdout');
  const stderr = bool(ctx.query, 'stderr');
  if (!stdout && !stderr) throw errors.noStream();
  const follow = bool(ctx.query, 'follow');
  const timestamps = bool(ctx.query, 'timestamps');
  const details = bool(ctx.query, 'details');
  const tailRaw = ctx.query.get('tail') ?? 'all';
  const tail = tailRaw === 'all' || tailRaw === '' ? Infinity : Number(tailRaw);
  if (!Number.isFinite(tail) && tailRaw !== 'all' && tailRaw !== '') throw errors.badParameter(`invalid value for tail: ${tailRaw}`);
  if (tail < 0) throw errors.badParameter(`invalid value for tail: ${tailRaw}`);
  const since = parseTime(ctx.query.get('since'), 'since', swarm.now) ?? 0;
  const until = parseTime(ctx.query.get('until'), 'until', swarm.now);
  const serviceId = service?.id ?? single!.serviceId;
  const tty = Boolean((service?.spec ?? swarm.services.get(serviceId)?.spec)?.TaskTemplate?.ContainerSpec?.TTY);
  const tasksNow = () => (single ? [single] : [...swarm.tasksOf(serviceId)]);
  const { res } = ctx;
  res.writeHead(200, BASE_HEADERS);
  res.flushHeaders();

  const encode = (task: TaskRecord, line: LogLine) => {
    let payload = '';
    if (timestamps) payload += `${logTimestamp(line.time)} `;
    if (details) payload += `${logDetails(task.nodeId ?? '', task.serviceId, task.id)} `;
    if (tty) return Buffer.from(`${payload}${line.text}\r\n`);
    return frame(line.stream === 'stdout' ? 1 : 2, `${payload}${line.text}\n`);
  };
  const wanted = (line: LogLine) => (line.stream === 'stdout' ? stdout : stderr);
  const emit = (batch: [TaskRecord, LogLine][]) => {
    batch.sort((a, b) => a[1].time - b[1].time);
    if (batch.length > 0) res.write(Buffer.concat(batch.map(([task, line]) => encode(task, line))));
  };

  const end = until !== undefined ? Math.min(until, swarm.now) : swarm.now;
  // Per task, the time from which its lines are still to be sent: the tail's first line, or `since`.
  const cursor = new Map<string, number>();
  const startOf = (task: TaskRecord, at: number) =>
    Math.max(since, Number.isFinite(tail) ? (lastLogLines(task, tail, at)[0]?.time ?? at) : (task.startedAt ?? at));
  for (const task of tasksNow()) if (task.startedAt !== undefined) cursor.set(task.id, startOf(task, end));

  // Lines go out in windows of simulated time, and only while the client reads what was sent
  // (back-pressure): they are made from the clock, so the cursors wait and nothing is lost or queued.
  const WINDOW = 5_000;
  let done = false;
  const pump = (target: number) => {
    for (;;) {
      if (res.writableLength > STREAM_BACKLOG || res.destroyed) return false;
      const batch: [TaskRecord, LogLine][] = [];
      let behind = false;
      for (const task of tasksNow()) {
        // A task that started after the request: all its lines (once it has started at all).
        if (!cursor.has(task.id) && task.startedAt === undefined) continue;
        const from = cursor.get(task.id) ?? Math.max(since, task.startedAt!);
        if (from >= target) continue;
        const to = Math.min(target, from + WINDOW);
        for (const line of logLines(task, from, to)) if (wanted(line)) batch.push([task, line]);
        cursor.set(task.id, to);
        if (to < target) behind = true;
      }
      emit(batch);
      if (!behind) return true;
    }
  };
  const follow_ = follow && !(until !== undefined && until <= swarm.now);
  const step = () => {
    if (done) return;
    const target = follow_ ? (until !== undefined ? Math.min(until, swarm.now) : swarm.now) : end;
    const caughtUp = pump(target);
    if (caughtUp && (!follow_ || (until !== undefined && swarm.now >= until))) stop();
  };
  const stop = () => {
    done = true;
    untick();
    if (!res.writableEnded) res.end();
  };
  const untick = follow_ ? ctx.onTick(step) : () => undefined;
  res.on('drain', step);
  // The response's close means the client went away (the request's close fires once its body is read).
  res.on('close', stop);
  step();
  return STREAMED;
}
