import { StringDecoder } from 'node:string_decoder';

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

/** What a cut line ends with. */
export const CUT_MARKER = ' [line cut at 64 KB]';

/** The longest frame taken: dockerd writes log frames of at most 16 KB (plus time and details). */
export const MAX_FRAME = 1024 * 1024;

/** What the stream ends with when a frame header claims more than MAX_FRAME (not a log stream, or a broken one). */
export const BAD_FRAME_MARKER = '[swarmdeck: the engine sent a log frame of an impossible length; the rest of this stream is dropped]';

/**
 * Splits Docker's log stream into lines: multiplexed frames (8-byte headers) or, for TTY services,
 * raw text. Feed it chunks as they arrive; it keeps a partial frame between chunks.
 *
 * The engine writes a line longer than 16 KB as several frames, each with its own timestamp and
 * details, and only the last ends in a newline: those are joined back into one line (cut at 64 KB).
 * Bytes that are not UTF-8 become U+FFFD; a character split across chunks of a TTY stream is kept whole.
 */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** A line still being written, per stream (frames without a newline yet). */
  private open: Partial<Record<LogEntry['stream'], LogEntry>> = {};
  /** Set once a frame header was impossible: nothing after it can be framed, so it is dropped, not buffered. */
  private broken = false;

  constructor(
    private readonly tty: boolean,
    private readonly withDetails: boolean,
    private readonly withTimestamps: boolean,
  ) {}

  /** Parses a chunk; returns the complete lines in it. */
  push(chunk: Buffer): LogEntry[] {
    if (this.tty) return this.raw(chunk);
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: LogEntry[] = [];
    let at = 0;
    while (this.pending.length - at >= 8) {
      const stream = this.pending[at] === 2 ? 'stderr' : 'stdout';
      const length = this.pending.readUInt32BE(at + 4);
      if (length > MAX_FRAME || this.pending[at] > 2) {
        // A header no engine writes: waiting for 4 GB that never come would hold the buffer (and memory) forever.
        this.broken = true;
        this.pending = Buffer.alloc(0);
        out.push({ stream: 'stderr', text: BAD_FRAME_MARKER });
        return out;
      }
      if (this.pending.length - at - 8 < length) break;
      const payload = this.pending.subarray(at + 8, at + 8 + length).toString('utf8');
      at += 8 + length;
      const pieces = payload.split('\n');
      // After the last newline: the start (or middle) of a line continued in the next frame.
      const tail = pieces.pop()!;
      for (const piece of pieces) {
        const entry = this.join(stream, piece);
        if (entry && entry.text !== '') out.push(entry);
      }
      if (tail !== '') this.continueLine(stream, tail);
    }
    this.pending = this.pending.subarray(at);
    return out;
  }

  /** Ends the stream: a line left without its newline is returned too. */
  end(): LogEntry[] {
    const out: LogEntry[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const entry = this.open[stream];
      if (entry) out.push(entry);
      delete this.open[stream];
    }
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') out.push(this.parse(rest.replace(/\r$/, ''), 'stdout'));
    return out;
  }

  /** A complete piece: a line on its own, or the end of one begun in earlier frames. */
  private join(stream: LogEntry['stream'], piece: string): LogEntry | undefined {
    const begun = this.open[stream];
    if (!begun) return this.parse(piece, stream);
    delete this.open[stream];
    return this.extend(begun, this.parse(piece, stream).text);
  }

  private continueLine(stream: LogEntry['stream'], piece: string): void {
    const begun = this.open[stream];
    const text = this.parse(piece, stream);
    this.open[stream] = begun ? this.extend(begun, text.text) : text;
  }

  private extend(entry: LogEntry, more: string): LogEntry {
    if (entry.text.endsWith(CUT_MARKER)) return entry;
    return { ...entry, text: this.cut(entry.text + more) };
  }

  private cut(text: string): string {
    return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}${CUT_MARKER}` : text;
  }

  private raw(chunk: Buffer): LogEntry[] {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    // A runaway line without newlines is cut here too, rather than held whole.
    if (this.partial.length > MAX_LINE * 2) this.partial = this.partial.slice(0, MAX_LINE + 1);
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
    entry.text = this.cut(rest);
    return entry;
  }
}
