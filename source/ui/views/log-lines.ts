import type { LogEntry } from '../../docker/demux.js';
import type { SwarmTask } from '../../docker/types.js';
import { STACK_LABEL } from '../../store/sync/log-feed.js';
import type { ClusterState, Scope } from '../../store/state.js';
import { maskUrlCredentials, SECRET_NAME } from '../present/diff.js';
import { inert } from '../sanitize.js';
import type { LogView } from '../ui-state.js';

/** A line of the logs view: a log line, or the console's own note that a task ended. */
export interface ShownLine {
  entry: LogEntry;
  /** Its number in the stream (lines dropped + index); a note takes the number of the line before it plus a half. */
  seq: number;
  note?: boolean;
}

/** What the logs view shows: the lines (filtered, or all), which of them match, and the counts for the title. */
export interface ShownLogs {
  /** How many lines are shown, and the `i`th of them, oldest first. */
  size: number;
  line(i: number): ShownLine;
  /** Indexes into `lines` of the matching log lines, newest first. */
  matches: number[];
  /** Log lines held, and how many of them match the filter. */
  total: number;
  matched: number;
  pattern?: RegExp;
}

/**
 * The filter as a regular expression: case-insensitive unless it has a capital letter (smartcase,
 * as k9s and ripgrep). Returns why it is not one, for the status line.
 */
export function compileFilter(text: string): RegExp | string {
  try {
    return new RegExp(text, /\p{Lu}/u.test(text) ? 'u' : 'iu');
  } catch (error) {
    return `/${text} is not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

const SECRET_ASSIGNMENT = /\b([A-Za-z0-9_.-]+)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/g;

/** A log line's text as shown and saved: control characters made inert, secret-looking assignments and URL credentials masked. */
export function shownText(entry: LogEntry): string {
  const text = maskUrlCredentials(inert(entry.text));
  return SECRET_NAME.test(text)
    ? text.replace(SECRET_ASSIGNMENT, (all, name: string, sep: string) => (SECRET_NAME.test(name) ? `${name}${sep}******` : all))
    : text;
}

const ENDED = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove']);
const title = (state: string) => state.charAt(0).toUpperCase() + state.slice(1);

/** Whether a task belongs to what the logs view shows. */
function inScope(task: SwarmTask, scope: Scope | undefined, state: ClusterState): boolean {
  if (!scope) return false;
  if (scope.kind === 'task') return task.ID === scope.id;
  if (scope.kind === 'service') return task.ServiceID === scope.id;
  if (scope.kind === 'stack') return state.services.some((s) => s.ID === task.ServiceID && s.Spec.Labels?.[STACK_LABEL] === scope.id);
  return false;
}

/**
 * A note for each task of the view that ran and has ended since the first line held: how it ended
 * and when (`task exited: Failed (exit 3) at 15:04:11`), from the task list the view keeps current.
 */
export function taskEndNotes(state: ClusterState): LogEntry[] {
  const first = state.logs.lines[0]?.time;
  if (first === undefined) return [];
  const notes: LogEntry[] = [];
  for (const task of state.tasks.items) {
    const ended = Date.parse(task.Status.Timestamp ?? '');
    if (!ENDED.has(task.Status.State) || !task.Status.ContainerStatus?.ContainerID || !(ended >= first) || !inScope(task, state.logs.scope, state)) continue;
    const code = task.Status.ContainerStatus.ExitCode;
    // dockerd's own "non-zero exit (3)" says again what the code says.
    const why = task.Status.Err && !/non-zero exit/.test(task.Status.Err) ? `: ${task.Status.Err}` : '';
    const text = `task exited: ${title(task.Status.State)}${code !== undefined ? ` (exit ${code})` : ''} at ${new Date(ended).toISOString().slice(11, 19)}${why}`;
    notes.push({ stream: 'stderr', time: ended, taskId: task.ID, serviceId: task.ServiceID, nodeId: task.NodeID, text });
  }
  return notes.sort((a, b) => a.time! - b.time!);
}

/** The lines and the notes, in time order, numbered. */
function withNotes(state: ClusterState, notes: LogEntry[]): ShownLine[] {
  const { lines, dropped } = state.logs;
  const out: ShownLine[] = [];
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    while (n < notes.length && notes[n].time! < (lines[i].time ?? Infinity)) out.push({ entry: notes[n++], seq: dropped + i - 0.5, note: true });
    out.push({ entry: lines[i], seq: dropped + i });
  }
  while (n < notes.length) out.push({ entry: notes[n++], seq: dropped + lines.length - 0.5, note: true });
  return out;
}

let last: { lines: LogEntry[]; tasks: SwarmTask[]; search: string; all: boolean; shown: ShownLogs } | undefined;

/**
 * What the logs view shows, derived once per change of the lines, the tasks or the filter (a key
 * press that changes none of them reuses it: 5,000 lines are filtered once, not on every key).
 * The task-ended notes pass every filter: they are the console's, not the service's.
 */
export function shownLogs(state: ClusterState, view: Pick<LogView, 'search' | 'all'>): ShownLogs {
  const { lines } = state.logs;
  const tasks = state.tasks.items;
  if (last && last.lines === lines && last.tasks === tasks && last.search === view.search && last.all === view.all) return last.shown;
  const compiled = view.search ? compileFilter(view.search) : undefined;
  const pattern = compiled instanceof RegExp ? compiled : undefined;
  const { dropped } = state.logs;
  const notes = taskEndNotes(state);
  let shown: ShownLogs;
  if (!pattern && notes.length === 0) {
    // The usual case while following a flood: nothing to build, each line numbered when drawn.
    shown = { size: lines.length, line: (i) => ({ entry: lines[i], seq: dropped + i }), matches: [], total: lines.length, matched: lines.length };
  } else if (!pattern) {
    const numbered = withNotes(state, notes);
    shown = { size: numbered.length, line: (i) => numbered[i], matches: [], total: lines.length, matched: lines.length };
  } else {
    const numbered = withNotes(state, notes);
    const hits = numbered.map((l) => !l.note && pattern.test(l.entry.text));
    const kept = view.all ? numbered : numbered.filter((l, i) => hits[i] || l.note);
    const keptHits = view.all ? hits : kept.map((l) => !l.note);
    const matches: number[] = [];
    for (let i = kept.length - 1; i >= 0; i--) if (keptHits[i]) matches.push(i);
    shown = { size: kept.length, line: (i) => kept[i], matches, total: lines.length, matched: hits.filter(Boolean).length, pattern };
  }
  last = { lines, tasks, search: view.search, all: view.all, shown };
  return shown;
}

/** The index of the bottom line shown: the newest while following, else the last at or before the anchor. */
export function bottomIndex(shown: ShownLogs, view: Pick<LogView, 'follow' | 'anchor'>): number {
  if (view.follow || view.anchor === undefined) return shown.size - 1;
  let lo = 0;
  let hi = shown.size - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (shown.line(mid).seq <= view.anchor) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // The anchored line was dropped from the buffer: the oldest held.
  return found < 0 ? Math.min(0, shown.size - 1) : found;
}
