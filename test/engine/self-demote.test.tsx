import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mountConsole, type MountedConsole } from '../helpers/console.js';

// Demoting, through the console, the manager it is connected through, on a real swarm of three
// managers (SWARMDECK_TEST_QUORUM_HOST its first manager, SWARMDECK_TEST_QUORUM_CTL its realswarm.sh):
// dockerd then answers 503 "This node is not a swarm manager", and the console moves to another
// manager by itself, one given with -H, or one reached as nodes are (--node-host).
const host = process.env.SWARMDECK_TEST_QUORUM_HOST;
const ctl = process.env.SWARMDECK_TEST_QUORUM_CTL;
const hostOf = (node: string) => {
  const [cmd, ...pre] = ctl!.split(' ');
  return execFileSync(cmd, [...pre, 'host', node], { encoding: 'utf8', timeout: 60_000 }).trim();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!host || !ctl)('demoting the manager this console is connected through, on a real swarm', () => {
  let c: MountedConsole | undefined;
  const hosts: Record<string, string> = {};

  /** Promotes every node named manager* back (through a manager that is one), and waits for three reachable managers. */
  async function restore() {
    for (let attempt = 0; attempt < 60; attempt++) {
      for (const url of Object.values(hosts)) {
        const docker = new Docker({ socketPath: url.replace(/^unix:\/\//, '') });
        try {
          const nodes = (await docker.listNodes()) as any[];
          for (const n of nodes.filter((n) => /^manager\d/.test(n.Description.Hostname) && n.Spec.Role !== 'manager')) {
            await docker.getNode(n.ID).update({ version: n.Version.Index, ...n.Spec, Role: 'manager' });
          }
          const managers = ((await docker.listNodes()) as any[]).filter((n) => n.ManagerStatus?.Reachability === 'reachable');
          if (managers.length === 3) return;
        } catch {
          // Not a manager (yet), or raft is settling: another one, or again.
        }
      }
      await sleep(1000);
    }
    throw new Error('the swarm did not get its three managers back');
  }

  beforeAll(() => {
    for (const name of ['manager1', 'manager2', 'manager3']) hosts[name] = hostOf(name);
    expect(hosts.manager1).toBe(host);
    return restore();
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await restore();
  });

  /** Demotes, from the nodes view, the node the console is connected through; returns its hostname. */
  async function demoteSelf(console: MountedConsole): Promise<string> {
    await console.waitFor(/managers 3 \(leader manager\d\)/, 60_000);
    // Three reachable managers as the console lists them (a fresh raft reports a joining manager
    // unreachable a while): otherwise the demote asks for the node's name as a quorum risk.
    await console.waitFor(() => console.store.getSnapshot().nodes.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length === 3, 90_000);
    const state = console.store.getSnapshot();
    const self = state.nodes.find((n) => n.ID === state.info?.Swarm?.NodeID)!.Description!.Hostname!;
    await console.press('1');
    await console.waitFor(/Nodes \(\d+\)/);
    await console.selectRow(self);
    await console.press('D');
    await console.waitFor(`This console is connected through ${self}`, 10_000);
    await console.press('y');
    return self;
  }

  test('with the other managers mapped (--node-host), it moves to one of them by itself', async () => {
    c = await mountConsole(host!, { width: 200, height: 40, nodeHosts: [`manager2=${hosts.manager2}`, `manager3=${hosts.manager3}`] });
    const self = await demoteSelf(c);
    expect(self).toBe('manager1');
    const frame = await c.waitFor(/manager1\/docker\.sock is no longer a swarm manager; now on \S*manager[23]\/docker\.sock/, 90_000);
    expect(frame).not.toMatch(/x disconnected/);
    // The nodes view, from the new manager: manager1 is a worker now.
    await c.waitFor((f) => /^manager1\s+\w{12}\s+Ready\s+Active\s+20/m.test(f), 60_000);
    expect(c.store.getSnapshot().connection.status).toBe('connected');
    await c.close();
    c = undefined;
  });

  test('with another manager given with -H, it moves there by itself', async () => {
    await restore();
    c = await mountConsole([host!, hosts.manager3], { width: 200, height: 40 });
    await demoteSelf(c);
    await c.waitFor(/lost \S*manager1\/docker\.sock; now on \S*manager3\/docker\.sock|manager1\/docker\.sock is no longer a swarm manager; now on/, 90_000);
    await c.waitFor((f) => /^manager1\s+\w{12}\s+Ready\s+Active\s+20/m.test(f), 60_000);
    expect(c.store.getSnapshot().connection.status).toBe('connected');
  });
});
