import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { ApiError, errors } from '../../errors.js';
import type { EngineRecord } from '../../model/fleet.js';
import { containerFiles, PROMPT, SHELL_COMMANDS, SimShell, type ShellWorld } from '../../model/shell.js';
import type { TaskRecord } from '../../model/swarm.js';
import { isTerminal } from '../../model/types.js';
import { frame } from '../framing.js';
import { BASE_HEADERS, EMPTY, Reply, STREAMED, type Context } from '../http.js';
import { findContainer, hostnameOf } from './containers.js';
import { STREAM_BACKLOG } from './events.js';
import { notRunning } from './stats.js';

/**
 * docker exec: POST /containers/{id}/exec makes an exec instance, POST /exec/{id}/start runs it on
 * the hijacked connection (raw with a TTY, multiplexed frames without), /resize sets its window and
 * /json says how it ended. What runs is the simulated shell (model/shell.ts).
 */

/** One exec instance, as dockerd keeps it until its container goes. */
interface ExecRecord {
  id: string;
  task: TaskRecord;
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  env: string[];
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  size?: { rows: number; cols: number };
  /** Settles when a started session runs (its output follows the 101 a moment later). */
  ready?: Promise<void>;
  /** Ends the session (its connection closed). */
  stop?: () => void;
}

/** The exec instances an engine keeps; the oldest finished ones go past this many, so a client that makes them forever costs a bounded amount. */
export const EXEC_LIMIT = 1000;

const execsOf = new WeakMap<EngineRecord, Map<string, ExecRecord>>();
function execs(engine: EngineRecord): Map<string, ExecRecord> {
  let map = execsOf.get(engine);
  if (!map) execsOf.set(engine, (map = new Map()));
  return map;
}

const noSuchExec = (id: string) => new ApiError(404, `No such exec instance: ${id}`);

function execOf(engine: EngineRecord, id: string): ExecRecord {
  const record = execs(engine).get(id);
  if (!record) throw noSuchExec(id);
  return record;
}

/** POST /containers/{id}/exec. */
export async function createExec(ctx: Context) {
  const task = findContainer(ctx, ctx.params[0]);
  const body = ((await ctx.body()) ?? {}) as Record<string, unknown>;
  if (isTerminal(task.state)) throw notRunning(task.containerId!);
  const cmd = Array.isArray(body.Cmd) ? body.Cmd.map(String) : typeof body.Cmd === 'string' ? [body.Cmd] : [];
  if (cmd.length === 0) throw errors.badParameter('No exec command specified');
  const swarm = ctx.engine.swarm!;
  const map = execs(ctx.engine);
  if (map.size >= EXEC_LIMIT) {
    for (const [id, old] of map) {
      if (!old.running && map.size >= EXEC_LIMIT) map.delete(id);
    }
  }
  const id = swarm.random.containerId();
  map.set(id, {
    id,
    task,
    cmd,
    tty: Boolean(body.Tty),
    stdin: Boolean(body.AttachStdin),
    stdout: Boolean(body.AttachStdout),
    stderr: Boolean(body.AttachStderr),
    env: Array.isArray(body.Env) ? body.Env.map(String) : [],
    started: false,
    running: false,
    exitCode: null,
    pid: 0,
  });
  return new Reply(201, { Id: id });
}

/** GET /exec/{id}/json. */
export function inspectExec(ctx: Context) {
  const record = execOf(ctx.engine, ctx.params[0]);
  return {
    ID: record.id,
    Running: record.running,
    ExitCode: record.exitCode,
    ProcessConfig: { tty: record.tty, entrypoint: record.cmd[0], arguments: record.cmd.slice(1), privileged: false },
    OpenStdin: record.stdin,
    OpenStderr: record.stderr,
    OpenStdout: record.stdout,
    CanRemove: false,
    ContainerID: record.task.containerId,
    DetachKeys: '',
    Pid: record.pid,
  };
}

/** POST /exec/{id}/resize?h=&w=: the window of a running exec's TTY. */
export async function resizeExec(ctx: Context) {
  const record = execOf(ctx.engine, ctx.params[0]);
  const rows = Number(ctx.query.get('h') ?? '');
  const cols = Number(ctx.query.get('w') ?? '');
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) throw errors.badParameter('strconv.Atoi: parsing "": invalid syntax');
  // dockerd waits a while for the session and then says this.
  if (!record.running && record.ready) await record.ready;
  if (!record.running) throw new ApiError(500, 'timeout waiting for exec session ready');
  record.size = { rows, cols };
  return EMPTY();
}

/** What the shell sees of the task's container. */
function worldOf(ctx: Context, record: ExecRecord): ShellWorld {
  const swarm = ctx.engine.swarm!;
  const task = record.task;
  const spec = task.spec.ContainerSpec ?? {};
  const hostname = hostnameOf(task);
  const mounts: { path: string; content: string }[] = [];
  const refs = (list: unknown) => (Array.isArray(list) ? (list as { File?: { Name?: string }; SecretID?: string; ConfigID?: string }[]) : []);
  for (const ref of refs(spec.Secrets)) {
    const name = ref.File?.Name ?? '';
    const data = (swarm.secrets.get(ref.SecretID ?? '')?.Spec as { Data?: string } | undefined)?.Data ?? '';
    if (name) mounts.push({ path: name.startsWith('/') ? name : `/run/secrets/${name}`, content: Buffer.from(data, 'base64').toString('utf8') });
  }
  for (const ref of refs(spec.Configs)) {
    const name = ref.File?.Name ?? '';
    const data = (swarm.configs.get(ref.ConfigID ?? '')?.Spec as { Data?: string } | undefined)?.Data ?? '';
    if (name) mounts.push({ path: name.startsWith('/') ? name : `/${name}`, content: Buffer.from(data, 'base64').toString('utf8') });
  }
  const n = Number.parseInt(task.containerId!.slice(0, 4), 16);
  const address = `10.0.${1 + (n % 250)}.${2 + ((n >> 8) % 250)}`;
  const command = [...(spec.Command ?? []), ...(spec.Args ?? [])].join(' ') || 'sleep infinity';
  return {
    hostname,
    env: [
      `HOSTNAME=${hostname}`,
      'SHLVL=1',
      'HOME=/root',
      ...(record.tty ? ['TERM=xterm'] : []),
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...(spec.Env ?? []),
      ...record.env,
      'PWD=/',
    ],
    files: containerFiles(hostname, address, mounts),
    command,
    size: () => record.size,
  };
}

/** Where a session writes, and how it learns of input and of the connection's end. */
interface Session {
  write(chunk: Buffer): void;
  /** True while the connection holds more unread output than the backlog allows. */
  full(): boolean;
  end(): void;
  input?: Readable;
  /** Calls back once when the connection closes. */
  closed: (callback: () => void) => void;
  /** Calls back once when the connection's output has drained. */
  drained: (callback: () => void) => void;
}

/** Runs an exec instance over a session: one command, `sh -c`, or an interactive shell reading the input. */
function run(ctx: Context, record: ExecRecord, session: Session): void {
  const shell = new SimShell(worldOf(ctx, record));
  const out = (stream: 1 | 2, text: string) => {
    if (!text) return;
    if (record.tty) session.write(Buffer.from(text.replace(/\r?\n/g, '\r\n')));
    else if ((stream === 1 && record.stdout) || (stream === 2 && record.stderr)) session.write(frame(stream, text));
  };
  let finished = false;
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    record.running = false;
    record.exitCode = code;
    record.stop = undefined;
    session.end();
  };
  record.started = true;
  record.running = true;
  record.pid = (record.task.pid ?? 1000) + 50 + execs(ctx.engine).size;
  record.stop = () => finish(0);
  const [program, ...args] = record.cmd;
  const name = program.replace(/^\/(usr\/)?bin\//, '');
  // Distroless and scratch images have no shell and none of its programs.
  const image = String(record.task.spec.ContainerSpec?.Image ?? '');
  const known = (SHELL_COMMANDS as readonly string[]).includes(name) && name !== 'exit' && !/distroless|(^|\/)scratch(:|@|$)/.test(image);
  if (!known) {
    // As runc says it for a program the image does not have (bash in busybox images among them).
    out(1, `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\r\n`);
    return finish(126);
  }
  if (name !== 'sh' || args[0] === '-c') {
    const result = name === 'sh' ? shell.run(args[1] ?? '') : shell.command([name, ...args]);
    out(1, result.stdout);
    out(2, result.stderr);
    return finish(result.exit ?? result.status);
  }
  // An interactive shell: a prompt with a TTY (and the terminal's echo and line editing), none without.
  let line = '';
  let status = 0;
  const enter = (text: string) => {
    const result = shell.run(text);
    status = result.exit ?? result.status;
    out(1, result.stdout);
    out(2, result.stderr);
    if (result.exit !== undefined) finish(result.exit);
    else if (record.tty) out(1, PROMPT);
  };
  if (record.tty) out(1, PROMPT);
  const input = record.stdin ? session.input : undefined;
  if (!input) return finish(0);
  input.on('data', (chunk: Buffer) => {
    if (finished) return;
    for (const ch of chunk.toString('utf8')) {
      if (finished) return;
      if (!record.tty) {
        if (ch === '\n') {
          enter(line);
          line = '';
        } else line += ch;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        session.write(Buffer.from('\r\n'));
        const text = line;
        line = '';
        enter(text);
      } else if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          session.write(Buffer.from('\b \b'));
        }
      } else if (ch === '\x03') {
        line = '';
        session.write(Buffer.from(`^C\r\n${PROMPT}`));
      } else if (ch === '\x04') {
        if (line === '') {
          session.write(Buffer.from('\r\n'));
          finish(status);
        }
      } else if (ch >= ' ' || ch === '\t') {
        line += ch;
        session.write(Buffer.from(ch));
      }
    }
    // Output is made only in answer to input: a client that stops reading stops the shell reading, so the backlog stays bounded.
    if (session.full() && !finished) {
      input.pause();
      session.drained(() => input.resume());
    }
  });
  input.on('end', () => {
    if (!record.tty && line !== '' && !finished) enter(line);
    finish(status);
  });
  // An exec session ends when its connection does.
  session.closed(() => finish(status));
}

/** Reads the start request's JSON body from a hijacked connection: what came with the headers, then the socket, up to Content-Length. */
function readUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<{ body: Record<string, unknown>; rest: Buffer }> {
  const length = Number(req.headers['content-length'] ?? 0);
  return new Promise((resolve, reject) => {
    let got = head;
    const done = () => {
      socket.off('data', onData);
      let body: Record<string, unknown> = {};
      const text = got.subarray(0, length).toString('utf8').trim();
      try {
        if (text) body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return reject(errors.badJson('invalid character in JSON body'));
      }
      resolve({ body, rest: got.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= length) {
        socket.pause();
        done();
      }
    };
    if (got.length >= length) return done();
    socket.on('data', onData);
  });
}

/** How long after the 101 a hijacked exec's output starts, ms. */
const EXEC_START_MS = 20;

/** The hijacked POST /exec/{id}/start: 101 UPGRADED, then the session on the raw connection. */
export async function startExecUpgraded(ctx: Context, socket: Duplex, head: Buffer): Promise<void> {
  const { body, rest } = await readUpgradeBody(ctx.req, socket, head);
  const record = execOf(ctx.engine, ctx.params[0]);
  if (record.started) throw new ApiError(409, `Error: Exec command ${record.id} is already running`);
  if (record.task.state !== 'running') throw notRunning(record.task.containerId!);
  const headers = Object.entries(BASE_HEADERS)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  // dockerd 20.10 names the stream raw whether or not it is multiplexed (API 1.42 added the multiplexed type).
  record.started = true;
  // The output follows the 101 a moment later, as a real exec's does (runc starts the process first):
  // a client that reads the 101 through a buffer (docker-py's http.client) loses bytes that came with it.
  record.ready = new Promise<void>((resolve) =>
    socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${headers}\r\n`, () =>
      setTimeout(resolve, EXEC_START_MS),
    ),
  );
  await record.ready;
  if (socket.destroyed) return;
  if (body.Detach) {
    record.stdin = false;
    run(ctx, record, { write: () => {}, full: () => false, end: () => socket.end(), closed: () => {}, drained: () => {} });
    return;
  }
  if (rest.length > 0) socket.unshift(rest);
  socket.resume();
  run(ctx, record, {
    write: (chunk) => {
      if (!socket.destroyed) socket.write(chunk);
    },
    full: () => socket.writableLength > STREAM_BACKLOG,
    end: () => {
      if (!socket.destroyed) socket.end();
    },
    input: socket,
    closed: (callback) => socket.once('close', callback),
    drained: (callback) => socket.once('drain', callback),
  });
}

/** POST /exec/{id}/start without Upgrade (dockerode's start without hijack): the output on the response, no input. */
export async function startExec(ctx: Context) {
  const body = ((await ctx.body()) ?? {}) as Record<string, unknown>;
  const record = execOf(ctx.engine, ctx.params[0]);
  if (record.started) throw new ApiError(409, `Error: Exec command ${record.id} is already running`);
  if (record.task.state !== 'running') throw notRunning(record.task.containerId!);
  const { res } = ctx;
  if (body.Detach) {
    record.stdin = false;
    run(ctx, record, { write: () => {}, full: () => false, end: () => {}, closed: () => {}, drained: () => {} });
    return EMPTY();
  }
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/vnd.docker.raw-stream' });
  run(ctx, record, {
    write: (chunk) => {
      if (!res.destroyed) res.write(chunk);
    },
    full: () => res.writableLength > STREAM_BACKLOG,
    end: () => {
      if (!res.writableEnded) res.end();
    },
    closed: (callback) => res.once('close', callback),
    drained: (callback) => res.once('drain', callback),
  });
  return STREAMED;
}
