import type { ClusterState } from './store/state.js';
import { inspectText, mapNodes } from './ui/panes.js';
import { renderFrame } from './ui/render-frame.js';
import { bannerLines, CHROME_ROWS, Screen } from './ui/screen.js';
import { initialUi, type UiState, type View } from './ui/ui-state.js';
import { filterRows, isListView, listModel } from './ui/views.js';

/** The body rows a view's content needs: a script gets its lines, not a terminal's worth of padding. */
function contentRows(state: ClusterState, ui: UiState, view: View, width: number, height: number, now: number): number {
  if (isListView(view.kind)) {
    const rows = filterRows(listModel(view, state, now, state.counts).rows, undefined).length;
    return Math.max(1, rows) + 1 + bannerLines(view, state, now, width, height - CHROME_ROWS).length;
  }
  if (view.kind === 'logs') return Math.max(1, state.logs.lines.length);
  if (view.kind === 'inspect') return Math.max(1, inspectText(state, ui).lines.length);
  const tasks = mapNodes(state).map((n) => state.nodeTasks.get(n.ID)?.length ?? 0);
  return 3 + Math.max(0, ...tasks);
}

/** One frame of a view as text (colour codes included), for --once: as tall as its content, at most `height` rows. */
export function onceFrame(state: ClusterState, view: View, width: number, height: number, readOnly: boolean): string {
  const ui = { ...initialUi(view), logs: { ...initialUi().logs, follow: false } };
  const now = Date.now();
  const rows = Math.min(height, CHROME_ROWS + contentRows(state, ui, view, width, height, now));
  return renderFrame(<Screen state={state} ui={ui} width={width} height={rows} now={now} readOnly={readOnly} counts={state.counts} />, width, rows);
}
