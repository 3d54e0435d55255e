import type { SwarmNode, SwarmService } from '../../docker/types.js';
import { hostname, type ActionContext } from '../../store/actions.js';
import type { ClusterState, Scope } from '../../store/state.js';
import type { Store } from '../../store/store.js';
import type { Sync } from '../../store/sync.js';
import type { Row } from '../components/table.js';
import { taskName } from '../present/rows.js';
import { currentView, viewKey, type UiState, type View } from '../ui-state.js';
import { filterRows, isListView, listModel } from '../views.js';

/**
 * What a key press works on: the UI state and store snapshot as they are now (not as last
 * rendered: keys typed faster than React re-renders must each see the effect of the one before),
 * what is derived from them, and the few ways a command changes anything.
 */
export interface KeyContext {
  ui: UiState;
  state: ClusterState;
  view: View;
  /** The current view's key, for its selection and filter. */
  key: string;
  /** The rows of a list view, filtered as shown (none for other views). */
  rows: Row[];
  selectedIndex: number;
  selectedKey: string | undefined;
  width: number;
  /** Rows available to the view under the header and above the footer. */
  bodyHeight: number;
  readOnly: boolean;
  store: Store;
  sync: Sync;
  actions: ActionContext;
  now: () => number;
  /** Images this session's drill made fail: the same key makes them work again. */
  brokenImages: Set<string>;
  /** The UI state now, with this key's changes so far. */
  currentUi(): UiState;
  /** Changes the UI state at once (the next key sees it) and re-renders. */
  patch(change: Partial<UiState> | ((ui: UiState) => Partial<UiState>)): void;
  /** Shows a message on the status line. */
  status(text: string, kind?: 'info' | 'error' | 'success'): void;
  exit(): void;
}

/** What the App hands over for each key. */
export interface KeyHost {
  ui: () => UiState;
  setUi: (ui: UiState) => void;
  store: Store;
  sync: Sync;
  actions: ActionContext;
  now: () => number;
  width: number;
  bodyHeight: number;
  readOnly: boolean;
  brokenImages: Set<string>;
  exit(): void;
}

/** Builds the context of one key press from the latest UI state and store snapshot. */
export function keyContext(host: KeyHost): KeyContext {
  const ui = host.ui();
  const state = host.store.getSnapshot();
  const view = currentView(ui);
  const key = viewKey(view);
  const list = isListView(view.kind) ? listModel(view, state, host.now(), state.counts) : undefined;
  const rows = list ? filterRows(list.rows, ui.filters[key]) : [];
  const selectedIndex = Math.max(
    0,
    rows.findIndex((r) => r.key === ui.selection[key]),
  );
  return {
    ui,
    state,
    view,
    key,
    rows,
    selectedIndex,
    selectedKey: rows[selectedIndex]?.key,
    width: host.width,
    bodyHeight: host.bodyHeight,
    readOnly: host.readOnly,
    store: host.store,
    sync: host.sync,
    actions: host.actions,
    now: host.now,
    brokenImages: host.brokenImages,
    currentUi: host.ui,
    patch(change) {
      const current = host.ui();
      host.setUi({ ...current, ...(typeof change === 'function' ? change(current) : change) });
    },
    status(text, kind = 'error') {
      host.store.dispatch({ type: 'status', text, kind, at: host.now() });
    },
    exit: host.exit,
  };
}

/** Opens a view on top of the current one (Esc comes back). */
export const push = (c: KeyContext, next: View) => c.patch((u) => ({ stack: [...u.stack, next], help: false, logs: { ...u.logs, scroll: 0, match: 0 } }));

/** Replaces the whole view stack with one view. */
export const goTo = (c: KeyContext, next: View) => c.patch({ stack: [next], help: false });

/** The service under the cursor in the services view. */
export const selectedService = (c: KeyContext): SwarmService | undefined =>
  c.view.kind === 'services' ? c.state.services.find((s) => s.ID === c.selectedKey) : undefined;

/** The node under the cursor in the nodes view. */
export const selectedNode = (c: KeyContext): SwarmNode | undefined => (c.view.kind === 'nodes' ? c.state.nodes.find((n) => n.ID === c.selectedKey) : undefined);

/** A service as a scope (tasks, logs, events, inspect). */
export const serviceScope = (s: SwarmService): Scope => ({ kind: 'service', id: s.ID, name: s.Spec.Name ?? s.ID });

/** A node as a scope. */
export const nodeScope = (n: SwarmNode): Scope => ({ kind: 'node', id: n.ID, name: hostname(n) });

/** The task under the cursor in a tasks view, as a scope. */
export function taskScope(c: KeyContext): Scope | undefined {
  const task = c.view.kind === 'tasks' ? c.state.tasks.items.find((t) => t.ID === c.selectedKey) : undefined;
  if (!task) return undefined;
  const services = new Map(c.state.services.map((s) => [s.ID, s]));
  return { kind: 'task', id: task.ID, name: `${taskName(task, services)}.${task.ID.slice(0, 12)}` };
}

/** The event a row of the events view stands for. */
function eventAt(c: KeyContext, key: string | undefined) {
  const index = key ? Number(key.split(':').at(-1)) : NaN;
  return Number.isInteger(index) ? c.state.events[index] : undefined;
}

/** The object under the cursor, as inspect and events name it. */
export function selectedScope(c: KeyContext): Scope | undefined {
  const { view, state } = c;
  if (view.kind === 'services') {
    const service = selectedService(c);
    return service && serviceScope(service);
  }
  if (view.kind === 'nodes') {
    const node = selectedNode(c);
    return node && nodeScope(node);
  }
  if (view.kind === 'tasks') return taskScope(c);
  if (view.kind === 'map') {
    const node = state.nodes.find((n) => n.ID === c.ui.selection.map);
    return node && nodeScope(node);
  }
  if (view.kind === 'networks' || view.kind === 'configs' || view.kind === 'secrets') {
    const row = c.rows[c.selectedIndex];
    return row && { kind: view.kind.slice(0, -1) as Scope['kind'], id: row.key, name: row.cells[0].replace(/ \(ingress\)$/, '') };
  }
  if (view.kind === 'events') {
    const event = eventAt(c, c.selectedKey);
    if (event && (event.Type === 'service' || event.Type === 'node'))
      return { kind: event.Type, id: event.Actor.ID, name: event.Actor.Attributes?.name ?? event.Actor.ID };
  }
  if (view.kind === 'logs' || view.kind === 'inspect') return view.scope;
  return undefined;
}

/** Finds a service or node by name, id or id prefix, as the docker CLI does. */
export function findScope(c: KeyContext, name: string): Scope | undefined {
  const { state } = c;
  const service = state.services.find((s) => s.Spec.Name === name) ?? state.services.find((s) => s.ID.startsWith(name));
  if (service) return serviceScope(service);
  const node = state.nodes.find((n) => hostname(n) === name) ?? state.nodes.find((n) => n.ID.startsWith(name));
  if (node) return nodeScope(node);
  return undefined;
}
