import { ApiError } from '../../errors.js';
import { usageAt, type Usage } from '../../model/runtime.js';
import type { Swarm, TaskRecord } from '../../model/swarm.js';
import { isTerminal } from '../../model/types.js';
import { BASE_HEADERS, bool, type Context, STREAMED } from '../http.js';
import { containerName, findContainer } from './containers.js';
import { STREAM_BACKLOG } from './events.js';

/** GET /containers/{id}/stats and /top: what a task's container uses, from the runtime model, in dockerd's (20.10, cgroup v1) JSON. */

/** dockerd's zero time, for a preread that has no sample before it. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** How often dockerd's stats collector samples, ms. */
export const STATS_INTERVAL = 1000;

/** The error dockerd gives for a container that is not running (top, exec). */
export const notRunning = (id: string) => new ApiError(409, `Container ${id} is not running`);

/** Host CPU time (all CPUs) at `at`, ns: what /proc/stat sums to, as if the host booted when the swarm was made. */
function systemCpu(swarm: Swarm, cpus: number, at: number): number {
  return Math.round(((at - swarm.createdAt + 3_600_000) / 1000) * cpus * 1e9);
}

/** The per-CPU split of a container's CPU time (dockerd lists one entry per online CPU). */
function perCpu(total: number, cpus: number): number[] {
  const out: number[] = [];
  let left = total;
  for (let i = 0; i < cpus; i++) {
    const share = i === cpus - 1 ? left : Math.floor(total / cpus);
    out.push(share);
    left -= share;
  }
  return out;
}

function cpuStats(swarm: Swarm, usage: Usage, cpus: number, at: number) {
  const total = usage.cpuNanos;
  const kernel = Math.floor(total / 3 / 1e7) * 1e7;
  return {
    cpu_usage: {
      total_usage: total,
      percpu_usage: perCpu(total, cpus),
      usage_in_kernelmode: kernel,
      usage_in_usermode: Math.floor((total - kernel) / 1e7) * 1e7,
    },
    system_cpu_usage: systemCpu(swarm, cpus, at),
    online_cpus: cpus,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** What one-shot stats (and a stream's first frame) send as the previous sample: zeroes, as dockerd does. */
const EMPTY_PRECPU = {
  cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
};

/** One stats sample of a task's container at `at`, with the previous one at `before` (none: zeroed, as a one-shot). */
export function statsJson(ctx: Context, task: TaskRecord, at: number, before?: number) {
  const swarm = ctx.engine.swarm!;
  const node = swarm.nodes.get(task.nodeId ?? '');
  const cpus = Math.max(1, Math.round((node?.nanoCpus ?? 2e9) / 1e9));
  const running = !isTerminal(task.state);
  const usage = usageAt(swarm, task, at);
  const memory = usage.memoryBytes;
  const pages = Math.floor(memory / 4096);
  const rss = pages * 4096;
  const net = Math.floor(usage.cpuNanos / 1e5);
  return {
    read: running ? new Date(at).toISOString() : ZERO_TIME,
    preread: before !== undefined && running ? new Date(before).toISOString() : ZERO_TIME,
    pids_stats: running ? { current: usage.pids } : {},
    blkio_stats: {
      io_service_bytes_recursive: running ? [] : null,
      io_serviced_recursive: running ? [] : null,
      io_queue_recursive: running ? [] : null,
      io_service_time_recursive: running ? [] : null,
      io_wait_time_recursive: running ? [] : null,
      io_merged_recursive: running ? [] : null,
      io_time_recursive: running ? [] : null,
      sectors_recursive: running ? [] : null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: running ? cpuStats(swarm, usage, cpus, at) : EMPTY_PRECPU,
    precpu_stats: running && before !== undefined ? cpuStats(swarm, usageAt(swarm, task, before), cpus, before) : EMPTY_PRECPU,
    memory_stats: running
      ? {
          usage: memory,
          max_usage: usage.memoryMax,
          stats: {
            active_anon: rss,
            active_file: 0,
            cache: 0,
            dirty: 0,
            hierarchical_memory_limit: usage.memoryLimit,
            hierarchical_memsw_limit: usage.memoryLimit * 2,
            inactive_anon: 0,
            inactive_file: 0,
            mapped_file: 0,
            pgfault: pages * 2,
            pgmajfault: 0,
            pgpgin: pages,
            pgpgout: 0,
            rss,
            rss_huge: 0,
            total_active_anon: rss,
            total_active_file: 0,
            total_cache: 0,
            total_dirty: 0,
            total_inactive_anon: 0,
            total_inactive_file: 0,
            total_mapped_file: 0,
            total_pgfault: pages * 2,
            total_pgmajfault: 0,
            total_pgpgin: pages,
            total_pgpgout: 0,
            total_rss: rss,
            total_rss_huge: 0,
            total_unevictable: 0,
            total_writeback: 0,
            unevictable: 0,
            writeback: 0,
          },
          limit: usage.memoryLimit,
        }
      : {},
    name: containerName(ctx, task),
    id: task.containerId!,
    ...(running
      ? {
          networks: {
            eth0: {
              rx_bytes: net * 3,
              rx_packets: Math.floor(net / 500),
              rx_errors: 0,
              rx_dropped: 0,
              tx_bytes: net,
              tx_packets: Math.floor(net / 700),
              tx_errors: 0,
              tx_dropped: 0,
            },
          },
        }
      : {}),
  };
}

/** GET /containers/{id}/stats: one sample (stream=false; one-shot=true without the previous sample) or one a second until the client goes. */
export function stats(ctx: Context) {
  const task = findContainer(ctx, ctx.params[0]);
  const swarm = ctx.engine.swarm!;
  const stream = ctx.query.get('stream') === null || bool(ctx.query, 'stream');
  const { res } = ctx;
  if (!stream) {
    // dockerd waits for a second sample; the model knows the last second already, so it answers at once.
    const oneShot = bool(ctx.query, 'one-shot');
    return statsJson(ctx, task, swarm.now, oneShot ? undefined : swarm.now - STATS_INTERVAL);
  }
  // dockerd sends no Content-Type on the stream.
  res.writeHead(200, BASE_HEADERS);
  let last: number | undefined;
  const write = () => {
    // A client that does not read loses samples, never memory: past the backlog nothing is queued.
    if (res.destroyed || res.writableLength > STREAM_BACKLOG) return;
    const at = swarm.now;
    res.write(`${JSON.stringify(statsJson(ctx, task, at, last))}\n`);
    last = at;
  };
  write();
  const untick = ctx.onTick(() => {
    if (last === undefined || swarm.now - last >= STATS_INTERVAL) write();
  });
  res.on('close', untick);
  return STREAMED;
}

/** GET /containers/{id}/top[?ps_args=]: its processes as ps prints them (the default columns, or `aux`'s). */
export function top(ctx: Context) {
  const task = findContainer(ctx, ctx.params[0]);
  if (isTerminal(task.state)) throw notRunning(task.containerId!);
  const swarm = ctx.engine.swarm!;
  const spec = task.spec.ContainerSpec ?? {};
  const command = [...(spec.Command ?? []), ...(spec.Args ?? [])].join(' ') || 'sleep infinity';
  const started = new Date(task.startedAt ?? task.createdAt).toISOString().slice(11, 16);
  const pid = String(task.pid ?? 1000);
  const ppid = String(Math.max(1, (task.pid ?? 1000) - 25));
  const usage = usageAt(swarm, task);
  const seconds = Math.floor(usage.cpuNanos / 1e9);
  const clock = (s: number) =>
    `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const args = ctx.query.get('ps_args') ?? '';
  if (/^-?aux$/.test(args.trim())) {
    const node = swarm.nodes.get(task.nodeId ?? '');
    const mem = node ? ((usage.memoryBytes / node.memoryBytes) * 100).toFixed(1) : '0.0';
    const up = Math.max(1, (swarm.now - (task.startedAt ?? swarm.now)) / 1000);
    const cpu = ((usage.cpuNanos / 1e9 / up) * 100).toFixed(1);
    return {
      Processes: [
        [
          'root',
          pid,
          cpu,
          mem,
          String(Math.round(usage.memoryBytes / 1024) + 1024),
          String(Math.round(usage.memoryBytes / 1024)),
          '?',
          'Ss',
          started,
          `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
          command,
        ],
      ],
      Titles: ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND'],
    };
  }
  if (args.trim() !== '' && args.trim() !== '-ef') throw new ApiError(500, `ps: ${args}: unsupported options in this simulated engine (use aux or none)`);
  return {
    Processes: [['root', pid, ppid, '0', started, '?', clock(seconds), command]],
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
  };
}
