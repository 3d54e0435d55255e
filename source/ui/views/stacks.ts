import type { Row } from '../components/table.js';
import { STACK_COLUMNS, stackRows } from '../present/resources.js';
import { cached } from './shared.js';
import type { ViewSpec } from './types.js';

const rowsCache = new WeakMap<object, Row[]>();

/** The stacks view: services grouped by com.docker.stack.namespace, as `docker stack ls`. */
export const stacksView: ViewSpec = {
  kind: 'stacks',
  list({ state }) {
    const rows = cached(rowsCache, state.services, () => stackRows(state.services));
    return {
      title: `Stacks (${rows.length})`,
      columns: STACK_COLUMNS,
      rows,
      empty: state.loaded.services ? 'no stacks: deploy one with :deploy FILE [STACK] (its plan first), or docker stack deploy' : 'loading services...',
    };
  },
  open: (c) => (c.selectedKey ? { kind: 'services', scope: { kind: 'stack', id: c.selectedKey, name: c.selectedKey } } : undefined),
  needs: () => ({}),
};
