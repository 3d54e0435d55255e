import { render } from 'ink';
import { SwarmClient, type DockerError } from '../docker/client.js';
import type { Endpoint } from '../docker/connection.js';
import { boundHeapGrowth } from '../heap.js';
import { createStore } from '../store/store.js';
import { Sync } from '../store/sync.js';
import { App } from '../ui/app.js';
import { FrameStdout, ScreenWriter } from '../ui/screen-writer.js';
import { yogaReady } from '../ui/yoga.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';

/** Finds the first endpoint that answers as a manager; every endpoint keeps its client, to fail over to later. */
async function connect(endpoints: Endpoint[]): Promise<{ clients: SwarmClient[]; current: number } | { error: DockerError }> {
  const clients = endpoints.map((endpoint) => new SwarmClient(endpoint));
  let last: DockerError | undefined;
  for (const [current, client] of clients.entries()) {
    try {
      await client.checkManager();
      return { clients, current };
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
  const connected = await connect(endpoints);
  if ('error' in connected) {
    process.stderr.write(`swarmdeck: ${connected.error.message}\n`);
    return 1;
  }
  return runLive(connected.clients, connected.current, readOnly, nodeHosts);
}

/**
 * Runs the full-screen console until the user quits; the terminal is restored on every way out.
 * `clients` are the managers given (-H several times); `current` is the one that answered first.
 */
export async function runLive(clients: SwarmClient[], current: number, readOnly: boolean, nodeHosts: string[] = []): Promise<number> {
  boundHeapGrowth();
  const store = createStore(clients[current].endpoint.label);
  const sync = new Sync(clients, store, Date.now, current, nodeHosts);
  await sync.start();
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
  process.stdout.on('resize', () => writer.reset());
  const frames = new FrameStdout(process.stdout, (frame) => writer.frame(frame));
  await yogaReady;
  // The editor gets the terminal as the console found it (main screen, cooked mode), then the console redraws in full.
  const suspend = (run: () => void) => {
    process.stdout.write(LEAVE_ALT);
    process.stdin.setRawMode?.(false);
    try {
      run();
    } finally {
      process.stdin.setRawMode?.(true);
      process.stdout.write(ENTER_ALT);
      writer.reset();
    }
  };
  const instance = render(<App store={store} sync={sync} readOnly={readOnly} suspend={suspend} />, {
    stdout: frames as unknown as NodeJS.WriteStream,
    stdin: process.stdin,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const quit = () => instance.unmount();
  const crash = (error: unknown) => {
    // The terminal went away (ssh dropped, tmux killed): nobody is left to read a message.
    if ((error as NodeJS.ErrnoException)?.code === 'EIO' || (error as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(0);
    instance.unmount();
    restore();
    process.stderr.write(`swarmdeck: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('SIGTERM', quit);
  process.on('SIGHUP', quit);
  process.on('SIGINT', quit);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    await instance.waitUntilExit();
  } finally {
    writer.flush();
    sync.stop();
    restore();
  }
  return 0;
}
