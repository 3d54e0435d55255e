import type { StatusMessage } from '../../store/state.js';
import type { Column, Row } from '../components/table.js';
import { inert } from '../sanitize.js';
import { cached } from './shared.js';
import type { ViewSpec } from './types.js';

const COLUMNS: Column[] = [
  { title: 'TIME', priority: 0 },
  { title: 'KIND', priority: 2 },
  { title: 'MESSAGE', priority: 1, flex: true },
];

const rowsCache = new WeakMap<object, Row[]>();

const row = (m: StatusMessage, index: number): Row => ({
  key: `${index}`,
  cells: [new Date(m.at).toISOString().slice(11, 19), m.kind, inert(m.text)],
  color: m.kind === 'error' ? 'red' : undefined,
});

/** The status line's history: every message of this session, newest first, errors red. */
export const messagesView: ViewSpec = {
  kind: 'messages',
  list({ state }) {
    const rows = cached(rowsCache, state.messages, () => state.messages.map(row).reverse());
    return {
      title: `Messages (${rows.length})`,
      columns: COLUMNS,
      rows,
      empty: 'no messages yet: what the status line says is kept here for the session (times in UTC)',
    };
  },
  needs: () => ({}),
};
