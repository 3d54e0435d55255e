import { inspectText, mapColumns, mapNodes } from '../panes.js';
import type { KeyContext } from './context.js';

/** The movement commands: one row, a page, or to either end. */
export type Movement = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** Moves the map's selection by `delta` nodes, clamped to the ends. */
export function moveOnMap(c: KeyContext, delta: number): void {
  const nodes = mapNodes(c.state);
  if (nodes.length === 0) return;
  const at = Math.max(
    0,
    nodes.findIndex((n) => n.ID === c.ui.selection.map),
  );
  const next = nodes[Math.max(0, Math.min(nodes.length - 1, at + delta))];
  c.patch((u) => ({ selection: { ...u.selection, map: next.ID } }));
}

/** Moves in whatever the view shows: help, inspect text, the map, logs (from the end), or a list. */
export function move(c: KeyContext, id: Movement): void {
  const { ui, view, bodyHeight } = c;
  if (ui.help) {
    // Help longer than the screen scrolls; the view under it stays where it was.
    const page = Math.max(1, bodyHeight - 2);
    const step = { up: -1, down: 1, pageUp: -page, pageDown: page, top: -1e6, bottom: 1e6 }[id];
    return c.patch((u) => ({ helpScroll: Math.max(0, Math.min(200, u.helpScroll + step)) }));
  }
  if (view.kind === 'inspect') {
    const total = inspectText(c.state, ui).lines.length;
    const page = Math.max(1, bodyHeight - 1);
    const scroll = ui.inspect.scroll;
    const next = { up: scroll - 1, down: scroll + 1, pageUp: scroll - page, pageDown: scroll + page, top: 0, bottom: total - bodyHeight }[id];
    return c.patch((u) => ({ inspect: { ...u.inspect, scroll: Math.max(0, Math.min(Math.max(0, total - bodyHeight), next)) } }));
  }
  if (view.kind === 'map') {
    const columns = mapColumns(c.width);
    const delta = { up: -1, down: 1, pageUp: -columns, pageDown: columns, top: -1e9, bottom: 1e9 }[id];
    return moveOnMap(c, delta);
  }
  if (view.kind === 'logs') {
    const total = c.state.logs.lines.length;
    const page = Math.max(1, bodyHeight - 1);
    const scroll = ui.logs.scroll;
    const next = { up: scroll + 1, down: scroll - 1, pageUp: scroll + page, pageDown: scroll - page, top: total - 1, bottom: 0 }[id];
    const clamped = Math.max(0, Math.min(Math.max(0, total - 1), next));
    // Scrolling back pauses follow; returning to the end (G) resumes it.
    return c.patch((u) => ({ logs: { ...u.logs, scroll: clamped, follow: clamped === 0 && (id === 'bottom' || u.logs.follow) } }));
  }
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
