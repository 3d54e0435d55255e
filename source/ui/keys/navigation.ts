import { viewSpec } from '../views/index.js';
import type { Movement } from '../views/types.js';
import type { KeyContext } from './context.js';

export type { Movement };

/** Moves in whatever is shown: help, a pane (its own way: inspect text, the map, logs from the end), or a list. */
export function move(c: KeyContext, id: Movement): void {
  const { ui, bodyHeight } = c;
  if (ui.help) {
    // Help longer than the screen scrolls; the view under it stays where it was.
    const page = Math.max(1, bodyHeight - 2);
    const step = { up: -1, down: 1, pageUp: -page, pageDown: page, top: -1e6, bottom: 1e6 }[id];
    return c.patch((u) => ({ helpScroll: Math.max(0, Math.min(200, u.helpScroll + step)) }));
  }
  const pane = viewSpec(c.view.kind).pane;
  if (pane) return pane.move(c, id);
  const { rows, selectedIndex } = c;
  if (rows.length === 0) return;
  const page = Math.max(1, bodyHeight - 2);
  const next = {
    up: selectedIndex - 1,
    down: selectedIndex + 1,
    pageUp: selectedIndex - page,
    pageDown: selectedIndex + page,
    top: 0,
    bottom: rows.length - 1,
  }[id];
  const clamped = Math.max(0, Math.min(rows.length - 1, next));
  c.patch((u) => ({ selection: { ...u.selection, [c.key]: rows[clamped].key } }));
}
