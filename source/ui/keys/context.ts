import type { ShellTerminal } from '../../docker/exec-shell.js';
import type { SwarmNode, SwarmService } from '../../docker/types.js';
import type { ActionContext } from '../../store/run-action.js';
import type { Scope } from '../../store/state.js';
import type { Store } from '../../store/store.js';
import type { Sync } from '../../store/sync.js';
import { currentView, viewKey, type UiState, type View } from '../ui-state.js';
import { viewRows, viewSpec } from '../views/index.js';
import { hostname, nodeScope, serviceScope } from '../views/shared.js';
import type { ViewContext } from '../views/types.js';

/**
 * What a key press works on: the UI state and store snapshot as they are now (not as last
 * rendered: keys typed faster than React re-renders must each see the effect of the one before),
 * the view's rows and selection, and the few ways a command changes anything.
 */
export interface KeyContext extends ViewContext {
  /** The current view's key, for its selection and filter. */
  key: string;
  readOnly: boolean;
  store: Store;
  actions: ActionContext;
  /** Images this session's drill made fail: the same key makes them work again. */
  brokenImages: Set<string>;
  /** Runs a program that takes the terminal (the editor) while the console steps aside. */
  suspend(run: () => void): void;
  /** Hands the terminal (raw) to something that runs a while (a shell in a container), then draws the console again whole; none in tests without a terminal. */
  handOver?: HandOver;
  /** Draws the next frame whole, from nothing (Ctrl+R). */
  repaint(): void;
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
  suspend(run: () => void): void;
  handOver?: HandOver;
  repaint(): void;
  exit(): void;
}

/** Gives the terminal to `run` until it is done; the console steps aside meanwhile and comes back intact. */
export type HandOver = <T>(run: (terminal: ShellTerminal) => Promise<T>) => Promise<T>;

/** Builds the context of one key press from the latest UI state and store snapshot. */
export function keyContext(host: KeyHost): KeyContext {
  const ui = host.ui();
  const state = host.store.getSnapshot();
  const view = currentView(ui);
  const env = { view, state, ui, now: host.now(), width: host.width, bodyHeight: host.bodyHeight };
  const { rows, selectedIndex, selectedKey } = viewRows(env);
  const c: KeyContext = {
    ...env,
    rows,
    selectedIndex,
    selectedKey,
    key: viewKey(view),
    readOnly: host.readOnly,
    store: host.store,
    sync: host.sync,
    actions: host.actions,
    brokenImages: host.brokenImages,
    suspend: host.suspend,
    handOver: host.handOver,
    repaint: host.repaint,
    currentUi: host.ui,
    patch(change) {
      const current = host.ui();
      host.setUi({ ...current, ...(typeof change === 'function' ? change(current) : change) });
    },
    status(text, kind = 'error') {
      host.store.dispatch({ type: 'status', text, kind, at: host.now() });
    },
    goTo: (next) => goTo(c, next),
    exit: host.exit,
  };
  return c;
}

/** Opens a view on top of the current one (Esc comes back). */
export const push = (c: ViewContext, next: View) =>
  c.patch((u) => ({ stack: [...u.stack, next], help: false, logs: { ...u.logs, anchor: undefined, match: -1 }, ...viewSpec(next.kind).onOpen?.(u) }));

/** Opens a view on top, unless it is the one showing already (the same kind and object). */
export function pushOnce(c: ViewContext, next: View): void {
  if (c.view.kind === next.kind && c.view.scope?.id === next.scope?.id) return;
  push(c, next);
}

/** Replaces the whole view stack with one view. */
export const goTo = (c: ViewContext, next: View) => c.patch({ stack: [next], help: false });

/** The object under the cursor, as the view names it. */
export const selectedScope = (c: ViewContext): Scope | undefined => viewSpec(c.view.kind).selected?.(c);

/** The service under the cursor, if the selection is one. */
export function selectedService(c: ViewContext): SwarmService | undefined {
  const scope = selectedScope(c);
  return scope?.kind === 'service' ? c.state.services.find((s) => s.ID === scope.id) : undefined;
}

/** The node under the cursor (a nodes row, the map's column), if the selection is one. */
export function selectedNode(c: ViewContext): SwarmNode | undefined {
  const scope = selectedScope(c);
  return scope?.kind === 'node' ? c.state.nodes.find((n) => n.ID === scope.id) : undefined;
}

/** Finds a service or node by name, id or id prefix, as the docker CLI does. */
export function findScope(c: ViewContext, name: string): Scope | undefined {
  const { state } = c;
  const service = state.services.find((s) => s.Spec.Name === name) ?? state.services.find((s) => s.ID.startsWith(name));
  if (service) return serviceScope(service);
  const node = state.nodes.find((n) => hostname(n) === name) ?? state.nodes.find((n) => n.ID.startsWith(name));
  if (node) return nodeScope(node);
  return undefined;
}
