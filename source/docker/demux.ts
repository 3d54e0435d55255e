/** One log line as the console shows it. */
export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** ms since the epoch, from the daemon's timestamp. */
  time?: number;
  taskId?: string;
  nodeId?: string;
  serviceId?: string;
  text: string;
}

/** Lines longer than this are cut (with a marker) so one runaway line cannot eat the buffer. */
export const MAX_LINE = 64 * 1024;

/**
 * Splits Docker's log stream into lines: multiplexed frames (8-byte headers) or, for TTY services,
 * raw text. Feed it chunks as they arrive; it keeps a partial frame between chunks.
 */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private partial = '';

  constructor(
    private readonly tty: boolean,
    private readonly withDetails: boolean,
    private readonly withTimestamps: boolean,
  ) {}

  /** Parses a chunk; returns the complete lines in it. */
  push(chunk: Buffer): LogEntry[] {
    if (this.tty) return this.raw(chunk);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: LogEntry[] = [];
    let at = 0;
    while (this.pending.length - at >= 8) {
      const stream = this.pending[at];
      const length = this.pending.readUInt32BE(at + 4);
      if (this.pending.length - at - 8 < length) break;
      const payload = this.pending.subarray(at + 8, at + 8 + length).toString('utf8');
      at += 8 + length;
      for (const line of payload.split('\n')) {
        if (line === '' ) continue;
        out.push(this.parse(line, stream === 2 ? 'stderr' : 'stdout'));
      }
    }
    this.pending = this.pending.subarray(at);
    return out;
  }

  private raw(chunk: Buffer): LogEntry[] {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter((l) => l !== '').map((l) => this.parse(l.replace(/\r$/, ''), 'stdout'));
  }

  private parse(line: string, stream: LogEntry['stream']): LogEntry {
    const entry: LogEntry = { stream, text: line };
    let rest = line;
    if (this.withTimestamps) {
      const space = rest.indexOf(' ');
      const time = Date.parse(rest.slice(0, space));
      if (space > 0 && !Number.isNaN(time)) {
        entry.time = time;
        rest = rest.slice(space + 1);
      }
    }
    if (this.withDetails) {
      const space = rest.indexOf(' ');
      const details = space >= 0 ? rest.slice(0, space) : rest;
      if (details.includes('com.docker.swarm')) {
        for (const pair of details.split(',')) {
          const [key, value] = pair.split('=').map((p) => decodeURIComponent(p ?? ''));
          if (key === 'com.docker.swarm.task.id') entry.taskId = value;
          if (key === 'com.docker.swarm.node.id') entry.nodeId = value;
          if (key === 'com.docker.swarm.service.id') entry.serviceId = value;
        }
        rest = space >= 0 ? rest.slice(space + 1) : '';
      }
    }
    entry.text = rest.length > MAX_LINE ? `${rest.slice(0, MAX_LINE)} [line cut at 64 KB]` : rest;
    return entry;
  }
}
