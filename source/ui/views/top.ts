import type { SwarmService, SwarmTask } from '../../docker/types.js';
import { WIDE_STATS } from '../../store/sync/stats.js';
import type { ClusterState, Scope } from '../../store/state.js';
import type { Column, Row } from '../components/table.js';
import { naturalCompare } from '../present/format.js';
import { taskName } from '../present/rows.js';
import { cpuText, memoryLimit, memText, sampleable, sampleAge } from '../present/stats.js';
import { inert } from '../sanitize.js';
import { viewKey, type SortKey, type View } from '../ui-state.js';
import { sortRows } from './sort.js';
import { cached, serviceScope } from './shared.js';
import type { ViewContext, ViewSpec } from './types.js';

/**
 * The hottest tasks of the whole swarm (`:top`, `:top mem`): every running task, sampled from its
 * node's own engine within a budget (WIDE_STATS), so that at 1,000 nodes a figure may be minutes
 * old; SAMPLED says how old. Tasks whose node cannot be reached show `-` and go last.
 */
const COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true },
  { title: 'SERVICE', priority: 4, flex: true },
  { title: 'NODE', priority: 3 },
  { title: 'CPU', priority: 1, align: 'right' },
  { title: 'MEM', priority: 1, align: 'right' },
  { title: 'SAMPLED', priority: 2, align: 'right' },
];

/** The tasks `:top` lists: running ones with a container (what can be sampled), by name. */
const runningCache = new WeakMap<SwarmTask[], SwarmTask[]>();
const running = (state: ClusterState) => cached(runningCache, state.running.items, () => state.running.items.filter((t) => sampleable(t)));

/** What the view samples: every container it lists (one list per listing, so the need's key is made once). */
const targetsCache = new WeakMap<SwarmTask[], { nodeId: string; containerId: string }[]>();
const targets = (state: ClusterState) => cached(targetsCache, state.running.items, () => running(state).map((t) => sampleable(t)!));

/** The nodes whose engines could not be asked, of those running listed tasks. */
function unreachableNodes(state: ClusterState, tasks: SwarmTask[]): number {
  if (state.stats.unreachable.size === 0) return 0;
  return new Set(tasks.map((t) => t.NodeID ?? '').filter((id) => state.stats.unreachable.has(id))).size;
}

/** The title: how many tasks on how many nodes, how many sampled so far, and how many nodes could not be reached. */
function title(state: ClusterState, tasks: SwarmTask[]): string {
  if (!state.running.loaded) return 'Top tasks';
  const nodes = new Set(tasks.map((t) => t.NodeID)).size;
  const sampled = tasks.filter((t) => state.stats.figures.has(t.Status.ContainerStatus!.ContainerID!)).length;
  const lost = unreachableNodes(state, tasks);
  const of = `${tasks.length} running on ${nodes} node${nodes === 1 ? '' : 's'}`;
  return `Top tasks (${of}, ${sampled} sampled${lost > 0 ? `, ${lost} node${lost === 1 ? '' : 's'} unreachable` : ''})`;
}

/** The task under the cursor, as a scope (inspect and events name it). */
function selectedTask(c: ViewContext): Scope | undefined {
  const task = running(c.state).find((t) => t.ID === c.selectedKey);
  if (!task) return undefined;
  const services = new Map(c.state.services.map((s) => [s.ID, s]));
  return { kind: 'task', id: task.ID, name: `${taskName(task, services)}.${task.ID.slice(0, 12)}` };
}

/** `:top [cpu|mem]`: the view, ordered by CPU (the default) or memory; or why the word is not one of them. */
export function topCommand(args: string[]): { view: View; order: SortKey } | string {
  const word = (args[0] ?? 'cpu').toLowerCase();
  if (word !== 'cpu' && word !== 'mem') return `:top orders by cpu or mem, not "${args[0]}"`;
  return { view: { kind: 'top' }, order: word };
}

/** When each base row's figures arrived (its SAMPLED cell is added per frame, from the clock). */
const seenAt = new WeakMap<Row, number>();

/** The rows of the last frame, with their ages: made again when the order or figures change, or the clock's second. */
let aged: { ordered: Row[]; second: number; rows: Row[] } | undefined;

/** The last listing's rows without their ages, and the title: made again only when the tasks, services, nodes or figures change. */
let memo: { key: unknown[]; rows: Row[]; title: string } | undefined;

/** The tasks with their names, in name order: made again only with a new listing (a natural sort of 50,000 names is the dearest step). */
let names: { items: SwarmTask[]; services: unknown; named: { task: SwarmTask; name: string }[] } | undefined;

/** The running tasks and their names, naturally by name (node-2 before node-10). */
function byName(state: ClusterState, tasks: SwarmTask[], services: Map<string, SwarmService>) {
  if (names && names.items === state.running.items && names.services === state.services) return names.named;
  const named = tasks
    .map((task) => ({ task, name: taskName(task, services) }))
    .sort((a, b) => naturalCompare(a.name, b.name) || (a.task.ID < b.task.ID ? -1 : 1));
  names = { items: state.running.items, services: state.services, named };
  return named;
}

/** The rows without their ages (from the memo when nothing they show changed), and the title. */
function listed(state: ClusterState): { rows: Row[]; title: string } {
  const key = [state.running.items, state.services, state.nodes, state.stats];
  if (memo && memo.key.every((k, i) => k === key[i])) return memo;
  const tasks = running(state);
  const services = new Map(state.services.map((s) => [s.ID, s]));
  const nodes = new Map(state.nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  const named = byName(state, tasks, services);
  const rows = named.map(({ task, name }): Row => {
    const node = task.NodeID ?? '';
    const service = services.get(task.ServiceID)?.Spec.Name ?? task.ServiceID.slice(0, 12);
    const lost = state.stats.unreachable.has(node);
    const figures = lost ? undefined : state.stats.figures.get(task.Status.ContainerStatus!.ContainerID!);
    const dash = lost ? '-' : '';
    const row: Row = {
      key: task.ID,
      cells: [
        name,
        inert(service),
        inert(nodes.get(node) ?? node.slice(0, 12)),
        figures ? cpuText(figures.cpuPercent) : dash,
        figures ? memText(figures, memoryLimit(task)) : dash,
      ],
      sort: figures ? { cpu: figures.cpuPercent, mem: figures.memoryBytes } : undefined,
    };
    if (figures) seenAt.set(row, figures.seen ?? figures.at);
    return row;
  });
  memo = { key, rows, title: title(state, tasks) };
  return memo;
}

/** `:top`: the hottest running tasks across every reachable node, with service, node, CPU, MEM (of the limit) and the sample's age. */
export const topView: ViewSpec = {
  kind: 'top',
  root: true,
  clock: true,
  defaultSort: 'cpu',
  list({ view, state, ui, now }) {
    const { rows: base, title } = listed(state);
    // Ordered before the ages are added, and only when the figures change: at 50,000 tasks a sort
    // every second (the ages tick) would cost a frame's budget. The ages are added once a second.
    const order = ui.sorts?.[viewKey(view)] ?? topView.defaultSort;
    const ordered = sortRows(base, COLUMNS, order);
    const second = Math.floor(now / 1000);
    if (aged?.ordered !== ordered || aged.second !== second) {
      const rows = new Array<Row>(ordered.length);
      for (let i = 0; i < ordered.length; i++) {
        const row = ordered[i];
        const at = seenAt.get(row);
        const age = at === undefined ? (row.cells[3] === '-' ? '-' : '') : sampleAge(at, now);
        rows[i] = { key: row.key, cells: row.cells.concat(age), sort: row.sort };
      }
      aged = { ordered, second, rows };
    }
    return { title, columns: COLUMNS, rows: aged.rows, ordered: order, empty: state.running.loaded ? 'no running tasks' : 'listing the running tasks...' };
  },
  selected: selectedTask,
  // Enter: the task among its service's tasks, selected. "Which replica is hot" is followed by "what
  // is it doing": its history and its siblings are there, and from there its logs (l), a shell (s) and
  // its processes (t) are one key away, where Enter straight to its logs would offer only those.
  open(c) {
    const task = running(c.state).find((t) => t.ID === c.selectedKey);
    const service = task && c.state.services.find((s) => s.ID === task.ServiceID);
    if (!task || !service) return;
    const next: View = { kind: 'tasks', scope: serviceScope(service) };
    c.patch((u) => ({ selection: { ...u.selection, [viewKey(next)]: task.ID } }));
    return next;
  },
  // Every running task is listed and sampled (not only those on screen): the hottest may be anywhere.
  needs({ state }) {
    return { running: true, stats: targets(state), statsBudget: WIDE_STATS };
  },
};
