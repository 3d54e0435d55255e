import { hashString } from './random.js';
import type { TaskRecord } from './records.js';

/** One log line a task wrote. */
export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

interface Voice {
  /** Milliseconds between lines. */
  every: number;
  /** Lines written at start-up, before the periodic ones. */
  startup: (task: TaskRecord) => Omit<LogLine, 'time'>[];
  line: (task: TaskRecord, n: number, time: number) => Omit<LogLine, 'time'>;
}

const clientIp = (seed: number) => `10.0.0.${(seed % 200) + 2}`;
const pad = (n: number) => String(n).padStart(2, '0');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clf = (t: number) => {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const paths = ['/', '/', '/', '/health', '/static/style.css', '/api/items', '/favicon.ico', '/login'];
const codes = [200, 200, 200, 200, 200, 304, 200, 404];

/** Believable output per image: flask access logs, counter increments, redis start-up, a generic heartbeat. */
function voiceOf(image: string): Voice {
  if (/flask/.test(image)) {
    return {
      every: 2000,
      startup: () => [
        { stream: 'stderr', text: ' * Serving Flask app "app" (lazy loading)' },
        { stream: 'stderr', text: ' * Environment: production' },
        { stream: 'stderr', text: ' * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)' },
      ],
      line: (task, n, time) => {
        const h = hashString(`${task.id}:${n}`);
        return {
          stream: 'stderr',
          text: `${clientIp(h)} - - [${clf(time)}] "GET ${paths[h % paths.length]} HTTP/1.1" ${codes[(h >>> 3) % codes.length]} -`,
        };
      },
    };
  }
  if (/counter/.test(image)) {
    return {
      every: 1000,
      startup: () => [
        { stream: 'stdout', text: '== Sinatra (v2.0.1) has taken the stage on 4567 for production with backup from Puma' },
        { stream: 'stderr', text: 'Puma starting in single mode...' },
      ],
      line: (task, n) => {
        const h = hashString(`${task.id}:${n}`);
        if (h % 23 === 0) return { stream: 'stderr', text: `WARN redis: slow reply from redis:6379 (${(h % 90) + 10}ms)` };
        return { stream: 'stdout', text: `counter: ${n + 1} (GET / from ${clientIp(h)})` };
      },
    };
  }
  if (/redis/.test(image)) {
    return {
      every: 10000,
      startup: () => [
        { stream: 'stdout', text: '1:C oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo' },
        { stream: 'stdout', text: '1:C Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started' },
        { stream: 'stdout', text: '1:M Running mode=standalone, port=6379.' },
        { stream: 'stderr', text: '1:M WARNING Memory overcommit must be enabled!' },
        { stream: 'stdout', text: '1:M Server initialized' },
        { stream: 'stdout', text: '1:M Ready to accept connections tcp' },
      ],
      line: (task, n) => ({
        stream: 'stdout',
        text: n % 6 === 5 ? '1:M DB saved on disk' : `1:M ${(hashString(`${task.id}:${n}`) % 50) + 1} changes in 10 seconds. Saving...`,
      }),
    };
  }
  if (/flood/.test(image)) {
    // A service gone noisy: 10,000 lines a second, for testing that the console keeps up.
    return {
      every: 0.1,
      startup: () => [{ stream: 'stdout', text: 'flood: writing 10000 lines/s' }],
      line: (task, n) => {
        const h = hashString(`${task.id}:${n}`);
        return {
          stream: h % 7 === 0 ? 'stderr' : 'stdout',
          text: `{"level":"${h % 7 === 0 ? 'warn' : 'info'}","seq":${n},"msg":"request handled","latency_ms":${h % 250}}`,
        };
      },
    };
  }
  return {
    every: 5000,
    // A container that runs `echo WORDS` writes them first (SDK suites read them back from the service logs).
    startup: (task) => [{ stream: 'stdout', text: echoed(task) ?? 'starting' }],
    line: (_task, n) => (n % 10 === 9 ? { stream: 'stderr', text: `warning: slow tick ${n}` } : { stream: 'stdout', text: `tick ${n}` }),
  };
}

/** What `echo WORDS` as the container's command prints, if it is one. */
function echoed(task: TaskRecord): string | undefined {
  const argv = [...((task.spec.ContainerSpec?.Command as string[] | undefined) ?? []), ...(task.spec.ContainerSpec?.Args ?? [])];
  return argv[0] === 'echo' ? argv.slice(1).join(' ') : undefined;
}

/** The lines a task wrote in [from, to) (ms), oldest first: a pure function of the task and time. */
export function logLines(task: TaskRecord, from: number, to: number): LogLine[] {
  if (task.startedAt === undefined) return [];
  const voice = voiceOf(task.spec.ContainerSpec?.Image ?? '');
  // Each task gets its own phase, so replicas started together do not log in lockstep.
  const start = task.startedAt + (hashString(task.id) % voice.every);
  const end = Math.min(to, task.stoppedAt ?? Infinity);
  const out: LogLine[] = [];
  voice.startup(task).forEach((line, i) => {
    const time = task.startedAt! + i;
    if (time >= from && time < end) out.push({ ...line, time });
  });
  // Line n is written at start + (n + 1) * every: the first one at or after `from`.
  const first = Math.max(0, Math.ceil((from - start) / voice.every) - 1);
  for (let n = first; ; n++) {
    const time = start + (n + 1) * voice.every;
    if (time >= end) break;
    if (time >= from) out.push({ ...voice.line(task, n, time), time });
  }
  return out;
}

/** The last `count` lines a task wrote before `to`. */
export function lastLogLines(task: TaskRecord, count: number, to: number): LogLine[] {
  if (task.startedAt === undefined || count <= 0) return [];
  const voice = voiceOf(task.spec.ContainerSpec?.Image ?? '');
  const from = Math.max(task.startedAt, to - (count + 2) * voice.every);
  const lines = logLines(task, from, to);
  if (lines.length >= count || from === task.startedAt) return lines.slice(-count);
  return logLines(task, task.startedAt, to).slice(-count);
}
