import type { ReactNode } from 'react';
import type { CommandId, ViewKind } from '../../keymap/bindings.js';
import type { Needs } from '../../store/needs.js';
import type { ClusterState, Scope } from '../../store/state.js';
import type { Sync } from '../../store/sync.js';
import type { Column, Row } from '../components/table.js';
import type { SortKey, UiState, View } from '../ui-state.js';

/** What a list view shows. */
export interface ListModel {
  title: string;
  columns: Column[];
  rows: Row[];
  empty: string;
  /** The rows are in this order already (the view sorted them itself): not sorted again. */
  ordered?: SortKey;
}

/** A line over a list (a service's rollout, why tasks are missing). */
export interface BannerLine {
  text: string;
  color: string;
}

/** What a view's functions see: the view, the data, the UI state and the room on screen. */
export interface ViewEnv {
  view: View;
  state: ClusterState;
  ui: UiState;
  now: number;
  width: number;
  /** Rows under the header and title, above the status line and footer. */
  bodyHeight: number;
}

/** A view's rows after the filter, and the selected one: derived in one place (see viewRows). */
export interface Selection {
  rows: Row[];
  selectedIndex: number;
  selectedKey: string | undefined;
}

/** What a view's commands see of a key press: the view's env and selection, and the few ways to act. */
export interface ViewContext extends ViewEnv, Selection {
  sync: Sync;
  /** Shows a message on the status line. */
  status(text: string, kind?: 'info' | 'error' | 'success'): void;
  /** Changes the UI state at once (the next key sees it). */
  patch(change: Partial<UiState> | ((ui: UiState) => Partial<UiState>)): void;
  /** The UI state now, with this key's changes so far. */
  currentUi(): UiState;
  /** Replaces the view stack with one view. */
  goTo(view: View): void;
}

/** The movement commands: one row, a page, or to either end. */
export type Movement = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** A view drawn by its own component (logs, map, inspect). */
export interface PaneBody {
  /** The title bar: left and right. */
  title(env: ViewEnv): { title: string; right: string };
  /** The body, exactly `env.bodyHeight` rows. */
  Body(props: { env: ViewEnv }): ReactNode;
  /** How many body rows the content needs (--once prints no more). */
  contentRows(env: ViewEnv): number;
  /** Moves in what it shows. */
  move(c: ViewContext, id: Movement): void;
}

/** What :name [NAME] opens: a view, or why it cannot. */
export type CommandTarget = { named?: Scope; selected?: Scope; current?: Scope };

/** One view: everything the console does that depends on which view is shown. */
export interface ViewSpec {
  kind: ViewKind;
  /** A list: rows from the store snapshot (tables are windowed, filtered and selected alike). */
  list?(env: ViewEnv): ListModel;
  /** Lines over the list (at most half the body). */
  banner?(env: ViewEnv): BannerLine[];
  /** Otherwise its own pane. */
  pane?: PaneBody;
  /** The order of its rows until `:sort` says another (none: as the list gives them). */
  defaultSort?: SortKey;
  /** Ages or countdowns on screen: redrawn every second. */
  clock?: boolean;
  /** Opened with the command line it replaces the stack (a top view) rather than stacking on it. */
  root?: boolean;
  /** What Enter opens from the selection (or does, returning nothing). */
  open?(c: ViewContext): View | void;
  /** The object under the cursor, as inspect, events and the verbs name it. */
  selected?(c: ViewContext): Scope | undefined;
  /** The view `:name [NAME]` opens, from the named object, the selection or the view's own scope; or why not. */
  fromCommand?(target: CommandTarget): View | string;
  /** For --once: what scope the view needs and how to ask for it. */
  onceScope?: { kinds: Scope['kind'][]; missing: string };
  /** Searches its text (the / key in logs and inspect). */
  search?(c: ViewContext, text: string): void;
  /** How the UI starts when the view is opened (each logs view starts following, with no search). */
  onOpen?(ui: UiState): Partial<UiState>;
  /** What it needs from the manager, given what is on screen. */
  needs(env: ViewEnv, selection: Selection): Needs;
}

/** A command id the view's footer leaves out (Enter where nothing opens). */
export const hiddenHint = (spec: ViewSpec, id: CommandId) => id === 'open' && !spec.open;
