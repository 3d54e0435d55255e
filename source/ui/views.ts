import type { SwarmNode, SwarmService } from '../docker/types.js';
import type { ClusterState } from '../store/state.js';
import type { Column, Row } from './components/table.js';
import { NODE_COLUMNS, nodeRow, SERVICE_COLUMNS, serviceRow, TASK_COLUMNS, taskRows } from './present/rows.js';
import type { View } from './ui-state.js';

/** What a list view shows. */
export interface ListModel {
  title: string;
  columns: Column[];
  rows: Row[];
  empty: string;
}

const byName = <T>(name: (t: T) => string) => (a: T, b: T) => name(a).localeCompare(name(b), undefined, { numeric: true });

/** Applies a view's filter: a case-insensitive substring of any cell. */
export function filterRows(rows: Row[], filter: string | undefined): Row[] {
  if (!filter) return rows;
  const needle = filter.toLowerCase();
  return rows.filter((row) => row.cells.some((cell) => cell.toLowerCase().includes(needle)));
}

/** Running tasks per node id, from whatever task listing is loaded (see Sync.nodeTaskCounts). */
export type TaskCounts = Map<string, number>;

/** Rows, columns and title of a list view, from cluster state. */
export function listModel(view: View, state: ClusterState, now: number, counts?: TaskCounts): ListModel {
  if (view.kind === 'nodes') {
    const nodes = [...state.nodes].sort(byName((n: SwarmNode) => n.Description?.Hostname ?? n.ID));
    return {
      title: `Nodes (${nodes.length})`,
      columns: NODE_COLUMNS,
      rows: nodes.map((n) => nodeRow(n, counts?.get(n.ID))),
      empty: state.loaded.nodes ? 'no nodes' : 'loading nodes...',
    };
  }
  if (view.kind === 'services') {
    const services = [...state.services].sort(byName((s: SwarmService) => s.Spec.Name ?? ''));
    return {
      title: `Services (${services.length})`,
      columns: SERVICE_COLUMNS,
      rows: services.map(serviceRow),
      empty: state.loaded.services ? 'no services: create one with `docker service create`' : 'loading services...',
    };
  }
  const services = new Map(state.services.map((s) => [s.ID, s]));
  const nodes = new Map(state.nodes.map((n) => [n.ID, n]));
  const scope = view.scope;
  const items = scope && state.tasks.scope?.id === scope.id ? state.tasks.items : [];
  const current = items.filter((t) => t.DesiredState === 'running').length;
  return {
    title: scope ? `Tasks of ${scope.kind} ${scope.name} (${current} current, ${items.length - current} in history)` : 'Tasks',
    columns: TASK_COLUMNS,
    rows: taskRows(items, services, nodes, now),
    empty: !scope ? 'select a service or node and press Enter' : state.tasks.loaded ? 'no tasks' : 'loading tasks...',
  };
}
