import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// The live console in a real terminal (tmux), as a user runs it. Skipped, and said so, without tmux.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) console.warn('SKIP: no tmux on PATH; the terminal restoration tests are skipped');
const cli = join(import.meta.dirname, '../../dist/cli.js');
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function session(name: string, width = 80, height = 24) {
  const marker = `/tmp/${name}.exit`;
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `node ${cli} --sim; echo "exit=$?" > ${marker}; sleep 60`);
  for (let i = 0; i < 100; i++) {
    if (tmux('capture-pane', '-p', '-t', name).includes('flaskontesting')) break;
    await sleep(100);
  }
  return {
    screen: () => tmux('capture-pane', '-p', '-t', name),
    alternate: () => tmux('display-message', '-p', '-t', name, '#{alternate_on}').trim(),
    pid: () => Number(tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim()),
    async exitCode() {
      for (let i = 0; i < 50; i++) {
        const out = spawnSync('cat', [marker], { encoding: 'utf8' }).stdout;
        if (out) return out.trim();
        await sleep(100);
      }
      return 'still running';
    },
    close: () => spawnSync('tmux', ['kill-session', '-t', name]),
  };
}

describe.skipIf(!hasTmux)('the terminal', () => {
  test('runs on the alternate screen within 80x24 and restores the terminal on q', async () => {
    const s = await session(`swarmdeck-q-${process.pid}`);
    try {
      expect(s.alternate()).toBe('1');
      const lines = s.screen().split('\n');
      expect(lines[0]).toContain('swarmdeck simulated swarm (tutorial)');
      tmux('send-keys', '-t', `swarmdeck-q-${process.pid}`, 'q');
      expect(await s.exitCode()).toBe('exit=0');
      expect(s.alternate()).toBe('0');
    } finally {
      s.close();
    }
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    test(`restores the terminal on ${signal}`, async () => {
      const name = `swarmdeck-${signal}-${process.pid}`;
      const s = await session(name);
      try {
        // The console is the shell's child: signal it by its pid, found under the pane's shell.
        const shell = s.pid();
        const child = Number(
          execFileSync('pgrep', ['-P', String(shell)], { encoding: 'utf8' })
            .trim()
            .split('\n')[0],
        );
        process.kill(child, signal);
        expect(await s.exitCode()).toBe('exit=0');
        expect(s.alternate()).toBe('0');
      } finally {
        s.close();
      }
    });
  }
});
