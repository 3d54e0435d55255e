import type { ViewKind } from '../../keymap/bindings.js';
import { actionsView } from './actions.js';
import { configsView } from './configs.js';
import { containersView } from './containers.js';
import { contextsView } from './contexts.js';
import { deployView } from './deploy.js';
import { eventsView } from './events.js';
import { inspectView } from './inspect.js';
import { logsView } from './logs.js';
import { mapView } from './map.js';
import { messagesView } from './messages.js';
import { networksView } from './networks.js';
import { nodesView } from './nodes.js';
import { processesView } from './processes.js';
import { secretsView } from './secrets.js';
import { servicesView } from './services.js';
import { filterRows } from './shared.js';
import { sortRows } from './sort.js';
import { stacksView } from './stacks.js';
import { tasksView } from './tasks.js';
import { topView } from './top.js';
import type { ListModel, Selection, ViewEnv, ViewSpec } from './types.js';
import { viewKey, type SortKey } from '../ui-state.js';

/** Every view, by kind: a view without a spec does not build. Adding a view is one module and one line here. */
export const VIEWS = {
  nodes: nodesView,
  services: servicesView,
  stacks: stacksView,
  tasks: tasksView,
  logs: logsView,
  map: mapView,
  networks: networksView,
  configs: configsView,
  secrets: secretsView,
  events: eventsView,
  inspect: inspectView,
  contexts: contextsView,
  actions: actionsView,
  messages: messagesView,
  deploy: deployView,
  containers: containersView,
  processes: processesView,
  top: topView,
} satisfies Record<ViewKind, ViewSpec>;

/** The spec of a view kind. */
export const viewSpec = (kind: ViewKind): ViewSpec => VIEWS[kind];

/** A list view's model and its rows as shown (filtered), with the selected row: the one place they are derived. */
export function viewRows(env: ViewEnv): Selection & { model?: ListModel } {
  const spec = viewSpec(env.view.kind);
  const model = spec.list?.(env);
  if (!model) return { rows: [], selectedIndex: 0, selectedKey: undefined };
  const key = viewKey(env.view);
  const order = viewOrder(env);
  const filtered = filterRows(model.rows, env.ui.filters[key]);
  const rows = model.ordered === order ? filtered : sortRows(filtered, model.columns, order);
  const selectedIndex = Math.max(
    0,
    rows.findIndex((r) => r.key === env.ui.selection[key]),
  );
  return { model, rows, selectedIndex, selectedKey: rows[selectedIndex]?.key };
}

/** The order a view's rows are shown in: the one `:sort` chose for it, else its own. */
export const viewOrder = (env: Pick<ViewEnv, 'view' | 'ui'>): SortKey | undefined => env.ui.sorts?.[viewKey(env.view)] ?? viewSpec(env.view.kind).defaultSort;
