import type { Column, Row } from '../components/table.js';
import { naturalCompare } from '../present/format.js';
import type { SortKey } from '../ui-state.js';

export type { SortKey };

/** Every sort key, as typed after `:sort`. */
export const SORT_KEYS: readonly SortKey[] = ['cpu', 'mem', 'name'];

/** The column titles each key orders by, first found wins: any view whose columns include one can be ordered by it. */
const COLUMN_TITLES: Record<SortKey, string[]> = { cpu: ['CPU'], mem: ['MEM'], name: ['NAME', 'HOSTNAME'] };

/** How the title bar says the order: figures highest first, names A to Z. */
export const sortLabel = (key: SortKey) => `sorted by ${key.toUpperCase()}`;

/** The column a key orders by in these columns (-1: the view has none). */
export const sortColumn = (columns: readonly Column[], key: SortKey) => {
  for (const title of COLUMN_TITLES[key]) {
    const index = columns.findIndex((c) => c.title === title);
    if (index >= 0) return index;
  }
  return -1;
};

const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** The figure a cell shows, for ordering: `12.5%` is 12.5, `24.1MiB/64MiB` is its first size in bytes; blank, `-` and words are none. */
export function cellFigure(cell: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%|[KMGT]?i?B)?/i.exec(cell);
  if (!match) return undefined;
  const value = Number.parseFloat(match[1]);
  const unit = match[2]?.toLowerCase();
  return unit && unit !== '%' ? value * (UNITS[unit] ?? 1) : value;
}

const cache = new WeakMap<Row[], { key: SortKey; column: number; rows: Row[] }>();

/**
 * The rows in a key's order: CPU and MEM highest first, names A to Z (naturally); rows with no
 * figure yet (not sampled, not running, a node not reached) last, in the view's own order. A row
 * that belongs under another (a task's history) moves with it. Unchanged when the view has no such column.
 */
export function sortRows(rows: Row[], columns: readonly Column[], key: SortKey | undefined): Row[] {
  if (!key) return rows;
  const column = sortColumn(columns, key);
  if (column < 0) return rows;
  const hit = cache.get(rows);
  if (hit && hit.key === key && hit.column === column) return hit.rows;
  // Groups: a row and the rows under it.
  const groups: { lead: Row; rows: Row[]; index: number }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (row.under && last) last.rows.push(row);
    else groups.push({ lead: row, rows: [row], index: groups.length });
  }
  let ordered;
  if (key === 'name') {
    const name = (r: Row) => (r.cells[column] ?? '').trim();
    ordered = groups.sort((a, b) => naturalCompare(name(a.lead), name(b.lead)) || a.index - b.index);
  } else {
    const figure = (r: Row) => r.sort?.[key] ?? cellFigure(r.cells[column] ?? '');
    const keyed = groups.map((g) => ({ g, value: figure(g.lead) }));
    keyed.sort((a, b) => {
      if (a.value === undefined || b.value === undefined) return a.value === b.value ? a.g.index - b.g.index : a.value === undefined ? 1 : -1;
      return b.value - a.value || a.g.index - b.g.index;
    });
    ordered = keyed.map((k) => k.g);
  }
  const sorted = ordered.flatMap((g) => g.rows);
  cache.set(rows, { key, column, rows: sorted });
  return sorted;
}
