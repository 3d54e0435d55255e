import { truncate } from '../sanitize.js';

/** A table column: the lower its priority number, the longer it survives a narrow terminal. */
export interface Column {
  title: string;
  priority: number;
  /** How narrow a flexible column may be cut (12, or its title's width, when not given). */
  min?: number;
  /** May be cut (to `min`) before other columns are hidden; other columns are shown whole or hidden. */
  flex?: boolean;
  align?: 'left' | 'right';
  /** How a cell too long for its column is cut: at the end (`~`), or in the middle of an image reference. */
  shorten?: 'end' | 'image';
}

/** The widths a table is drawn with, and the columns left out (wide mode shows them). */
export interface Layout {
  widths: number[];
  /** Titles of the columns that did not fit, most important first. */
  hidden: string[];
  /** The whole table's width (wide mode: may be wider than the screen). */
  total: number;
}

/** The widest a column gets in wide mode: a cell of 10,000 characters must not make the table unusable. */
export const WIDE_CAP = 200;

/** The hidden-column marker at the end of the header line, ` +2>`: more to the right (the title bar says it in words). */
export const hiddenMarker = (hidden: string[]) => (hidden.length === 0 ? '' : ` +${hidden.length}>`);

const GAP = 2;

/**
 * Widths from the content: every column as wide as its widest cell when that fits; otherwise the
 * name column (priority 0) first, up to half the line, then a fair share for the rest (no column
 * cut below its minimum while another is wider than the share), and the least important hidden
 * only when even the minimums do not fit. Nothing is padded to fill the line.
 */
export function measureColumns(
  columns: { title: string; priority: number; min?: number; flex?: boolean }[],
  cellWidths: number[],
  width: number,
  wide = false,
): Layout {
  const natural = columns.map((c, i) => Math.max(c.title.length, cellWidths[i] ?? 0));
  if (wide) {
    const widths = natural.map((w) => Math.min(w, WIDE_CAP));
    return { widths, hidden: [], total: widths.reduce((s, w) => s + w + GAP, 0) - GAP };
  }
  const sum = (ws: number[]) => ws.reduce((s, w) => s + (w > 0 ? w + GAP : 0), 0) - (ws.some((w) => w > 0) ? GAP : 0);
  if (sum(natural) <= width) return { widths: natural, hidden: [], total: sum(natural) };
  // Only flexible columns are cut (a cut STATUS or MODE says nothing); the others show whole or not at all.
  const least = columns.map((c, i) => (c.flex ? Math.min(natural[i], c.min ?? Math.max(20, c.title.length)) : natural[i]));
  // The name column is not cut while a less important column is shown (up to half the line).
  const first = columns.reduce((best, c, i) => (c.priority < columns[best].priority ? i : best), 0);
  least[first] = Math.max(least[first], Math.min(natural[first], Math.floor(width / 2)));
  const visible = columns.map(() => true);
  const hidden: string[] = [];
  const minimum = () => sum(least.map((w, i) => (visible[i] ? w : 0))) + hiddenMarker(hidden).length;
  // Least important first (the last column among equals); the first column always stays.
  const order = columns.map((c, i) => ({ c, i })).sort((a, b) => b.c.priority - a.c.priority || b.i - a.i);
  for (const { i } of order) {
    if (minimum() <= width || visible.filter(Boolean).length === 1) break;
    if (i === first) continue;
    visible[i] = false;
    hidden.unshift(columns[i].title);
  }
  // A column hidden on the way that fits after all (a wide one went later) comes back.
  for (const { i } of [...order].reverse()) {
    if (visible[i]) continue;
    visible[i] = true;
    const at = hidden.indexOf(columns[i].title);
    hidden.splice(at, 1);
    if (minimum() > width) {
      visible[i] = false;
      hidden.splice(at, 0, columns[i].title);
    }
  }
  const shown = columns.map((_, i) => i).filter((i) => visible[i]);
  let budget = width - hiddenMarker(hidden).length - GAP * (shown.length - 1);
  const widths = columns.map(() => 0);
  // The name column first: it says which row is which.
  const name = first;
  const others = shown.filter((i) => i !== name);
  const othersLeast = others.reduce((s, i) => s + least[i], 0);
  widths[name] = Math.max(least[name], Math.min(natural[name], Math.floor(budget / 2), budget - othersLeast));
  budget -= widths[name];
  // A fair share for the rest: the largest share s with sum(clamp(s, least, natural)) within budget.
  const take = (s: number) => others.reduce((t, i) => t + Math.min(natural[i], Math.max(least[i], s)), 0);
  let lo = 0;
  let hi = Math.max(0, ...others.map((i) => natural[i]));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (take(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  for (const i of others) widths[i] = Math.min(natural[i], Math.max(least[i], lo));
  // What rounding left goes, a column at a time, to the most important columns still cut.
  let spare = budget - others.reduce((t, i) => t + widths[i], 0);
  for (const i of [...others].sort((a, b) => columns[a].priority - columns[b].priority)) {
    if (spare <= 0) break;
    const add = Math.min(spare, natural[i] - widths[i]);
    widths[i] += add;
    spare -= add;
  }
  if (spare > 0) widths[name] = Math.min(natural[name], widths[name] + spare);
  return { widths, hidden, total: sum(widths) };
}

/**
 * An image reference cut in the middle, keeping what tells images apart: the registry and the
 * name:tag at the end (`registry.example.com/.../api:1.4.2`), else the end of it.
 */
export function shortenImage(image: string, width: number): string {
  if (image.length <= width) return image;
  const parts = image.split('/');
  const last = parts.at(-1)!;
  if (parts.length > 1) {
    const kept = `${parts[0]}/.../${last}`;
    if (kept.length <= width && kept.length < image.length) return kept;
    if (`.../${last}`.length <= width) return `.../${last}`;
  }
  if (width <= 4) return truncate(last, width);
  // The tag end matters most: ~ and the last width-1 characters.
  return `~${last.slice(last.length - (width - 1))}`;
}
