import type { CommandId } from '../../keymap/bindings.js';
import { viewSpec } from '../views/index.js';
import { SORT_KEYS, sortColumn, sortLabel, type SortKey } from '../views/sort.js';
import type { KeyContext } from './context.js';

/** Orders the list on screen by CPU, MEM or NAME (UI state of this view); a view without that column says so. */
export function sortBy(c: KeyContext, key: SortKey): void {
  const spec = viewSpec(c.view.kind);
  const model = spec.list?.(c);
  if (!model || sortColumn(model.columns, key) < 0) return c.status(`this view has no ${key.toUpperCase()} column to sort by`, 'info');
  c.patch((u) => ({ sorts: { ...u.sorts, [c.key]: key } }));
  c.status(`${sortLabel(key)}${key === 'name' ? ', A to Z' : ', highest first; not yet sampled last'}`, 'info');
}

/** `:sort cpu|mem|name`; `:sort` alone goes back to the view's own order. */
export function sortCommand(c: KeyContext, args: string[]): void {
  const word = args[0]?.toLowerCase();
  if (!word) {
    c.patch((u) => ({ sorts: { ...u.sorts, [c.key]: undefined } }));
    return c.status("back to the view's own order", 'info');
  }
  const key = SORT_KEYS.find((k) => k === word);
  if (!key) return c.status(`:sort takes ${SORT_KEYS.join(', ')}, not "${args[0]}"`);
  sortBy(c, key);
}

/** The sort keys' handlers. */
export const SORT_COMMANDS: Record<Extract<CommandId, `sort.${string}`>, (c: KeyContext) => void> = {
  'sort.cpu': (c) => sortBy(c, 'cpu'),
  'sort.mem': (c) => sortBy(c, 'mem'),
  'sort.name': (c) => sortBy(c, 'name'),
};
