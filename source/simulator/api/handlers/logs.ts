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
  const cursor = new Map<string, number>();
  const first: [TaskRecord, LogLine][] = [];
  for (const task of tasksNow()) {
    // tail counts per task (per container), as the daemon does.
    const lines = (Number.isFinite(tail) ? lastLogLines(task, tail, end) : logLines(task, 0, end)).filter((l) => l.time >= since && wanted(l));
    for (const line of lines) first.push([task, line]);
    cursor.set(task.id, end);
  }
  emit(first);
  if (!follow || (until !== undefined && until <= swarm.now)) {
    res.end();
    return STREAMED;
  }
  const produce = () => {
    // Back-pressure: while the client leaves what was sent unread, nothing more is made; the lines are
    // derived from the clock, so the cursors simply wait and it catches up once the client reads.
    if (res.writableLength > STREAM_BACKLOG) return;
    const to = until !== undefined ? Math.min(until, swarm.now) : swarm.now;
    const batch: [TaskRecord, LogLine][] = [];
    for (const task of tasksNow()) {
      const from = cursor.get(task.id) ?? Math.max(since, task.startedAt ?? to);
      for (const line of logLines(task, from, to)) if (wanted(line)) batch.push([task, line]);
      cursor.set(task.id, to);
    }
    emit(batch);
    if (until !== undefined && swarm.now >= until) stop();
  };
  const untick = ctx.onTick(produce);
  res.on('drain', produce);
  const stop = () => {
    untick();
    if (!res.writableEnded) res.end();
  };
  // The response's close means the client went away (the request's close fires once its body is read).
  res.on('close', stop);
  return STREAMED;
}
