import { match, type CommandId } from '../../keymap/bindings.js';
import { READ_ONLY_MESSAGE } from '../../store/actions.js';
import { onSimulator, SWARM_SCOPE } from '../../store/state.js';
import { goTo, nodeScope, push, selectedNode, selectedScope, selectedService, serviceScope, taskScope, type KeyContext } from './context.js';
import { move, moveOnMap } from './navigation.js';
import { NODE_COMMANDS } from './node-commands.js';
import { confirmKey, promptKey, type PressedKey } from './prompt.js';
import { jumpToInspectMatch, jumpToLogMatch } from './search.js';
import { SERVICE_COMMANDS } from './service-commands.js';

/** What a command does when its key is pressed. */
export type CommandHandler = (c: KeyContext) => void;

/** Drill-down with Enter: to what the selected row contains. */
function open(c: KeyContext): void {
  const { view, selectedKey } = c;
  const service = selectedService(c);
  const node = selectedNode(c);
  if (view.kind === 'services' && service) return push(c, { kind: 'tasks', scope: serviceScope(service) });
  if (view.kind === 'stacks' && selectedKey) return push(c, { kind: 'services', scope: { kind: 'stack', id: selectedKey, name: selectedKey } });
  if (view.kind === 'contexts' && selectedKey) {
    void c.sync.switchContext(selectedKey).then((switched) => switched && goTo(c, { kind: 'services' }));
    return c.status(`switching to context ${selectedKey}...`, 'info');
  }
  if (view.kind === 'map' || view.kind === 'nodes') {
    const scope = view.kind === 'nodes' ? node && nodeScope(node) : selectedScope(c);
    return scope ? push(c, { kind: 'tasks', scope }) : undefined;
  }
  if (view.kind === 'networks' || view.kind === 'configs' || view.kind === 'secrets' || view.kind === 'events') {
    const scope = selectedScope(c);
    return scope ? push(c, { kind: 'inspect', scope }) : undefined;
  }
  if (view.kind === 'tasks') {
    const scope = taskScope(c);
    if (scope) push(c, { kind: 'logs', scope });
  }
}

/** Every command's handler, by id: the keymap says which key runs which, this says what it does. */
export const COMMANDS: Record<CommandId, CommandHandler> = {
  quit: (c) => c.exit(),
  command: (c) => c.patch({ prompt: { kind: 'command', label: ':', text: '' } }),
  filter: (c) => c.patch({ prompt: { kind: 'filter', label: '/', text: c.ui.filters[c.key] ?? '' } }),
  help: (c) => c.patch((u) => ({ help: !u.help, helpScroll: 0 })),
  back: (c) => {
    if (c.ui.help) return c.patch({ help: false });
    if (c.ui.filters[c.key]) return c.patch((u) => ({ filters: { ...u.filters, [c.key]: '' } }));
    if (c.ui.stack.length > 1) c.patch((u) => ({ stack: u.stack.slice(0, -1) }));
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
  'view.actions': (c) => (c.view.kind === 'actions' ? undefined : push(c, { kind: 'actions' })),
  inspect: (c) => push(c, { kind: 'inspect', scope: selectedScope(c) ?? SWARM_SCOPE }),
  events: (c) => {
    const scope = selectedScope(c);
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
  'task.logs': (c) => {
    const scope = taskScope(c);
    if (scope) push(c, { kind: 'logs', scope });
  },
  'logs.follow': (c) => {
    c.patch((u) => ({ logs: { ...u.logs, follow: !u.logs.follow, scroll: 0 } }));
    // Following again re-attaches from the tail.
    if (!c.ui.logs.follow && c.view.scope) c.sync.setLogs(c.view.scope, { follow: true, tail: 200 });
  },
  'logs.timestamps': (c) => c.patch((u) => ({ logs: { ...u.logs, timestamps: !u.logs.timestamps } })),
  'logs.wrap': (c) => c.patch((u) => ({ logs: { ...u.logs, wrap: !u.logs.wrap } })),
  'logs.search': (c) => c.patch({ prompt: { kind: 'search', label: 'search /', text: c.ui.logs.search } }),
  'logs.next': (c) => jumpToLogMatch(c, c.ui.logs.match + 1),
  'logs.previous': (c) => jumpToLogMatch(c, c.ui.logs.match - 1),
  'drill.quorum': (c) => {
    // Without a leader the node list cannot be read (it shows the last one): the manager's error says it.
    const leaderless = /does not have a leader/.test(c.state.connection.error ?? '') || !c.state.nodes.some((n) => n.ManagerStatus?.Leader);
    void c.sync.drill(leaderless ? 'regain-quorum' : 'lose-quorum');
  },
  ...SERVICE_COMMANDS,
  ...NODE_COMMANDS,
};

/**
 * Handles one key press: an open dialog or prompt takes it first; otherwise the keymap names the
 * command, which is refused in read-only mode if it would change the swarm.
 */
export function handleKey(c: KeyContext, input: string, key: PressedKey): void {
  if (c.ui.confirm) return confirmKey(c, input, key);
  if (c.ui.prompt) return promptKey(c, input, key);
  if (key.ctrl && input === 'c') return c.exit();
  const binding = match(c.view.kind, { input, key }, onSimulator(c.state));
  if (!binding) return;
  if (c.readOnly && binding.mutates) return c.status(READ_ONLY_MESSAGE);
  COMMANDS[binding.id](c);
}
