import type { SwarmNode } from '../../docker/types.js';
import type { Row } from '../components/table.js';
import { windowStart } from '../components/table.js';
import { NODE_COLUMNS, nodeRow } from '../present/rows.js';
import { byName, cached, nodeScope } from './shared.js';
import type { ViewSpec } from './types.js';
import { managerQuorum } from '../../store/state.js';
import { ago } from '../present/format.js';
import { theme } from '../theme.js';

const rowsCache = new WeakMap<object, WeakMap<object, Row[]>>();
const NO_COUNTS = new Map<string, number>();

/** The nodes view: `docker node ls`, with running tasks per node (listed for the rows on screen only). */
export const nodesView: ViewSpec = {
  kind: 'nodes',
  root: true,
  list({ state }) {
    const counts = state.counts ?? NO_COUNTS;
    const byCounts = cached(rowsCache, state.nodes, () => new WeakMap<object, Row[]>());
    const rows = cached(byCounts, counts, () =>
      [...state.nodes].sort(byName((n: SwarmNode) => n.Description?.Hostname ?? n.ID)).map((n) => nodeRow(n, counts.get(n.ID))),
    );
    return { title: `Nodes (${rows.length})`, columns: NODE_COLUMNS, rows, empty: state.loaded.nodes ? 'no nodes' : 'loading nodes...' };
  },
  // Without a leader the list cannot be read again: a downed manager would still say Reachable.
  banner({ state, now }) {
    const { noLeader, lastOk } = state.connection;
    if (!noLeader) return [];
    const { reachable, managers } = managerQuorum(state);
    return [
      {
        text: `No leader (${reachable} of ${managers} managers reachable): STATUS and MANAGER STATUS below are as of ${lastOk === undefined ? 'the last listing' : ago(lastOk, now)}, not now`,
        color: theme.bad,
      },
    ];
  },
  selected(c) {
    const node = c.state.nodes.find((n) => n.ID === c.selectedKey);
    return node && nodeScope(node);
  },
  open(c) {
    const scope = nodesView.selected!(c);
    return scope && { kind: 'tasks', scope };
  },
  // Per-node task counts for the rows on screen only: at 1,000 nodes, not 50,000 tasks.
  needs({ bodyHeight }, { rows, selectedIndex }) {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    return { nodes: { ids: rows.slice(start, start + bodyHeight - 1).map((r) => r.key), poll: false } };
  },
};
