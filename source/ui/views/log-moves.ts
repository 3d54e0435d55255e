import { bottomIndex, compileFilter, shownLogs } from './log-lines.js';
import { wrapIndex } from './shared.js';
import type { Movement, ViewContext } from './types.js';

/**
 * Moves in the logs: the position is the bottom line's number in the stream, so that lines arriving
 * while paused do not move what is read. Moving back pauses follow; G (the end) resumes it.
 */
export function moveInLogs(c: ViewContext, id: Movement): void {
  if (id === 'bottom') return c.patch((u) => ({ logs: { ...u.logs, follow: true, anchor: undefined } }));
  const shown = shownLogs(c.state, c.ui.logs);
  const total = shown.size;
  if (total === 0) return;
  const page = Math.max(1, c.bodyHeight - 1);
  const at = bottomIndex(shown, c.ui.logs);
  const next = { up: at - 1, down: at + 1, pageUp: at - page, pageDown: at + page, top: c.bodyHeight - 1 }[id];
  const clamped = Math.max(0, Math.min(total - 1, next));
  c.patch((u) => ({ logs: { ...u.logs, follow: false, anchor: shown.line(clamped).seq } }));
}

/**
 * Steps to the `index`th match, newest first (wrapping), and pauses there so that it stays on
 * screen: the match is the bottom line, with what led to it above.
 */
export function jumpToLogMatch(c: ViewContext, index: number): void {
  const { search } = c.ui.logs;
  if (!search) return c.status('no filter: / takes a pattern first', 'info');
  const shown = shownLogs(c.state, c.ui.logs);
  if (shown.matches.length === 0) return c.status(`no line matches /${search}`);
  const i = wrapIndex(index, shown.matches.length);
  const line = shown.line(shown.matches[i]);
  c.patch((u) => ({ logs: { ...u.logs, match: i, follow: false, anchor: line.seq } }));
  c.status(`match ${i + 1} of ${shown.matches.length} for /${search} (newest first)`, 'info');
}

/**
 * Sets the filter (/): only the matching lines are shown, and new ones keep arriving while
 * following. An invalid pattern is a message, and the filter before it stays.
 */
export function filterLogs(c: ViewContext, text: string): void {
  c.patch({ prompt: undefined });
  if (text) {
    const compiled = compileFilter(text);
    if (typeof compiled === 'string') return c.status(`${compiled}; the filter is unchanged`);
  }
  // A paused view stays where it was: positions are numbers in the stream, whatever the filter.
  c.patch((u) => ({ logs: { ...u.logs, search: text, match: -1 } }));
  if (!text) return;
  const shown = shownLogs(c.state, c.currentUi().logs);
  c.status(`/${text}: ${shown.matched} of ${shown.total} lines match; Tab shows every line with the matches highlighted, Esc clears`, 'info');
}
