import type { SwarmNode, SwarmService } from '../../docker/types.js';
import { hostname } from '../../store/checks.js';
import type { Scope } from '../../store/state.js';
import type { Row } from '../components/table.js';
import { naturalCompare } from '../present/format.js';

/** Sorts by a name, naturally (node-2 before node-10). */
export const byName =
  <T>(name: (t: T) => string) =>
  (a: T, b: T) =>
    naturalCompare(name(a), name(b));

/** Caches a value per source array, so that a list is sorted and turned into rows once per change, not per key. */
export function cached<S extends object, T>(cache: WeakMap<S, T>, source: S, make: () => T): T {
  let value = cache.get(source);
  if (value === undefined) {
    value = make();
    cache.set(source, value);
  }
  return value;
}

export { hostname };

/** A service as a scope (tasks, logs, events, inspect). */
export const serviceScope = (s: SwarmService): Scope => ({ kind: 'service', id: s.ID, name: s.Spec.Name ?? s.ID });

/** A node as a scope. */
export const nodeScope = (n: SwarmNode): Scope => ({ kind: 'node', id: n.ID, name: hostname(n) });

/** Applies a view's filter: a case-insensitive substring of any cell. */
export function filterRows(rows: Row[], filter: string | undefined): Row[] {
  if (!filter) return rows;
  const byFilter = filterCache.get(rows);
  if (byFilter?.key === filter) return byFilter.rows;
  const needle = filter.toLowerCase();
  const filtered = rows.filter((row) => row.cells.some((cell) => cell.toLowerCase().includes(needle)));
  filterCache.set(rows, { key: filter, rows: filtered });
  return filtered;
}
const filterCache = new WeakMap<Row[], { key: string; rows: Row[] }>();

/** Wraps a match index around the number of matches. */
export const wrapIndex = (index: number, count: number) => ((index % count) + count) % count;
