import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './connection.js';
import type { ExecSession, NodeEngine } from './node-engine.js';
import { configPath } from './node-reach.js';

/**
 * A shell in a task's container, on its node's own engine, as `docker exec -it` gives one: the
 * shell is chosen first with a short exec of its own (bash where the image has it, else sh; or the
 * config file's `shell:`), then run with a TTY on the user's terminal, the window's size passed on
 * at the start and at every change, until it exits. Nothing of it is left running after.
 */

/** The user's terminal as the shell takes it over: raw input, output, its size and its changes. */
export interface ShellTerminal {
  input: NodeJS.ReadableStream;
  output: { write(data: Uint8Array | string): unknown };
  size(): { rows: number; cols: number };
  /** Calls back on each change of the window's size; returns how to stop. */
  onResize(listener: () => void): () => void;
}

/** The command set in the config file (`shell: bash -l`, or a list of words); none when not set. */
export async function readShellConfig(path = configPath()): Promise<string[] | undefined> {
  if (!existsSync(path)) return undefined;
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const shell = (doc as { shell?: unknown } | null)?.shell;
  if (shell === undefined || shell === null) return undefined;
  if (Array.isArray(shell) && shell.length > 0 && shell.every((w) => typeof w === 'string' && w !== '')) return shell as string[];
  if (typeof shell === 'string' && shell.trim()) {
    const { parse: words } = await import('shell-quote');
    const argv = words(shell);
    if (argv.length > 0 && argv.every((w) => typeof w === 'string')) return argv as string[];
  }
  throw new ConfigError(`${path}: shell: must be a command (shell: bash -l) or a list of its words (shell: [bash, -l])`);
}

/** What runc says when the program is not in the image: dockerd writes it on the exec's stream and the exit code is 126 (127 from a shell). */
const NOT_FOUND = /executable file not found|no such file or directory|not found/i;

/** Which shell the container has: bash if it has one, else sh; why not when it has neither (a distroless or scratch image). */
export async function chooseShell(engine: NodeEngine, container: string): Promise<{ cmd: string[] } | { why: string }> {
  // One short exec without input: a TTY keeps the output raw (no multiplexed frames to take apart).
  const probe = await engine.exec(container, ['sh', '-c', 'command -v bash || true'], { tty: true, stdin: false });
  let output = '';
  probe.stream.on('data', (chunk: Buffer) => {
    if (output.length < 4096) output += chunk.toString('utf8');
  });
  const code = await probe.exitCode().finally(() => probe.close());
  if (code === 126 || code === 127 || (code !== 0 && NOT_FOUND.test(output)))
    return { why: 'the container has no shell (neither bash nor sh is in its image)' };
  if (code !== 0) return { why: `looking for a shell failed (exit ${code}): ${output.trim().split('\n')[0]}` };
  return { cmd: [/\/bash\s*$/m.test(output) ? 'bash' : 'sh'] };
}

/** How a shell session ended: its exit code, and when it could not start, runc's words. */
export interface ShellEnd {
  exitCode: number | null;
  /** The program was not in the container (exit 126/127 before anything ran): what the engine said. */
  notFound?: string;
}

/** The window's size is set this many times at most while the exec starts (dockerd refuses it until the process runs). */
const RESIZE_TRIES = 3;

/** Starts `cmd` with a TTY in the container, wired to the terminal until it exits; the session is ended however this ends. */
export async function runShell(engine: NodeEngine, container: string, cmd: string[], terminal: ShellTerminal): Promise<ShellEnd> {
  const { rows, cols } = terminal.size();
  const session: ExecSession = await engine.exec(container, cmd, { tty: true, stdin: true, rows, cols });
  let head = '';
  const onOutput = (chunk: Buffer) => {
    if (head.length < 512) head += chunk.toString('utf8');
    terminal.output.write(chunk);
  };
  const onInput = (chunk: Buffer | string) => {
    if (!session.stream.destroyed) session.stream.write(chunk);
  };
  const resize = async (tries = RESIZE_TRIES): Promise<void> => {
    const size = terminal.size();
    try {
      await session.resize(size.rows, size.cols);
    } catch {
      if (tries > 1) {
        await new Promise((r) => setTimeout(r, 100));
        return resize(tries - 1);
      }
    }
  };
  session.stream.on('data', onOutput);
  terminal.input.on('data', onInput);
  const stopResize = terminal.onResize(() => void resize(1));
  // The exec's size was set as it started; dockerd refuses it if the process was not running yet: again, to be sure.
  void resize();
  try {
    const exitCode = await session.exitCode();
    const notFound = (exitCode === 126 || exitCode === 127) && NOT_FOUND.test(head) ? head.trim().split('\n')[0] : undefined;
    return { exitCode, notFound };
  } finally {
    terminal.input.off('data', onInput);
    session.stream.off('data', onOutput);
    stopResize();
    session.close();
  }
}
