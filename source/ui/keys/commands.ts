import type { Binding, CommandId } from '../../keymap/bindings.js';
import { match } from '../../keymap/lookup.js';
import { READ_ONLY_MESSAGE, runAction, type ActionRequest } from '../../store/run-action.js';
import { onSimulator, SWARM_SCOPE } from '../../store/state.js';
import { jumpToInspectMatch } from '../views/inspect.js';
import { moveOnMap } from '../views/map.js';
import { viewSpec } from '../views/index.js';
import { goTo, push, pushOnce, selectedScope, type KeyContext } from './context.js';
import { move } from './navigation.js';
import { NODE_COMMANDS } from './node-commands.js';
import { dialogKey, promptKey, type PressedKey } from './prompt.js';
import { SERVICE_COMMANDS } from './service-commands.js';
import { CHANGE_COMMANDS } from './change-commands.js';
import { markedText, runBatch } from './marks.js';
import { LOG_COMMANDS } from './log-commands.js';
import { ENGINE_COMMANDS } from './shell-commands.js';
import { SORT_COMMANDS } from './sort-commands.js';

/** A change a command proposes: the action, and what its confirmation says (dangerous commands confirm first). */
export interface Proposal {
  request: ActionRequest;
  title: string;
  lines?: string[];
  /** Confirmed by typing this name as well (actions that break quorum), dangerous or not. */
  typeToConfirm?: string;
  /** Asks first even though the command is not dangerous in general (a promotion to an even count of managers). */
  confirm?: boolean;
  /** For marked rows: every request, sent one after another after one confirmation (`request` is the first). */
  requests?: ActionRequest[];
}

/** What a command does when its key is pressed; a change to the swarm comes back as a proposal. */
export type CommandHandler = (c: KeyContext) => void | Proposal | Promise<Proposal | void>;

/** The commands of views; a dialog's and a prompt's keys are handled by prompt.ts while one is open. */
type ViewCommandId = Exclude<CommandId, `dialog.${string}` | `prompt.${string}`>;

/** Drill-down with Enter: what the view opens from its selection. */
function open(c: KeyContext): void {
  const next = viewSpec(c.view.kind).open?.(c);
  if (next) push(c, next);
}

/** Columns a left/right press moves sideways, and the most (the view clamps to its content). */
const SIDEWAYS = 8;
const MAX_SCROLL_X = 4000;

/** Every command's handler, by id: the keymap says which key runs which, this says what it does. */
export const COMMANDS: Record<ViewCommandId, CommandHandler> = {
  quit: (c) => c.exit(),
  command: (c) => c.patch({ prompt: { kind: 'command', label: ':', text: '' } }),
  filter: (c) => c.patch({ prompt: { kind: 'filter', label: '/', text: c.ui.filters[c.key] ?? '' } }),
  help: (c) => c.patch((u) => ({ help: !u.help, helpScroll: 0 })),
  back: (c) => {
    if (c.ui.help) return c.patch({ help: false });
    if (c.ui.marks[c.key]?.length) return c.patch((u) => ({ marks: { ...u.marks, [c.key]: [] } }));
    if (c.ui.filters[c.key]) return c.patch((u) => ({ filters: { ...u.filters, [c.key]: '' } }));
    if (c.ui.stack.length > 1) c.patch((u) => ({ stack: u.stack.slice(0, -1) }));
  },
  close: (c) => {
    if (c.ui.help) return c.patch({ help: false });
    if (c.ui.stack.length > 1) return c.patch((u) => ({ stack: u.stack.slice(0, -1), help: false }));
    c.exit();
  },
  up: (c) => move(c, 'up'),
  down: (c) => move(c, 'down'),
  pageUp: (c) => move(c, 'pageUp'),
  pageDown: (c) => move(c, 'pageDown'),
  top: (c) => move(c, 'top'),
  bottom: (c) => move(c, 'bottom'),
  open,
  'view.nodes': (c) => goTo(c, { kind: 'nodes' }),
  'view.services': (c) => goTo(c, { kind: 'services' }),
  'view.stacks': (c) => goTo(c, { kind: 'stacks' }),
  'view.map': (c) => goTo(c, { kind: 'map' }),
  'view.events': (c) => goTo(c, { kind: 'events' }),
  'view.actions': (c) => pushOnce(c, { kind: 'actions' }),
  'view.messages': (c) => pushOnce(c, { kind: 'messages' }),
  'table.wide': (c) => {
    c.patch((u) => ({ wide: !u.wide, scrollX: 0 }));
    c.status(c.ui.wide ? 'columns fitted to the screen again' : 'wide: every column at full width; left/right scroll sideways, Ctrl+W again to fit', 'info');
  },
  repaint: (c) => {
    c.repaint();
    c.status('redrawn; reading everything again from the manager', 'info');
    // A reload counts as a reconnect, which hides what was said before it: the outcome is said after.
    c.sync.refresh().then(
      () => c.status('redrawn; everything read again from the manager', 'info'),
      (error: Error) => c.status(`redrawn; reading again failed: ${error.message}`, 'error'),
    );
  },
  'inspect.wrap': (c) => c.patch((u) => ({ inspect: { ...u.inspect, wrap: !u.inspect.wrap, scroll: 0 }, scrollX: 0 })),
  'scroll.left': (c) => c.patch((u) => ({ scrollX: Math.max(0, u.scrollX - SIDEWAYS) })),
  'scroll.right': (c) => c.patch((u) => ({ scrollX: Math.min(MAX_SCROLL_X, u.scrollX + SIDEWAYS) })),
  inspect: (c) => push(c, { kind: 'inspect', scope: selectedScope(c) ?? SWARM_SCOPE }),
  events: (c) => {
    const scope = selectedScope(c);
    if (scope?.kind === 'plan') return c.status(`${scope.name} is not created yet: it has no events`, 'info');
    push(c, { kind: 'events', scope: scope && scope.kind !== 'swarm' ? scope : undefined });
  },
  'inspect.format': (c) => c.patch((u) => ({ inspect: { ...u.inspect, format: u.inspect.format === 'yaml' ? 'json' : 'yaml', scroll: 0 } })),
  'inspect.reveal': (c) => {
    c.status(c.ui.inspect.reveal ? 'secret-looking values masked again' : 'secret-looking values revealed: x masks them again', 'info');
    c.patch((u) => ({ inspect: { ...u.inspect, reveal: !u.inspect.reveal } }));
  },
  'inspect.search': (c) => c.patch({ prompt: { kind: 'search', label: 'search /', text: c.ui.inspect.search } }),
  'inspect.next': (c) => jumpToInspectMatch(c, c.ui.inspect.match + 1),
  'inspect.previous': (c) => jumpToInspectMatch(c, c.ui.inspect.match - 1),
  'map.left': (c) => moveOnMap(c, -1),
  'map.right': (c) => moveOnMap(c, 1),
  'task.logs': open,
  ...ENGINE_COMMANDS,
  ...SORT_COMMANDS,
  ...LOG_COMMANDS,
  'drill.quorum': (c) => {
    // Without a leader the node list cannot be read (it shows the last one): the manager's error says it.
    const leaderless = /does not have a leader/.test(c.state.connection.error ?? '') || !c.state.nodes.some((n) => n.ManagerStatus?.Leader);
    void c.sync.drill(leaderless ? 'regain-quorum' : 'lose-quorum');
  },
  ...SERVICE_COMMANDS,
  ...NODE_COMMANDS,
  ...CHANGE_COMMANDS,
  'deploy.apply': (c) => void import('./deploy-flow.js').then(({ applyShownPlan }) => applyShownPlan(c)),
  mark: (c) => {
    const key = c.selectedKey;
    if (!key) return;
    const now = c.ui.marks[c.key] ?? [];
    const next = now.includes(key) ? now.filter((k) => k !== key) : [...now, key];
    c.patch((u) => ({ marks: { ...u.marks, [c.key]: next } }));
    c.status(markedText(c.view.kind, next.length), 'info');
  },
};

/** A proposed change: a dangerous command (the keymap says which) asks first, the others are sent at once. */
function propose(c: KeyContext, binding: Binding, proposal: Proposal): void {
  if (proposal.requests) {
    const requests = proposal.requests;
    c.patch({
      confirm: { title: proposal.title, lines: proposal.lines ?? [], onYes: () => void runBatch(c, requests), typeToConfirm: proposal.typeToConfirm },
    });
    return;
  }
  if (binding.dangerous || proposal.confirm || proposal.typeToConfirm) {
    c.patch({ confirm: { title: proposal.title, lines: proposal.lines ?? [], request: proposal.request, typeToConfirm: proposal.typeToConfirm } });
    return;
  }
  void runAction(c.actions, proposal.request);
}

/**
 * Handles one key press: an open dialog or prompt takes it first; otherwise the keymap names the
 * command, which is refused in read-only mode if it would change the swarm, and confirmed first if
 * it is dangerous. Both rules live here, so a new verb cannot forget either.
 */
export function handleKey(c: KeyContext, input: string, key: PressedKey): void {
  if (c.ui.confirm) return dialogKey(c, input, key);
  if (c.ui.prompt) return promptKey(c, input, key);
  if (key.ctrl && input === 'c') return c.exit();
  const binding = match(c.view.kind, { input, key }, onSimulator(c.state));
  if (!binding) return;
  if (c.readOnly && binding.mutates) return c.status(READ_ONLY_MESSAGE);
  const result = COMMANDS[binding.id as ViewCommandId](c);
  if (result instanceof Promise) void result.then((proposal) => proposal && propose(c, binding, proposal));
  else if (result) propose(c, binding, result);
}
