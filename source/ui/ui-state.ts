import type { Plan } from '../compose/plan.js';
import type { ViewKind } from '../keymap/bindings.js';
import type { ActionRequest } from '../store/run-action.js';
import type { LogRange } from '../store/log-range.js';
import type { Scope } from '../store/state.js';

/** The views the console shows (defined with the keymap, whose panes they are). */
export type { ViewKind };

/** One entry of the navigation stack. */
export interface View {
  kind: ViewKind;
  scope?: Scope;
  /** A logs view's range: since and tail, asked of the manager as they are. */
  range?: LogRange;
  /** The container a processes view shows (docker top), on its node. */
  container?: { nodeId: string; id: string; name: string };
}

/** A prompt on the status line. */
export interface Prompt {
  kind: 'command' | 'filter' | 'scale' | 'search' | 'confirm' | 'image' | 'labels' | 'new-secret' | 'new-config' | 'input';
  label: string;
  text: string;
  /** The object the prompt acts on (a service id for scale). */
  target?: string;
  /** Scale: every marked service, when rows are marked (target is then the first). */
  targets?: string[];
  /** A typed confirmation of marked rows: what it runs (instead of request). */
  onConfirm?: () => void;
  /** For a typed confirmation: the text that confirms, and the action it sends. */
  expected?: string;
  request?: ActionRequest;
  error?: string;
  /** For an 'input' prompt: what Enter does with the text; a returned string is why not (the prompt stays open with it). */
  submit?: (text: string) => string | void;
}

/** A confirmation dialog for a dangerous command: what it says, and the action it sends on y. */
export interface Confirm {
  title: string;
  lines: string[];
  /** The action y sends; or, for flows with a step after the dialog (an edit), what y and n do instead. */
  request?: ActionRequest;
  onYes?: () => void;
  onNo?: () => void;
  /** A second confirmation, by typing this name, before the command runs (actions that break quorum). */
  typeToConfirm?: string;
  /** What y and n do, when y sends nothing (`y or Enter: edit again    n or Esc: drop your edit`); else "go ahead" and "cancel". */
  keys?: { yes: string; no: string };
}

/** Logs pane toggles, filter and position. */
export interface LogView {
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  /** The filter (/): a regular expression, case-insensitive unless it has a capital letter; '' for none. */
  search: string;
  /** Tab: every line, the matches highlighted, instead of only the matching lines. */
  all: boolean;
  /** Index into the matches, newest first, of the one last stepped to (n/N); -1 before the first. */
  match: number;
  /** While paused: the bottom line shown, by its number in the stream (lines dropped + index), so new lines do not move it. */
  anchor?: number;
}

/** The inspect view's format, masking, position and search. */
export interface InspectView {
  format: 'yaml' | 'json';
  /** Secret-looking env values and join tokens are shown as they are. */
  reveal: boolean;
  /** First line shown. */
  scroll: number;
  search: string;
  match: number;
  /** Long lines wrap (w) instead of running off the edge (then left/right scroll sideways). */
  wrap: boolean;
}

/** What `:sort` orders a list by: CPU and MEM highest first, NAME A to Z. */
export type SortKey = 'cpu' | 'mem' | 'name';

/** Everything about the screen that is not cluster data. */
export interface UiState {
  stack: View[];
  /** Selected row key per view key. */
  selection: Record<string, string | undefined>;
  filters: Record<string, string>;
  /** Marked row keys per view key (Space): r, u, c and Ctrl+D act on all of them. */
  marks: Record<string, string[]>;
  /** The order per view key (`:sort`, H Z N); none: the view's own. */
  sorts: Record<string, SortKey | undefined>;
  prompt?: Prompt;
  confirm?: Confirm;
  help: boolean;
  /** First help row shown, when help is longer than the screen. */
  helpScroll: number;
  logs: LogView;
  inspect: InspectView;
  /** The plan `:deploy` made, shown by the deploy view until applied or left. */
  deploy?: DeployView;
  /** Wide mode (Ctrl+W): tables show every column at full width. */
  wide: boolean;
  /** Columns scrolled sideways (left/right): wide tables and unwrapped inspect lines. */
  scrollX: number;
}

/** A stack deploy's plan on screen: which file, and which services' changed fields are open. */
export interface DeployView {
  stack: string;
  file: string;
  plan: Plan;
  /** Entry keys (kind:name) whose changed fields (or, for a create, every field sent) are shown under them. */
  open: string[];
  /** Made in read-only mode: shown to be read, never applied. */
  readOnly?: boolean;
}

/** A view's key, for per-view selection and filters. */
export const viewKey = (view: View) => (view.scope ? `${view.kind}:${view.scope.kind}:${view.scope.id}` : view.kind);

/** The UI at start-up, on one view. */
export function initialUi(view: View = { kind: 'services' }): UiState {
  return {
    stack: [view],
    selection: {},
    filters: {},
    marks: {},
    sorts: {},
    help: false,
    helpScroll: 0,
    logs: { follow: true, timestamps: false, wrap: false, search: '', all: false, match: -1 },
    inspect: { format: 'yaml', reveal: false, scroll: 0, search: '', match: 0, wrap: false },
    wide: false,
    scrollX: 0,
  };
}

/** The view on top of the stack. */
export const currentView = (ui: UiState) => ui.stack[ui.stack.length - 1];
