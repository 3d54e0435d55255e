import type { SwarmNode, SwarmService } from '../docker/types.js';
import { EVENT_HISTORY_SECONDS, type ClusterState } from '../store/state.js';
import type { Column, Row } from './components/table.js';
import { ACTION_COLUMNS, actionRow, NODE_COLUMNS, nodeRow, SERVICE_COLUMNS, serviceRow, TASK_COLUMNS, taskRows } from './present/rows.js';
import type { View } from './ui-state.js';
import { naturalCompare } from './present/format.js';
import { inert } from './sanitize.js';
import { CONFIG_COLUMNS, configRow, EVENT_COLUMNS, eventRows, NETWORK_COLUMNS, networkRow, STACK_COLUMNS, stackOf, stackRows } from './present/resources.js';

/** What a list view shows. */
export interface ListModel {
  title: string;
  columns: Column[];
  rows: Row[];
  empty: string;
}

const byName =
  <T>(name: (t: T) => string) =>
  (a: T, b: T) =>
    naturalCompare(name(a), name(b));

/** Caches a value per source array, so that a list is sorted and turned into rows once per change, not per key. */
function cached<S extends object, T>(cache: WeakMap<S, T>, source: S, make: () => T): T {
  let value = cache.get(source);
  if (value === undefined) {
    value = make();
    cache.set(source, value);
  }
  return value;
}
const nodeRowsCache = new WeakMap<object, WeakMap<object, Row[]>>();
const serviceRowsCache = new WeakMap<object, Row[]>();
const actionRowsCache = new WeakMap<object, Row[]>();
const CONTEXT_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, max: 30 },
  { title: 'DOCKER ENDPOINT', priority: 1, max: 80, flex: true },
];
const stackRowsCache = new WeakMap<object, Row[]>();
const resourceRowsCache = new WeakMap<object, Row[]>();
const eventRowsCache = new WeakMap<object, Map<string, Row[]>>();

/** Applies a view's filter: a case-insensitive substring of any cell. */
export function filterRows(rows: Row[], filter: string | undefined): Row[] {
  if (!filter) return rows;
  const key = `${filter}`;
  const byFilter = filterCache.get(rows);
  if (byFilter?.key === key) return byFilter.rows;
  const needle = filter.toLowerCase();
  const filtered = rows.filter((row) => row.cells.some((cell) => cell.toLowerCase().includes(needle)));
  filterCache.set(rows, { key, rows: filtered });
  return filtered;
}
const filterCache = new WeakMap<Row[], { key: string; rows: Row[] }>();

const EMPTY = new Map<string, number>();

/** Running tasks per node id, from whatever task listing is loaded (see Sync.nodeTaskCounts). */
export type TaskCounts = Map<string, number>;

/** The views drawn as a table (the others: logs, map and inspect have their own panes). */
export const isListView = (kind: View['kind']) => kind !== 'logs' && kind !== 'map' && kind !== 'inspect';

/** Rows, columns and title of a list view, from cluster state. */
export function listModel(view: View, state: ClusterState, now: number, counts?: TaskCounts): ListModel {
  if (view.kind === 'nodes') {
    const countsKey = (counts ?? EMPTY) as object;
    const byCounts = cached(nodeRowsCache, state.nodes, () => new WeakMap<object, Row[]>());
    const rows = cached(byCounts, countsKey, () =>
      [...state.nodes].sort(byName((n: SwarmNode) => n.Description?.Hostname ?? n.ID)).map((n) => nodeRow(n, counts?.get(n.ID))),
    );
    return {
      title: `Nodes (${rows.length})`,
      columns: NODE_COLUMNS,
      rows,
      empty: state.loaded.nodes ? 'no nodes' : 'loading nodes...',
    };
  }
  if (view.kind === 'services') {
    const all = cached(serviceRowsCache, state.services, () => [...state.services].sort(byName((s: SwarmService) => s.Spec.Name ?? '')).map(serviceRow));
    // A stack's services: drilled into from the stacks view.
    if (view.scope?.kind === 'stack') {
      const ids = new Set(state.services.filter((s) => stackOf(s) === view.scope!.id).map((s) => s.ID));
      const rows = all.filter((r) => ids.has(r.key));
      return {
        title: `Services of stack ${view.scope.name} (${rows.length})`,
        columns: SERVICE_COLUMNS,
        rows,
        empty: `stack ${view.scope.name} has no services now`,
      };
    }
    const rows = all;
    return {
      title: `Services (${rows.length})`,
      columns: SERVICE_COLUMNS,
      rows,
      empty: state.loaded.services ? 'no services: create one with `docker service create`' : 'loading services...',
    };
  }
  if (view.kind === 'stacks') {
    const rows = cached(stackRowsCache, state.services, () => stackRows(state.services));
    return {
      title: `Stacks (${rows.length})`,
      columns: STACK_COLUMNS,
      rows,
      empty: state.loaded.services ? 'no stacks: deploy one with `docker stack deploy`' : 'loading services...',
    };
  }
  if (view.kind === 'networks') {
    const items = state.resources.networks;
    const rows = items ? cached(resourceRowsCache, items, () => [...items].sort(byName((n) => n.Name ?? '')).map((n) => networkRow(n, state.services))) : [];
    return { title: `Networks (${rows.length})`, columns: NETWORK_COLUMNS, rows, empty: items ? 'no networks' : 'loading networks...' };
  }
  if (view.kind === 'configs' || view.kind === 'secrets') {
    const kind = view.kind;
    const items = state.resources[kind];
    const rows = items
      ? cached(resourceRowsCache, items, () => [...items].sort(byName((o) => o.Spec?.Name ?? '')).map((o) => configRow(o, kind, state.services, now)))
      : [];
    const what = kind === 'configs' ? 'configs' : 'secrets (names and dates only: their data never leaves the manager)';
    return {
      title: `${kind === 'configs' ? 'Configs' : 'Secrets'} (${rows.length})`,
      columns: CONFIG_COLUMNS,
      rows,
      empty: items ? `no ${what}` : `loading ${kind}...`,
    };
  }
  if (view.kind === 'events') {
    const scope = view.scope;
    const rows = cached(eventRowsCache, state.events, () => new Map<string, Row[]>());
    const key = scope?.id ?? '';
    let list = rows.get(key);
    if (!list) {
      list = eventRows(state.events, scope?.id);
      rows.set(key, list);
    }
    return {
      title: scope ? `Events of ${scope.kind} ${scope.name} (${list.length})` : `Events (${list.length}, live)`,
      columns: EVENT_COLUMNS,
      rows: list,
      empty: scope
        ? `no events for ${scope.name} in the last ${EVENT_HISTORY_SECONDS / 60} minutes; new ones appear as they happen`
        : 'no events yet; they appear as they happen',
    };
  }
  if (view.kind === 'contexts') {
    const rows = state.contexts.map((c) => ({
      key: c.name,
      cells: [inert(c.name) + (c.current ? ' *' : ''), inert(c.host)],
      color: c.current ? 'green' : undefined,
    }));
    return { title: `Docker contexts (${rows.length}; Enter switches)`, columns: CONTEXT_COLUMNS, rows, empty: 'no docker contexts' };
  }
  if (view.kind === 'actions') {
    // Newest first: the question is usually "what did I just do".
    const rows = cached(actionRowsCache, state.actions, () => state.actions.map(actionRow).reverse());
    return {
      title: `Action log (${rows.length})`,
      columns: ACTION_COLUMNS,
      rows,
      empty: 'no actions yet: what this console changes in a swarm is recorded here, with the docker command for each',
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
