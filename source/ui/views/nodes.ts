import type { SwarmNode } from '../../docker/types.js';
import type { Column, Row } from '../components/table.js';
import { windowStart } from '../components/table.js';
import { NODE_COLUMNS, nodeRow } from '../present/rows.js';
import { nodeStatsCells, sampleable, unreachableNote } from '../present/stats.js';
import type { ClusterState } from '../../store/state.js';
import { byName, cached, nodeScope } from './shared.js';
import type { ViewSpec } from './types.js';
import { managerQuorum } from '../../store/state.js';
import { ago } from '../present/format.js';
import { theme } from '../theme.js';

const rowsCache = new WeakMap<object, WeakMap<object, Row[]>>();
const NO_COUNTS = new Map<string, number>();

/**
 * The node columns with CPU and MEM after the capacity (CPUS, MEMORY): what its running tasks'
 * containers use of it. They outlive the capacity on a narrow terminal (which node is full is the
 * question; its size is in its detail), and give way before TASKS.
 */
const COLUMNS: Column[] = [
  ...NODE_COLUMNS.slice(0, 8),
  { title: 'CPU', priority: 4.5, align: 'right' },
  { title: 'MEM', priority: 4.5, align: 'right' },
  ...NODE_COLUMNS.slice(8),
];

/** Rows with figures, by base rows, then stats (the task lists change with the base rows' counts). */
const statsCache = new WeakMap<object, WeakMap<object, Row[]>>();

/** The node rows with their CPU and MEM cells. */
function withStats(rows: Row[], state: ClusterState): Row[] {
  const byStats = cached(statsCache, rows, () => new WeakMap<object, Row[]>());
  const nodes = new Map(state.nodes.map((n) => [n.ID, n]));
  return cached(byStats, state.stats, () =>
    rows.map((r) => {
      const node = nodes.get(r.key);
      const cells = node ? nodeStatsCells(node, state.nodeTasks.get(r.key), state.stats) : ['', ''];
      return { ...r, cells: [...r.cells.slice(0, 8), ...cells, ...r.cells.slice(8)] };
    }),
  );
}

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
    const title = `Nodes (${rows.length})${unreachableNote(state.stats, state.nodeTasks.keys())}`;
    return { title, columns: COLUMNS, rows: withStats(rows, state), empty: state.loaded.nodes ? 'no nodes' : 'loading nodes...' };
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
  // Per-node task counts, and their containers' use, for the rows on screen only: at 1,000 nodes, not 50,000 tasks.
  needs({ state, bodyHeight }, { rows, selectedIndex }) {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    const ids = rows.slice(start, start + bodyHeight - 1).map((r) => r.key);
    const stats = ids.flatMap((id) => (state.nodeTasks.get(id) ?? []).flatMap((t) => (sampleable(t) ? [sampleable(t)!] : [])));
    return { nodes: { ids, poll: false }, stats };
  },
};
