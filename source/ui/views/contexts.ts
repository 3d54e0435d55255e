import type { Column } from '../components/table.js';
import { inert } from '../sanitize.js';
import type { ViewSpec } from './types.js';

const COLUMNS: Column[] = [
  { title: 'NAME', priority: 0 },
  { title: 'DOCKER ENDPOINT', priority: 1, flex: true },
];

/** The docker contexts on this machine (`docker context ls`); Enter switches to one without restarting. */
export const contextsView: ViewSpec = {
  kind: 'contexts',
  list({ state }) {
    const rows = state.contexts.map((c) => ({
      key: c.name,
      cells: [inert(c.name) + (c.current ? ' *' : ''), inert(c.host)],
      color: c.current ? 'green' : undefined,
    }));
    return { title: `Docker contexts (${rows.length}; Enter switches)`, columns: COLUMNS, rows, empty: 'no docker contexts' };
  },
  open(c) {
    const name = c.selectedKey;
    if (!name) return;
    void c.sync.switchContext(name).then((switched) => switched && c.goTo({ kind: 'services' }));
    c.status(`switching to context ${name}...`, 'info');
  },
  needs: () => ({ contexts: true }),
};
