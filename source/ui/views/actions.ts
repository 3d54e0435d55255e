import type { Row } from '../components/table.js';
import { ACTION_COLUMNS, actionRow } from '../present/rows.js';
import { cached } from './shared.js';
import type { ViewSpec } from './types.js';

const rowsCache = new WeakMap<object, Row[]>();

/** The action log: what this console changed, across sessions, with the docker command for each. */
export const actionsView: ViewSpec = {
  kind: 'actions',
  list({ state }) {
    // Newest first: the question is usually "what did I just do".
    const rows = cached(rowsCache, state.actions, () => state.actions.map(actionRow).reverse());
    return {
      title: `Action log (${rows.length})`,
      columns: ACTION_COLUMNS,
      rows,
      empty: 'no actions yet: what this console changes in a swarm is recorded here, with the docker command for each',
    };
  },
  // Enter shows the entry whole: the daemon's words and the command are often longer than their columns.
  open: (c) => {
    const record = c.selectedKey === undefined ? undefined : c.state.actions[Number(c.selectedKey)];
    if (record) return { kind: 'inspect', scope: { kind: 'action', id: c.selectedKey!, name: `of ${record.time.slice(0, 19).replace('T', ' ')}` } };
  },
  needs: () => ({ actions: true }),
};
