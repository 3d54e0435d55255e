import type { ClusterState } from '../store/state.js';
import { renderFrame } from '../ui/render-frame.js';
import { CHROME_ROWS, Screen } from '../ui/screen.js';
import { initialUi, type View } from '../ui/ui-state.js';
import { viewRows, viewSpec } from '../ui/views/index.js';
import type { ViewEnv } from '../ui/views/types.js';

/** The UI of a --once frame: the view, not following logs. */
export const onceUi = (view: View) => ({ ...initialUi(view), logs: { ...initialUi().logs, follow: false } });

/** The body rows a view's content needs: a script gets its lines, not a terminal's worth of padding. */
function contentRows(env: ViewEnv): number {
  const spec = viewSpec(env.view.kind);
  if (spec.pane) return spec.pane.contentRows(env);
  return Math.max(1, viewRows(env).rows.length) + 1 + (spec.banner?.(env).length ?? 0);
}

/** One frame of a view as text (colour codes included), for --once: as tall as its content, at most `height` rows. */
export function onceFrame(state: ClusterState, view: View, width: number, height: number, readOnly: boolean): string {
  const ui = onceUi(view);
  const now = Date.now();
  const rows = Math.min(height, CHROME_ROWS + contentRows({ view, state, ui, now, width, bodyHeight: height - CHROME_ROWS }));
  return renderFrame(<Screen state={state} ui={ui} width={width} height={rows} now={now} readOnly={readOnly} />, width, rows);
}
