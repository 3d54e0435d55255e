import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// `s` on a task in a real terminal (tmux, its own server): the console steps aside for a shell in
// the task's container on the simulator's node engine, and comes back intact with the exit code.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) console.warn('SKIP: no tmux on PATH; the shell round trip is skipped');
const cli = join(import.meta.dirname, '../../dist/cli.js');
const SERVER = 'shell';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SERVER, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasTmux)('the shell in a task', () => {
  test('s opens a shell in the container (hostname, window size), exit 3 comes back to the console with exit 3 on the status line', async () => {
    const name = `swarmdeck-shell-${process.pid}`;
    const home = mkdtempSync(join(tmpdir(), 'swarmdeck-shell-home-'));
    const env = `XDG_STATE_HOME=${home}/state XDG_CONFIG_HOME=${home}/config`;
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', `${env} node ${cli} --sim; echo "exit=$?"; sleep 60`);
    const screen = () => tmux('capture-pane', '-p', '-t', name);
    const until = async (check: (s: string) => boolean, what: string) => {
      for (let i = 0; i < 100; i++) {
        if (check(screen())) return screen();
        await sleep(100);
      }
      throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`);
    };
    try {
      await until((s) => s.includes('flaskontesting'), 'the console');
      // web is the last service: its tasks, the first one selected.
      tmux('send-keys', '-t', name, 'G');
      await sleep(200);
      tmux('send-keys', '-t', name, 'Enter');
      const tasks = await until((s) => /^web\.1 .*Running/m.test(s), 'the tasks of web');
      const node = /^web\.1\s+\S+\s+(\S+)/m.exec(tasks)![1];
      tmux('send-keys', '-t', name, 's');
      const opened = await until((s) => /^\/ #/m.test(s), 'the prompt');
      expect(opened).toMatch(new RegExp(`swarmdeck: sh in web\\.1\\.\\w+ \\(container (\\w{12})\\) on ${node}`));
      const container = /\(container (\w{12})\)/.exec(opened)![1];
      expect(tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim()).toBe('0');
      tmux('send-keys', '-t', name, 'hostname', 'Enter');
      // A task's container is named by its ID, as dockerd does: the shell is in that container.
      await until((s) => s.includes(`hostname\n${container}`), 'the hostname');
      tmux('send-keys', '-t', name, 'stty size', 'Enter');
      await until((s) => s.includes('30 120'), 'the window size');
      tmux('resize-window', '-t', name, '-x', '100', '-y', '25');
      await sleep(300);
      tmux('send-keys', '-t', name, 'stty size', 'Enter');
      await until((s) => s.includes('25 100'), 'the new window size');
      tmux('send-keys', '-t', name, 'exit 3', 'Enter');
      const back = await until((s) => s.includes('the shell ended, exit 3'), 'the console back');
      expect(tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim()).toBe('1');
      // Intact: the header, the tasks, the footer; nothing of the shell's screen.
      expect(back.split('\n')[0]).toContain('swarmdeck simulated swarm (tutorial)');
      expect(back).toMatch(/^web\.1 .*Running/m);
      expect(back).not.toMatch(/^\/ #/m);
      expect(back).toMatch(/s shell/);
      // The keyboard is the console's again: the action log opens, and lists the shell as docker would run it.
      tmux('send-keys', '-t', name, 'a');
      await until((s) => s.includes('Action log (1)'), 'the action log');
      const log = readFileSync(join(home, 'state', 'swarmdeck', 'actions.log'), 'utf8');
      expect(JSON.parse(log.trim()).command).toMatch(new RegExp(`^docker -H unix://\\S+ exec -it ${container} sh$`));
      tmux('send-keys', '-t', name, 'q');
      tmux('send-keys', '-t', name, 'q');
      tmux('send-keys', '-t', name, 'q');
      await until((s) => s.includes('exit=0'), 'the console to end');
    } finally {
      spawnSync('tmux', ['-L', SERVER, 'kill-session', '-t', name]);
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
