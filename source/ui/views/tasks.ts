import { taskName, TASK_COLUMNS, taskRows } from '../present/rows.js';
import { serviceBanners } from '../present/rollout.js';
import { wrapWords } from '../present/format.js';
import type { Scope } from '../../store/state.js';
import type { ViewContext, ViewSpec } from './types.js';

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
  list({ view, state, now }) {
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
  },
  // A service's tasks lead with its rollout and with why tasks are missing, at most half the body.
  banner({ view, state, now, width, bodyHeight }) {
    if (view.scope?.kind !== 'service') return [];
    const service = state.services.find((s) => s.ID === view.scope!.id);
    if (!service || state.tasks.scope?.id !== service.ID) return [];
    const lines = serviceBanners(service, state.tasks.items, now, state.nodes).flatMap((b) =>
      b.lines.flatMap((l) => wrapWords(l, width)).map((text) => ({ text, color: b.color })),
    );
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
  needs: ({ view }) => ({ tasks: view.scope }),
};
