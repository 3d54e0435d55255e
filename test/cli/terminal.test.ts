import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// The live console in a real terminal (tmux), as a user runs it. Skipped, and said so, without tmux.
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasTmux) console.warn('SKIP: no tmux on PATH; the terminal restoration tests are skipped');
const cli = join(import.meta.dirname, '../../dist/cli.js');
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function session(name: string, width = 80, height = 24, env = '') {
  const marker = `/tmp/${name}.exit`;
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `${env} node ${cli} --sim; echo "exit=$?" > ${marker}; sleep 60`);
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
  test('--sim --scenario large says what it is starting while it builds, instead of a blank screen', async () => {
    const name = `swarmdeck-large-${process.pid}`;
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', `node ${cli} --sim --scenario large; sleep 60`);
    try {
      let seen = '';
      for (let i = 0; i < 200 && !seen.includes('Services (500)'); i++) {
        const screen = tmux('capture-pane', '-p', '-t', name);
        if (screen.includes('starting the simulated swarm')) seen += `${screen}\n`;
        if (screen.includes('Services (500)')) seen += screen;
        await sleep(25);
      }
      expect(seen).toMatch(
        /starting the simulated swarm \(1,000 nodes, 500 services, 50,000 tasks\): (creating them|placing the tasks|running its last hour)\.\.\./,
      );
      expect(seen).toContain('Services (500)');
      tmux('send-keys', '-t', name, 'q');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', name]);
    }
  }, 30_000);

  test('e hands the terminal to the editor (main screen, line mode) and comes back intact, with nothing of it left', async () => {
    const name = `swarmdeck-edit-${process.pid}`;
    const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-editor-'));
    const editor = join(dir, 'editor.sh');
    // A full-screen editor stand-in: clears the screen, waits for a line (which needs cooked mode), then edits.
    writeFileSync(
      editor,
      `#!/bin/sh\nprintf '\\033[2J\\033[HFULL SCREEN EDITOR on %s\\n' "$1"\nread line\nsed -i 's/nginx:1.27-alpine/nginx:1.28-alpine/' "$1"\n`,
      { mode: 0o755 },
    );
    const s = await session(name, 100, 30, `EDITOR=${editor}`);
    try {
      for (let i = 0; i < 5; i++) tmux('send-keys', '-t', name, 'j');
      await sleep(300);
      tmux('send-keys', '-t', name, 'e');
      for (let i = 0; i < 50 && !s.screen().includes('FULL SCREEN EDITOR'); i++) await sleep(100);
      expect(s.screen()).toContain('FULL SCREEN EDITOR on ');
      expect(s.alternate()).toBe('0');
      tmux('send-keys', '-t', name, 'Enter');
      for (let i = 0; i < 50 && !s.screen().includes('Apply these changes to web?'); i++) await sleep(100);
      const back = s.screen();
      expect(s.alternate()).toBe('1');
      expect(back).toContain('Apply these changes to web?');
      expect(back).toContain('TaskTemplate.ContainerSpec.Image: nginx:1.27-alpine -> nginx:1.28-alpine');
      expect(back.split('\n')[0]).toContain('swarmdeck simulated swarm (tutorial)');
      expect(back).not.toContain('FULL SCREEN EDITOR');
    } finally {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

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
