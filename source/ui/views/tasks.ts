import { taskName, TASK_COLUMNS, taskRows } from '../present/rows.js';
import { serviceBanners } from '../present/rollout.js';
import { shortenMiddle, wrapWords } from '../present/format.js';
import type { ClusterState, Scope } from '../../store/state.js';
import type { Column, Row } from '../components/table.js';
import { windowStart } from '../components/table.js';
import { memoryLimit, nearLimit, sampleable, statsCells, unreachableNote } from '../present/stats.js';
import { serviceUsageLine } from '../present/sparkline.js';
import { withOomErrors } from '../present/oom.js';
import { oomCandidates } from '../../store/sync/oom.js';
import { theme } from '../theme.js';
import type { BannerLine, ViewContext, ViewSpec } from './types.js';

/**
 * The task columns with CPU and MEM (from the nodes' engines) before ERROR. They give way first on a
 * narrow terminal: in an incident the state and the error say what is wrong, the use says how hot.
 */
const COLUMNS: Column[] = [
  ...TASK_COLUMNS.slice(0, -1),
  { title: 'CPU', priority: 6, align: 'right' },
  { title: 'MEM', priority: 6, align: 'right' },
  ...TASK_COLUMNS.slice(-1),
];

/**
 * The same while a task on screen has an error: ERROR, why a task failed, is the column read first
 * during an incident, so on a narrow terminal (80 columns) it outlives IMAGE, NODE, CPU and MEM, and
 * is kept at least 30 columns wide (`No such image: redis:latest`). Without errors IMAGE goes last.
 */
const FAILING_COLUMNS: Column[] = [...COLUMNS.slice(0, -1), { ...COLUMNS.at(-1)!, priority: 1, min: 30 }];

/** The tasks of the scope on screen (none while another scope's are still listed), those found OOM-killed saying so. */
const scopeTasks = (state: ClusterState, scope: Scope | undefined) =>
  scope && state.tasks.scope?.id === scope.id ? withOomErrors(state.tasks.items, state.oomKills) : [];

/** The task under the cursor, as a scope. */
function selectedTask(c: ViewContext): Scope | undefined {
  const task = c.state.tasks.items.find((t) => t.ID === c.selectedKey);
  if (!task) return undefined;
  const services = new Map(c.state.services.map((s) => [s.ID, s]));
  return { kind: 'task', id: task.ID, name: `${taskName(task, services)}.${task.ID.slice(0, 12)}` };
}

/** The tasks of a service or node with their history (`docker service ps`), led by a service's rollout and why tasks are missing. */
export const tasksView: ViewSpec = {
  kind: 'tasks',
  clock: true,
  list({ view, state, now, width }) {
    const services = new Map(state.services.map((s) => [s.ID, s]));
    const nodes = new Map(state.nodes.map((n) => [n.ID, n]));
    const scope = view.scope;
    const items = scopeTasks(state, scope);
    const current = items.filter((t) => t.DesiredState === 'running').length;
    const byId = new Map(items.map((t) => [t.ID, t]));
    const rows = taskRows(items, services, nodes, now).map((row): Row => {
      const task = byId.get(row.key);
      const cells = task ? statsCells(task, state.stats) : ['', ''];
      const target = task && sampleable(task);
      const figures = target ? state.stats.figures.get(target.containerId) : undefined;
      // Near its memory limit: the MEM cell's `!` says it, and the row takes the warning colour unless it has one already.
      const warn = figures && nearLimit(figures, memoryLimit(task!)) && !row.color ? theme.warn : row.color;
      return { ...row, cells: [...row.cells.slice(0, -1), ...cells, ...row.cells.slice(-1)], color: warn };
    });
    // A long name gives way in its middle, the counts after it never do (the title bar has a space either side).
    const counts = ` (${current} current, ${items.length - current} in history)`;
    const name = scope ? shortenMiddle(scope.name, Math.max(8, width - 2 - `Tasks of ${scope.kind} `.length - counts.length)) : '';
    return {
      title: scope
        ? `Tasks of ${scope.kind} ${name}${counts}${unreachableNote(
            state.stats,
            items.map((t) => t.NodeID ?? ''),
          )}`
        : 'Tasks',
      columns: rows.some((r) => r.cells.at(-1)) ? FAILING_COLUMNS : COLUMNS,
      rows,
      empty: !scope ? 'select a service or node and press Enter' : state.tasks.loaded ? 'no tasks' : 'loading tasks...',
    };
  },
  // A service's tasks lead with its rollout and with why tasks are missing, at most half the body.
  banner({ view, state, now, width, bodyHeight }) {
    if (view.scope?.kind !== 'service') return [];
    const service = state.services.find((s) => s.ID === view.scope!.id);
    if (!service || state.tasks.scope?.id !== service.ID) return [];
    const lines: BannerLine[] = serviceBanners(service, withOomErrors(state.tasks.items, state.oomKills), now, state.nodes).flatMap((b) =>
      b.lines.flatMap((l) => wrapWords(l, width)).map((text) => ({ text, color: b.color })),
    );
    // What its running tasks use together, the last minute as sparklines, from the samples already taken; last, so it gives way first.
    const usage = serviceUsageLine(state.tasks.items, state.stats);
    if (usage) lines.push({ text: usage.slice(0, width), color: theme.accent });
    return lines.slice(0, Math.max(0, Math.floor((bodyHeight - 1) / 2)));
  },
  selected: selectedTask,
  open(c) {
    const scope = selectedTask(c);
    return scope && { kind: 'logs', scope };
  },
  fromCommand({ named, selected, current }) {
    const scope = named ?? selected ?? current;
    if (!scope || (scope.kind !== 'service' && scope.kind !== 'node'))
      return ':tasks needs a service or node: select one first, or give its name (:tasks NAME)';
    return { kind: 'tasks', scope };
  },
  onceScope: { kinds: ['service', 'node'], missing: '--view tasks needs --service NAME or --node NAME' },
  // CPU and MEM are sampled for the running tasks on screen only.
  needs({ view, state, bodyHeight }, { rows, selectedIndex }) {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    const byId = new Map(scopeTasks(state, view.scope).map((t) => [t.ID, t]));
    const stats = rows
      .slice(start, start + bodyHeight - 1)
      .map((r) => byId.get(r.key))
      .flatMap((t) => (t && sampleable(t) ? [sampleable(t)!] : []));
    // Failed exit-137 tasks of the scope (on screen or not: the why-block counts them all) are asked about once each.
    const oom = oomCandidates(scopeTasks(state, view.scope));
    return { tasks: view.scope, stats, ...(oom.length > 0 ? { oom } : {}) };
  },
};
