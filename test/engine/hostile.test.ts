import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// End to end in a real terminal: a real service prints escape sequences meant to take over the
// terminal (clipboard, title, clear, reset, cursor moves, C1, bidi), and the console, running in
// tmux against the real manager, must show them inert and let none of them act.
const host = process.env.SWARMDECK_TEST_DOCKER_HOST;
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const NAME = `sdk-hostile-${process.pid.toString(36)}`;
const SESSION = `swarmdeck-hostile-${process.pid}`;
const cli = join(import.meta.dirname, '../../dist/cli.js');
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// printf(1) escapes, one sequence per line, each line tagged so the test can find it.
const CORPUS = [
  '\\033]52;c;ZXZpbA==\\007', // OSC 52: write "evil" to the clipboard
  '\\033]0;pwned-title\\007', // OSC 0: window title
  '\\033]2;pwned-title\\033\\\\', // OSC 2 with ST
  '\\033[2J\\033[H', // clear the screen, cursor home
  '\\033c', // full reset
  '\\033[10;10Hmoved', // cursor move
  '\\302\\2332J', // C1 CSI (U+009B) then 2J
  'abc\\342\\200\\256def', // RIGHT-TO-LEFT OVERRIDE
  'ding\\007', // BEL
];
const script = `while true; do ${CORPUS.map((seq, i) => `printf 'HOSTILE-${i} ${seq.replace(/'/g, `'\\''`)} END\\n'`).join('; ')}; sleep 1; done`;

describe.skipIf(!host || !hasTmux)('hostile output in a real terminal', () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = new Docker({ socketPath: host!.replace(/^unix:\/\//, '') });
    await docker.createService({
      Name: NAME,
      // A label shown in the services view (STACK) carries escapes too.
      Labels: { 'com.docker.stack.namespace': 'stk\u001b]0;t\u0007' },
      TaskTemplate: { ContainerSpec: { Image: process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1', Args: ['sh', '-c', script], StopSignal: 'SIGKILL' } },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    } as any);
    // OSC 52 would land in a tmux buffer with set-clipboard on: make sure it would be seen.
    tmux('new-session', '-d', '-s', SESSION, '-x', '140', '-y', '40', `node ${cli} -H ${host}; sleep 60`);
    tmux('set-option', '-s', 'set-clipboard', 'on');
  });

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', SESSION]);
    await docker
      ?.getService(NAME)
      .remove()
      .catch(() => {});
  });

  const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
  async function waitFor(check: (s: string) => boolean, what: string, timeout = 60_000) {
    const until = Date.now() + timeout;
    for (;;) {
      const s = screen();
      if (check(s)) return s;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await sleep(200);
    }
  }

  test('escape sequences in labels and log lines are shown inert, and none of them acts on the terminal', async () => {
    const title = tmux('display-message', '-p', '-t', SESSION, '#{pane_title}').trim();
    const buffers = tmux('list-buffers').trim();

    await waitFor((s) => s.includes(NAME), 'the service to be listed');
    const services = screen();
    expect(services).toContain('stk^[]0;t^G');

    tmux('send-keys', '-t', SESSION, ':', `logs ${NAME}`, 'Enter');
    const logs = await waitFor((s) => /HOSTILE-8 .* END/.test(s) && /HOSTILE-0 .* END/.test(s), 'every hostile line to be shown');
    // Shown, visibly, as text.
    expect(logs).toMatch(/HOSTILE-0 \^\[\]52;c;ZXZpbA==\^G END/);
    expect(logs).toMatch(/HOSTILE-3 \^\[\[2J\^\[\[H END/);
    expect(logs).toMatch(/HOSTILE-4 \^\[c END/);
    // Acting on nothing: the header is still on the first row (no clear, no reset, no cursor move),
    // the title and the clipboard are untouched.
    expect(logs.split('\n')[0]).toMatch(/^swarmdeck /);
    expect(logs).not.toMatch(/^\s*moved/m);
    expect(tmux('display-message', '-p', '-t', SESSION, '#{pane_title}').trim()).toBe(title);
    expect(tmux('list-buffers').trim()).toBe(buffers);
  });
});
