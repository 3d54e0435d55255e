import { render } from 'ink';
import { SwarmClient, type DockerError } from '../docker/client.js';
import type { Endpoint } from '../docker/connection.js';
import { boundHeapGrowth } from '../heap.js';
import { createStore } from '../store/store.js';
import { Sync } from '../store/sync.js';
import { App } from '../ui/app.js';
import type { HandOver } from '../ui/keys/context.js';
import { FrameStdout, ScreenWriter } from '../ui/screen-writer.js';
import { yogaReady } from '../ui/yoga.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';

/** How long start-up waits for a manager to answer before the console opens anyway, saying it is connecting. */
export const CONNECT_WAIT_MS = 1500;
/** The signals that end the console (SIGINT too, but it stays handled while the editor runs: a Ctrl+C there is the editor's). */
const LEAVING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;
/** However the console ends, the process is gone this long after (clean-up that hangs on a dead terminal or socket is cut short). */
const LEAVE_DEADLINE_MS = 500;
/** How long the console waits for the first data before drawing (a first frame of `loading...` for a fast manager is noise). */
const FIRST_DATA_WAIT_MS = 300;

const wait = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref());

/** Finds the first endpoint that answers as a manager; every endpoint keeps its client, to fail over to later. */
async function connect(clients: SwarmClient[]): Promise<{ current: number } | { error: DockerError }> {
  let last: DockerError | undefined;
  for (const [current, client] of clients.entries()) {
    try {
      await client.checkManager();
      return { current };
    } catch (error) {
      last = error as DockerError;
    }
  }
  return { error: last! };
}

/** The console on the first of `endpoints` that answers as a manager; a terminal is required. Returns the exit code. */
export async function runConsole(endpoints: Endpoint[], readOnly: boolean, nodeHosts: string[] = []): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('swarmdeck: the console needs a terminal; for scripts use --once --view NAME\n');
    return 2;
  }
  const clients = endpoints.map((endpoint) => new SwarmClient(endpoint));
  // A wrong endpoint is a message and exit 1, as soon as it says so; one that is slow to answer
  // opens the console, connecting, rather than a blank terminal until the request's deadline.
  const connecting = connect(clients);
  const connected = await Promise.race([connecting, wait(CONNECT_WAIT_MS)]);
  if (connected && 'error' in connected) {
    process.stderr.write(`swarmdeck: ${connected.error.message}\n`);
    return 1;
  }
  return runLive(clients, connected?.current ?? 0, readOnly, nodeHosts);
}

/**
 * Runs the full-screen console until the user quits; the terminal is restored on every way out.
 * `clients` are the managers given (-H several times); `current` is the one that answered first.
 */
export async function runLive(clients: SwarmClient[], current: number, readOnly: boolean, nodeHosts: string[] = []): Promise<number> {
  boundHeapGrowth();
  const store = createStore(clients[current].endpoint.label);
  const sync = new Sync(clients, store, Date.now, current, nodeHosts);
  // The console opens with what is there after a moment: a slow manager shows it connecting and loading, not a blank screen.
  const started = sync.start();
  await Promise.race([started, wait(FIRST_DATA_WAIT_MS)]);
  // Edit files (they hold specs) a killed console left behind: removed, and said so in the message history.
  void import('../store/edit-files.js').then(({ removeStaleEditFiles }) => {
    const removed = removeStaleEditFiles();
    if (removed.length > 0)
      store.dispatch({ type: 'status', kind: 'info', text: `removed edit files a console that ended left: ${removed.join(', ')}`, at: Date.now() });
  });
  // Full screen on the alternate screen, restored on every way out.
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(LEAVE_ALT);
  };
  process.stdout.write(ENTER_ALT);
  process.on('exit', restore);
  // Ink renders whole frames into FrameStdout; the screen writer sends the terminal only the cells
  // that changed (Ink's own incremental mode rewrites whole lines, and draws off by a row in 6.7+).
  const writer = new ScreenWriter(process.stdout);
  // While a shell has the terminal, frames are not drawn (the console draws itself whole when it comes back).
  let handedOver = false;
  const frames = new FrameStdout(process.stdout, (frame) => !handedOver && writer.frame(frame));
  // After a resize and on Ctrl+R the next frame is drawn whole.
  frames.on('repaint', () => !handedOver && writer.reset());
  await yogaReady;
  // The editor gets the terminal as the console found it (main screen, cooked mode), then the console redraws in full.
  const suspend = (run: () => void) => {
    process.stdout.write(LEAVE_ALT);
    process.stdin.setRawMode?.(false);
    // The editor runs while the console waits (synchronously): a handler for a hangup or SIGTERM
    // would only run once the editor exits, and the editor waits for a terminal that is gone. Meanwhile
    // they do what they do by default: end the console at once (its terminal is already restored), and
    // the console's end hangs up the editor.
    for (const signal of LEAVING_SIGNALS) process.removeAllListeners(signal);
    try {
      run();
    } finally {
      for (const signal of LEAVING_SIGNALS) process.on(signal, gone);
      process.stdin.setRawMode?.(true);
      process.stdout.write(ENTER_ALT);
      writer.reset();
    }
  };
  // A shell in a container gets the terminal raw, on the main screen, for as long as it runs (the
  // console keeps running: its keys are the shell's, its frames are held); then the console redraws in full.
  const handOver: HandOver = async (run) => {
    writer.flush();
    handedOver = true;
    process.stdout.write(LEAVE_ALT);
    const inkReaders = process.stdin.listeners('readable') as ((...args: unknown[]) => void)[];
    for (const reader of inkReaders) process.stdin.off('readable', reader);
    process.stdin.resume();
    const onResize = (listener: () => void) => {
      process.stdout.on('resize', listener);
      return () => void process.stdout.off('resize', listener);
    };
    try {
      return await run({
        input: process.stdin,
        output: process.stdout,
        size: () => ({ rows: process.stdout.rows || 24, cols: process.stdout.columns || 80 }),
        onResize,
      });
    } finally {
      // Not pause(): process.stdin stops reading from the terminal a tick after a pause, and Ink's
      // 'readable' listener would never hear from it again. Taking the listener back stops the flow.
      for (const reader of inkReaders) process.stdin.on('readable', reader);
      process.stdout.write(ENTER_ALT);
      handedOver = false;
      frames.repaint();
    }
  };
  const instance = render(<App store={store} sync={sync} readOnly={readOnly} suspend={suspend} handOver={handOver} />, {
    stdout: frames as unknown as NodeJS.WriteStream,
    stdin: process.stdin,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // The terminal can go at any moment (ssh dropped, tmux killed, SIGHUP, SIGTERM, stdin at its end
  // or failing, stdout failing): the console then ends within a second whatever it was doing. A
  // console left running with nobody to read it (parent pid 1, spinning on a dead terminal) is the
  // failure this guards against, so nothing below may wait on the terminal or the manager.
  let leaving = false;
  const leave = (code = 0) => {
    if (leaving) return;
    leaving = true;
    // Whatever the clean-up meets (a write to a dead terminal, a hung socket), the process ends.
    setTimeout(() => process.exit(code), LEAVE_DEADLINE_MS);
    // No last frame (Ink's unmount draws one): the terminal is given back as it was, and that is all it is sent.
    for (const step of [() => sync.stop(), () => closeConnections(clients), () => process.stdin.setRawMode?.(false), restore]) {
      try {
        step();
      } catch {
        // The terminal or a socket is already gone: the next step still runs.
      }
    }
    // A terminal's writes are synchronous: what restore() wrote is out.
    process.exit(code);
  };
  const gone = () => leave(0);
  const crash = (error: unknown) => {
    // The terminal went away (ssh dropped, tmux killed): nobody is left to read a message.
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'EIO' || code === 'EPIPE' || code === 'EBADF' || code === 'ENXIO' || leaving) process.exit(0);
    try {
      instance.unmount();
      restore();
      process.stderr.write(`swarmdeck: ${(error as Error)?.message ?? String(error)}\n`);
    } finally {
      process.exit(1);
    }
  };
  for (const signal of [...LEAVING_SIGNALS, 'SIGINT'] as const) process.on(signal, gone);
  process.stdin.on('end', gone).on('close', gone).on('error', gone);
  process.stdout.on('error', gone);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // The parent gone (the terminal's shell or tmux server killed) without a hangup reaching us.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && gone(), 500).unref();
  try {
    await instance.waitUntilExit();
  } finally {
    writer.flush();
    sync.stop();
    closeConnections(clients);
    restore();
  }
  return 0;
}

/** Ends every connection to the managers (idle keep-alive ones included): nothing of the console stays open once it is done. */
function closeConnections(clients: SwarmClient[]): void {
  for (const client of clients) client.close();
}
