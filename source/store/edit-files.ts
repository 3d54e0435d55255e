import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The private files an edit writes a spec to (a spec can hold passwords): in a directory named
 * with the console's pid, removed when the edit ends, when the console exits, and, when a console
 * was killed before it could, by the next console that starts.
 */

const PREFIX = 'swarmdeck-edit-';
const live = new Set<string>();
let hooked = false;

/** Removes every edit directory this process still has (a console that quits mid-edit). */
const removeLive = () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
};

/** Writes `text` to a new private file for an edit of `name`; returns the directory and file. */
export function createEditFile(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeLive);
  }
  // The name comes from the swarm: only its safe characters go into a path.
  const file = join(dir, `${name.replace(/[^\w.-]/g, '_').slice(0, 60) || 'spec'}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  return { dir, file };
}

/** Removes an edit's directory (its file and anything the editor left beside it). */
export function removeEditFile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** True when a process with this pid runs (or runs as someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the edit directories consoles that were killed left behind (theirs by the pid in the
 * name, which no longer runs); those of running consoles are left alone. Returns what it removed.
 */
export function removeStaleEditFiles(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!match || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    const path = join(dir, name);
    try {
      // Only our own: another user's directory in a shared /tmp is not ours to remove.
      if (uid !== undefined && statSync(path).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours: nothing to do.
    }
  }
  return removed;
}
