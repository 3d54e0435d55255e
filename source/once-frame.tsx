import type { ClusterState } from './store/state.js';
import { renderFrame } from './ui/render-frame.js';
import { Screen } from './ui/screen.js';
import { initialUi, type View } from './ui/ui-state.js';

/** One frame of a view as text (colour codes included), for --once. */
export function onceFrame(state: ClusterState, view: View, width: number, height: number, readOnly: boolean): string {
  const ui = { ...initialUi(view), logs: { ...initialUi().logs, follow: false } };
  return renderFrame(<Screen state={state} ui={ui} width={width} height={height} now={Date.now()} readOnly={readOnly} counts={state.counts} />, width, height);
}
