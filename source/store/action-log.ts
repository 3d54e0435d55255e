import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** One action the console sent (or refused), as the action log keeps it. */
export interface ActionRecord {
  /** ISO time the action finished. */
  time: string;
  /** The manager it went to (the header's endpoint). */
  endpoint: string;
  /** The service or node it acted on. */
  target: string;
  /** What the user asked, in the status line's words ("scale web to 4"). */
  action: string;
  /** "done", "refused: ..." or "failed: <the daemon's message>". */
  result: string;
  /** The docker CLI command that does the same. */
  command: string;
}

/** Where the action log lives: $XDG_STATE_HOME/swarmdeck/actions.log (default ~/.local/state). */
export function defaultActionLogPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'swarmdeck', 'actions.log');
}

/** The most entries read back for the action log view. */
export const ACTION_LOG_SHOWN = 500;

/**
 * Appends one JSON line per action to a file that outlives the session, so that "who drained
 * core-03 last night" has an answer. A log that cannot be written never blocks the action: the
 * failure is kept in `error` for the view to show.
 */
export class ActionLog {
  /** Why the last write failed, if it did. */
  error?: string;

  constructor(readonly path: string = defaultActionLogPath()) {}

  /** Records an action. */
  append(record: ActionRecord): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      this.error = undefined;
    } catch (error) {
      this.error = `could not write the action log ${this.path}: ${(error as Error).message}`;
    }
  }

  /** The newest records, oldest first; lines that are not records (a torn write, a hand edit) are skipped. */
  read(limit = ACTION_LOG_SHOWN): ActionRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    const records: ActionRecord[] = [];
    for (const line of text.split('\n').slice(-limit - 1)) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as ActionRecord;
        if (typeof record?.time === 'string' && typeof record.command === 'string') records.push(record);
      } catch {
        // skipped: see above
      }
    }
    return records.slice(-limit);
  }
}
