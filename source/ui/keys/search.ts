import { inspectText } from '../panes.js';
import type { KeyContext } from './context.js';

/** Wraps a match index around the number of matches. */
const wrap = (index: number, count: number) => ((index % count) + count) % count;

/** Indexes of the log lines containing `search` (any case), newest first. */
function logMatches(c: KeyContext, search: string): number[] {
  const needle = search.toLowerCase();
  const lines = c.store.getSnapshot().logs.lines;
  const out: number[] = [];
  if (!needle) return out;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].text.toLowerCase().includes(needle)) out.push(i);
  return out;
}

/** Scrolls the logs to the `index`th match (wrapping), and stops following so that it stays there. */
export function jumpToLogMatch(c: KeyContext, index: number, search = c.ui.logs.search): void {
  const found = logMatches(c, search);
  if (found.length === 0) {
    if (search) c.status(`no line matches /${search}`);
    return;
  }
  const i = wrap(index, found.length);
  const lines = c.store.getSnapshot().logs.lines.length;
  // Put the match at the bottom of the pane.
  c.patch((u) => ({ logs: { ...u.logs, match: i, follow: false, scroll: lines - 1 - found[i] } }));
  c.status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
}

/** Scrolls the inspect text to the `index`th line containing `search` (wrapping). */
export function jumpToInspectMatch(c: KeyContext, index: number, search = c.ui.inspect.search): void {
  const needle = search.toLowerCase();
  const { lines } = inspectText(c.store.getSnapshot(), c.currentUi());
  const found: number[] = [];
  if (needle) lines.forEach((line, i) => line.toLowerCase().includes(needle) && found.push(i));
  if (found.length === 0) {
    if (search) c.status(`nothing matches /${search}`);
    return;
  }
  const i = wrap(index, found.length);
  // The match a few lines below the top, with its context above it.
  c.patch((u) => ({ inspect: { ...u.inspect, match: i, scroll: Math.max(0, found[i] - 3) } }));
  c.status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
}
