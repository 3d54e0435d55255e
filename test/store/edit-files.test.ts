import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createEditFile, removeEditFile, removeStaleEditFiles } from '../../source/store/edit-files.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('edit files', () => {
  test('an edit file is private, named with the pid, and removed with its directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'sdm-edit-files-'));
    const made = createEditFile('web/../x', 'Name: web\n');
    expect(made.dir).toMatch(new RegExp(`swarmdeck-edit-${process.pid}-`));
    expect(made.file.startsWith(made.dir)).toBe(true);
    expect(readFileSync(made.file, 'utf8')).toBe('Name: web\n');
    expect(statSync(made.file).mode & 0o777).toBe(0o600);
    removeEditFile(made.dir);
    expect(existsSync(made.dir)).toBe(false);
  });

  test('at start, the files of a console that no longer runs are removed; those of running ones are left', () => {
    dir = mkdtempSync(join(tmpdir(), 'sdm-edit-files-'));
    // A pid that ran and has ended: a child that exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const mk = (name: string) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'web.yaml'), 'secret');
      return join(dir, name);
    };
    const stale = mk(`swarmdeck-edit-${dead}-abc`);
    const mine = mk(`swarmdeck-edit-${process.pid}-def`);
    const running = mk(`swarmdeck-edit-${process.ppid}-ghi`);
    const other = mk('something-else');
    expect(removeStaleEditFiles(dir)).toEqual([stale]);
    expect([existsSync(stale), existsSync(mine), existsSync(running), existsSync(other)]).toEqual([false, true, true, true]);
  });
});
