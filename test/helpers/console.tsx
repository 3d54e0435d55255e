import { render } from 'ink-testing-library';
import { parseHost } from '../../source/docker/connection.js';
import { SwarmClient } from '../../source/docker/client.js';
import { createStore, type Store } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import { App } from '../../source/ui/app.js';
import type { View } from '../../source/ui/ui-state.js';
import { startTestSwarm, type TestSwarm } from './swarm.js';

/** Key sequences as a terminal sends them. */
export const KEY = {
  enter: '\r',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  backspace: '\u007f',
  ctrlL: '\u000c',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlU: '\u0015',
};

/** The console rendered with ink-testing-library against a manager, through dockerode. */
export interface MountedConsole {
  store: Store;
  sync: Sync;
  client: SwarmClient;
  /** The last frame, as the user would read it (no colours). */
  frame(): string;
  /** Types keys one at a time, letting the app handle each. */
  press(...keys: string[]): Promise<void>;
  /** Moves the selection to the row that starts with `name` (from the top of the list). */
  selectRow(name: string): Promise<void>;
  /** Waits until the frame satisfies the check (or fails with the last frame). */
  waitFor(check: string | RegExp | ((frame: string) => boolean), timeout?: number): Promise<string>;
  close(): Promise<void>;
}

/** The console on a simulator the test controls. */
export interface TestConsole extends MountedConsole {
  swarm: TestSwarm;
}

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Mounts the console on an endpoint (a simulator's or a real manager's), or on several managers as -H given several times. */
export async function mountConsole(
  host: string | string[],
  options: { width?: number; height?: number; readOnly?: boolean; view?: View; label?: string; now?: () => number; nodeHosts?: string[] } = {},
): Promise<MountedConsole> {
  const hosts = Array.isArray(host) ? host : [host];
  const clients = hosts.map((h) => new SwarmClient({ ...parseHost(h, {}, undefined), label: options.label ?? h }));
  const client = clients[0];
  const store = createStore(client.endpoint.label);
  const now = options.now ?? Date.now;
  const sync = new Sync(clients, store, now, 0, options.nodeHosts);
  await sync.start();
  const ui = render(
    <App
      store={store}
      sync={sync}
      readOnly={options.readOnly ?? false}
      width={options.width ?? 120}
      height={options.height ?? 39}
      now={now}
      initialView={options.view}
    />,
  );
  const frame = () => strip(ui.lastFrame() ?? '');
  const press: MountedConsole['press'] = async (...keys) => {
    for (const key of keys) {
      ui.stdin.write(key);
      await new Promise((r) => setTimeout(r, 15));
    }
  };
  const waitFor: MountedConsole['waitFor'] = async (check, timeout = 5000) => {
    const test = typeof check === 'string' ? (f: string) => f.includes(check) : check instanceof RegExp ? (f: string) => check.test(f) : check;
    const until = Date.now() + timeout;
    for (;;) {
      const current = frame();
      if (test(current)) return current;
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(check)}; last frame:\n${current}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const selectRow: MountedConsole['selectRow'] = async (name) => {
    await press('g');
    // Marked rows (Space) put a gutter before every row: "* " or two spaces.
    const bare = (l: string) => l.replace(/^(?:\* | {2})(?=\S)/, '');
    const lines = (await waitFor((f) => f.split('\n').some((l) => bare(l).startsWith(`${name} `)))).split('\n').map(bare);
    const header = lines.findIndex((l) => /^(NAME|HOSTNAME|TIME)\s/.test(l));
    const index = lines.findIndex((l) => l.startsWith(`${name} `)) - header - 1;
    for (let j = 0; j < index; j++) await press('j');
  };
  return {
    store,
    sync,
    client,
    frame,
    selectRow,
    press,
    waitFor,
    async close() {
      ui.unmount();
      sync.stop();
    },
  };
}

/** Starts a simulator and the console on it, at a fixed size and on the simulator's clock. */
export async function startConsole(
  options: { width?: number; height?: number; readOnly?: boolean; view?: View; scenario?: string; nodeHosts?: string[] } = {},
): Promise<TestConsole> {
  const swarm = await startTestSwarm({ scenario: options.scenario ?? 'tutorial' });
  const mounted = await mountConsole(swarm.sim.host, { ...options, label: 'simulated swarm (tutorial)', now: () => swarm.sim.swarm.now });
  return {
    ...mounted,
    swarm,
    async close() {
      await mounted.close();
      await swarm.close();
    },
  };
}
