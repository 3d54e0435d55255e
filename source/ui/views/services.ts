import type { SwarmService } from '../../docker/types.js';
import type { ClusterState } from '../../store/state.js';
import { windowStart, type Column, type Row } from '../components/table.js';
import { stackOf } from '../present/resources.js';
import { SERVICE_COLUMNS, serviceRow } from '../present/rows.js';
import { sampleable, serviceStatsCells, unreachableNote } from '../present/stats.js';
import { byName, cached, serviceScope } from './shared.js';
import type { ViewSpec } from './types.js';

/**
 * The service columns with CPU and MEM at the end: the sum over the running tasks and the hottest
 * replica. They give way before MODE, PORTS and STACK are all gone, after the state columns: how hot
 * a service is matters less than whether it runs.
 */
const COLUMNS: Column[] = [...SERVICE_COLUMNS, { title: 'CPU', priority: 4, align: 'right' }, { title: 'MEM', priority: 4, align: 'right' }];

const rowsCache = new WeakMap<object, Row[]>();
/** Rows with figures, by base rows, then task lists, then stats: recomputed when one of them changes, not on every frame. */
const statsCache = new WeakMap<object, WeakMap<object, WeakMap<object, Row[]>>>();

/** The service rows with their CPU and MEM cells. */
function withStats(rows: Row[], state: ClusterState): Row[] {
  const byTasks = cached(statsCache, rows, () => new WeakMap<object, WeakMap<object, Row[]>>());
  const byStats = cached(byTasks, state.serviceTasks, () => new WeakMap<object, Row[]>());
  return cached(byStats, state.stats, () => rows.map((r) => ({ ...r, cells: [...r.cells, ...serviceStatsCells(state.serviceTasks.get(r.key), state.stats)] })));
}

/** Why some services' CPU and MEM are `-`: the nodes of the listed services' tasks. */
const note = (state: ClusterState) =>
  unreachableNote(
    state.stats,
    [...state.serviceTasks.values()].flatMap((ts) => ts.map((t) => t.NodeID ?? '')),
  );

/** The services view: `docker service ls`, or a stack's services when drilled into from the stacks view. */
export const servicesView: ViewSpec = {
  kind: 'services',
  root: true,
  list({ view, state }) {
    const base = cached(rowsCache, state.services, () => [...state.services].sort(byName((s: SwarmService) => s.Spec.Name ?? '')).map(serviceRow));
    const all = withStats(base, state);
    const stack = view.scope?.kind === 'stack' ? view.scope : undefined;
    if (stack) {
      const ids = new Set(state.services.filter((s) => stackOf(s) === stack.id).map((s) => s.ID));
      const rows = all.filter((r) => ids.has(r.key));
      return {
        title: `Services of stack ${stack.name} (${rows.length})${note(state)}`,
        columns: COLUMNS,
        rows,
        empty: `stack ${stack.name} has no services now`,
      };
    }
    return {
      title: `Services (${all.length})${note(state)}`,
      columns: COLUMNS,
      rows: all,
      empty: state.loaded.services ? 'no services: create one with `docker service create`' : 'loading services...',
    };
  },
  selected(c) {
    const service = c.state.services.find((s) => s.ID === c.selectedKey);
    return service && serviceScope(service);
  },
  open(c) {
    const scope = servicesView.selected!(c);
    return scope && { kind: 'tasks', scope };
  },
  // A crash loop looks healthy every other second: the histories of the services on screen are
  // read when they come on screen and once a minute (at 1,000 services, only those ~30). Their
  // running tasks are listed, and those tasks' containers sampled, for the same rows only.
  needs({ state, bodyHeight }, { rows, selectedIndex }) {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    const ids = rows.slice(start, start + bodyHeight - 1).map((r) => r.key);
    const stats = ids.flatMap((id) => (state.serviceTasks.get(id) ?? []).flatMap((t) => (sampleable(t) ? [sampleable(t)!] : [])));
    return { restarts: ids, serviceTasks: ids, stats };
  },
};
