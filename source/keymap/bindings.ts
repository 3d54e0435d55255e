import { VIEW_COMMANDS, viewCommand, type ViewCommand } from './view-commands.js';

/** The views the console shows; each is a pane with its own keys. */
export type ViewKind =
  | 'nodes'
  | 'services'
  | 'tasks'
  | 'logs'
  | 'actions'
  | 'messages'
  | 'stacks'
  | 'networks'
  | 'configs'
  | 'secrets'
  | 'events'
  | 'map'
  | 'inspect'
  | 'contexts'
  | 'deploy'
  | 'containers'
  | 'processes'
  | 'top';

/** The panes a binding can belong to; 'global' works in every view; a dialog or prompt, while open, takes every key itself. */
export type Pane = 'global' | ViewKind | Modal;

/** The panes that take the keyboard while open: a confirmation dialog, a prompt on the status line. */
export type Modal = 'dialog' | 'prompt';

/** One command: what it is, its keys, where it applies, and whether it can harm the swarm. */
export interface Binding {
  id: CommandId;
  keys: string[];
  pane: Pane;
  description: string;
  /** Asks for confirmation first. */
  dangerous?: boolean;
  /** Changes the swarm: refused in read-only mode. */
  mutates?: boolean;
  /** Shown in the footer of its pane, with this short label. */
  hint?: string;
  /** A practice drill: only on the simulated swarm (`--sim`), listed in help only there. */
  sim?: boolean;
}

/** Every command id. */
export type CommandId =
  | 'quit'
  | 'command'
  | 'filter'
  | 'help'
  | 'back'
  | 'close'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'view.nodes'
  | 'view.services'
  | 'view.actions'
  | 'view.messages'
  | 'view.stacks'
  | 'view.map'
  | 'view.events'
  | 'inspect'
  | 'events'
  | 'inspect.format'
  | 'inspect.reveal'
  | 'inspect.search'
  | 'inspect.next'
  | 'inspect.previous'
  | 'inspect.wrap'
  | 'table.wide'
  | 'repaint'
  | 'scroll.left'
  | 'scroll.right'
  | 'map.left'
  | 'map.right'
  | 'tasks.rollback'
  | 'drill.node'
  | 'drill.image'
  | 'drill.quorum'
  | 'service.scale'
  | 'service.restart'
  | 'service.rollback'
  | 'service.logs'
  | 'mark'
  | 'deploy.apply'
  | 'service.image'
  | 'service.edit'
  | 'node.edit'
  | 'service.remove'
  | 'node.labels'
  | 'stack.remove'
  | 'resource.new'
  | 'resource.remove'
  | 'node.promote'
  | 'node.demote'
  | 'node.drain'
  | 'node.pause'
  | 'node.activate'
  | 'task.logs'
  | 'task.shell'
  | 'task.top'
  | 'sort.cpu'
  | 'sort.mem'
  | 'sort.name'
  | 'node.containers'
  | 'logs.follow'
  | 'logs.timestamps'
  | 'logs.wrap'
  | 'logs.search'
  | 'logs.next'
  | 'logs.previous'
  | 'logs.all'
  | 'logs.clear'
  | 'logs.range'
  | 'logs.save'
  | 'stack.logs'
  | 'dialog.yes'
  | 'dialog.no'
  | 'prompt.submit'
  | 'prompt.cancel'
  | 'prompt.erase'
  | 'prompt.clear';

/**
 * The one keymap table. Help, the footer hints and the README's key table are rendered from it;
 * no other file defines a key.
 */
export const BINDINGS: readonly Binding[] = [
  // q is back everywhere, as in a pager: it quits only from a root view, so a drill-down is never lost to it.
  { id: 'close', keys: ['q'], pane: 'global', description: 'back, as a pager does; quits from a root view (nothing under it)', hint: 'back/quit' },
  { id: 'quit', keys: ['ctrl+c'], pane: 'global', description: 'quit' },
  { id: 'command', keys: [':'], pane: 'global', description: 'command line: a view (:nodes, :stacks, :map, ... see below), or :q', hint: 'command' },
  { id: 'filter', keys: ['/'], pane: 'global', description: 'filter the list', hint: 'filter' },
  { id: 'help', keys: ['?'], pane: 'global', description: 'help: every key', hint: 'help' },
  { id: 'back', keys: ['escape'], pane: 'global', description: 'back, or clear the filter' },
  { id: 'up', keys: ['k', 'up'], pane: 'global', description: 'move up' },
  { id: 'down', keys: ['j', 'down'], pane: 'global', description: 'move down' },
  { id: 'pageUp', keys: ['pageup', 'ctrl+b'], pane: 'global', description: 'page up' },
  { id: 'pageDown', keys: ['pagedown', 'ctrl+f'], pane: 'global', description: 'page down' },
  { id: 'top', keys: ['g', 'home'], pane: 'global', description: 'first row' },
  { id: 'bottom', keys: ['G', 'end'], pane: 'global', description: 'last row' },
  { id: 'open', keys: ['return'], pane: 'global', description: 'drill down: service or node to its tasks, task to its logs', hint: 'open' },
  { id: 'view.nodes', keys: ['1'], pane: 'global', description: 'nodes view' },
  { id: 'view.services', keys: ['2'], pane: 'global', description: 'services view' },
  { id: 'view.stacks', keys: ['3'], pane: 'global', description: 'stacks view' },
  { id: 'view.map', keys: ['4'], pane: 'global', description: 'cluster map: a column per node, its tasks as blocks' },
  { id: 'view.events', keys: ['5'], pane: 'global', description: 'events timeline, live' },
  {
    id: 'inspect',
    keys: ['i'],
    pane: 'global',
    description: 'inspect the selected object (YAML or JSON); the swarm itself when nothing is selected',
    hint: 'inspect',
  },
  { id: 'events', keys: ['E'], pane: 'global', description: 'events of the selected object' },
  {
    id: 'view.actions',
    keys: ['a'],
    pane: 'global',
    description: 'action log: what this console changed, when, where, and the docker command for each',
    hint: 'action log',
  },
  {
    id: 'view.messages',
    keys: ['M'],
    pane: 'global',
    description: 'messages: everything the status line said this session, newest first (it forgets after 10 s)',
  },
  { id: 'service.scale', keys: ['s'], pane: 'services', description: 'scale (replicas)', mutates: true, hint: 'scale' },
  { id: 'service.restart', keys: ['r'], pane: 'services', description: 'restart: update --force', mutates: true, dangerous: true, hint: 'restart' },
  {
    id: 'service.rollback',
    keys: ['ctrl+l'],
    pane: 'services',
    description: 'roll back to the previous spec',
    mutates: true,
    dangerous: true,
    hint: 'rollback',
  },
  { id: 'service.logs', keys: ['l'], pane: 'services', description: 'logs of the service', hint: 'logs' },
  {
    id: 'service.edit',
    keys: ['e'],
    pane: 'services',
    description: 'edit the Spec as YAML in $VISUAL or $EDITOR (else vi); the changes are shown before anything is sent',
    mutates: true,
    hint: 'edit',
  },
  {
    id: 'node.edit',
    keys: ['e'],
    pane: 'nodes',
    description: 'edit the Spec (labels, availability, role) as YAML in $EDITOR, same flow',
    mutates: true,
    hint: 'edit',
  },
  {
    id: 'service.image',
    keys: ['I'],
    pane: 'services',
    description: 'set image: a prompt with the current image; Enter rolls it out',
    mutates: true,
    hint: 'image',
  },
  {
    id: 'service.remove',
    keys: ['ctrl+d'],
    pane: 'services',
    description: 'remove the service (confirmed by typing its name)',
    mutates: true,
    dangerous: true,
    hint: 'remove',
  },
  {
    id: 'node.labels',
    keys: ['L'],
    pane: 'nodes',
    description: 'labels: k=v adds or changes, -k removes; several separated by spaces',
    mutates: true,
    hint: 'labels',
  },
  {
    id: 'stack.remove',
    keys: ['ctrl+d'],
    pane: 'stacks',
    description: 'remove the stack as docker stack rm does: its services, networks, secrets, configs (typed name)',
    mutates: true,
    dangerous: true,
    hint: 'remove',
  },
  { id: 'resource.new', keys: ['n'], pane: 'secrets', description: "new secret: NAME PATH (the file's contents are the data)", mutates: true, hint: 'new' },
  { id: 'resource.new', keys: ['n'], pane: 'configs', description: "new config: NAME PATH (the file's contents are the data)", mutates: true, hint: 'new' },
  { id: 'resource.remove', keys: ['ctrl+d'], pane: 'secrets', description: 'remove the secret', mutates: true, dangerous: true, hint: 'remove' },
  { id: 'resource.remove', keys: ['ctrl+d'], pane: 'configs', description: 'remove the config', mutates: true, dangerous: true, hint: 'remove' },
  {
    id: 'mark',
    keys: [' '],
    pane: 'services',
    description: 'mark or unmark the row: s, r and Ctrl+D then act on every marked service (Esc clears)',
    hint: 'mark',
  },
  { id: 'node.promote', keys: ['P'], pane: 'nodes', description: 'promote to manager', mutates: true, hint: 'promote' },
  { id: 'node.demote', keys: ['D'], pane: 'nodes', description: 'demote to worker', mutates: true, dangerous: true, hint: 'demote' },
  { id: 'node.drain', keys: ['r'], pane: 'nodes', description: 'drain: move its tasks away', mutates: true, dangerous: true, hint: 'drain' },
  { id: 'node.pause', keys: ['c'], pane: 'nodes', description: 'pause: no new tasks', mutates: true, dangerous: true, hint: 'pause' },
  { id: 'node.activate', keys: ['u'], pane: 'nodes', description: 'activate', mutates: true, hint: 'activate' },
  { id: 'mark', keys: [' '], pane: 'nodes', description: 'mark or unmark the row: r, u and c then act on every marked node (Esc clears)', hint: 'mark' },
  {
    id: 'deploy.apply',
    keys: ['y'],
    pane: 'deploy',
    description: 'apply this plan, exactly as shown (:deploy FILE [STACK] makes it)',
    mutates: true,
    hint: 'apply',
  },
  { id: 'task.logs', keys: ['l'], pane: 'tasks', description: 'logs of the task', hint: 'logs' },
  {
    id: 'task.shell',
    keys: ['s'],
    pane: 'tasks',
    description: "shell in the task's container on its node (bash, else sh; config.yaml shell: sets another); refused in --read-only",
    // A shell can change anything: read-only mode refuses it as it refuses a change.
    mutates: true,
    hint: 'shell',
  },
  {
    id: 'task.top',
    keys: ['t'],
    pane: 'tasks',
    description: "processes in the task's container (docker top, from its node's engine), live",
    hint: 'processes',
  },
  {
    id: 'node.containers',
    keys: ['C'],
    pane: 'nodes',
    description: "containers of the node's own engine, swarm or not, with state, CPU and MEM (:containers NODE)",
    hint: 'containers',
  },
  { id: 'close', keys: ['q'], pane: 'logs', description: 'back, as a pager does (quits when nothing is under it)', hint: 'back' },
  { id: 'close', keys: ['q'], pane: 'inspect', description: 'back, as a pager does (quits when nothing is under it)', hint: 'back' },
  { id: 'logs.follow', keys: ['f'], pane: 'logs', description: 'follow on/off', hint: 'follow' },
  { id: 'logs.timestamps', keys: ['t'], pane: 'logs', description: 'timestamps on/off', hint: 'timestamps' },
  { id: 'logs.wrap', keys: ['w'], pane: 'logs', description: 'wrap long lines on/off', hint: 'wrap' },
  {
    id: 'logs.search',
    keys: ['/'],
    pane: 'logs',
    description: 'filter: only the lines matching a regular expression (case-insensitive unless it has a capital letter)',
    hint: 'filter',
  },
  { id: 'logs.all', keys: ['tab'], pane: 'logs', description: 'only the matching lines, or every line with the matches highlighted', hint: 'all/matches' },
  { id: 'logs.next', keys: ['n'], pane: 'logs', description: 'the next older match, from the newest', hint: 'next match' },
  { id: 'logs.previous', keys: ['N'], pane: 'logs', description: 'the next newer match' },
  { id: 'logs.clear', keys: ['escape'], pane: 'logs', description: 'clear the filter, else back' },
  {
    id: 'logs.range',
    keys: ['s'],
    pane: 'logs',
    description: 'read from: since 10m, 2h or a time, or the last N lines per task (asked of the manager)',
    hint: 'since',
  },
  { id: 'logs.save', keys: ['ctrl+s'], pane: 'logs', description: 'save the lines shown (filtered as shown) to a file, mode 0600', hint: 'save' },
  { id: 'stack.logs', keys: ['l'], pane: 'stacks', description: "logs of the stack: every service's lines in time order", hint: 'logs' },
  { id: 'inspect.format', keys: ['J'], pane: 'inspect', description: 'JSON or YAML', hint: 'json/yaml' },
  {
    id: 'inspect.reveal',
    keys: ['x'],
    pane: 'inspect',
    description: 'reveal or mask secret-looking env values and join tokens (here and in rollback previews)',
    hint: 'reveal',
  },
  { id: 'inspect.search', keys: ['/'], pane: 'inspect', description: 'search (highlight matches)', hint: 'search' },
  { id: 'inspect.next', keys: ['n'], pane: 'inspect', description: 'next match', hint: 'next match' },
  { id: 'inspect.previous', keys: ['N'], pane: 'inspect', description: 'previous match' },
  { id: 'inspect.wrap', keys: ['w'], pane: 'inspect', description: 'wrap long lines on/off (off: left/right scroll sideways)', hint: 'wrap' },
  // Sorting: k9s's Shift+C and Shift+M are taken here (C: a node's containers, M: messages); H, Z and N are free in every list.
  { id: 'sort.cpu', keys: ['H'], pane: 'global', description: 'sort by CPU, hottest first (:sort cpu); lists with a CPU column' },
  { id: 'sort.mem', keys: ['Z'], pane: 'global', description: 'sort by memory, biggest first (:sort mem); lists with a MEM column' },
  { id: 'sort.name', keys: ['N'], pane: 'global', description: "sort by name, A to Z (:sort name; :sort alone: the view's own order)" },
  { id: 'repaint', keys: ['ctrl+r'], pane: 'global', description: 'redraw the screen from nothing and read everything again' },
  { id: 'table.wide', keys: ['ctrl+w'], pane: 'global', description: 'wide: every column at full width, left/right scroll sideways (as k9s)' },
  { id: 'scroll.left', keys: ['left'], pane: 'global', description: 'scroll sideways: a wide table, unwrapped inspect lines' },
  { id: 'scroll.right', keys: ['right'], pane: 'global', description: 'scroll sideways the other way' },
  { id: 'map.left', keys: ['h', 'left'], pane: 'map', description: 'node to the left', hint: 'move' },
  { id: 'map.right', keys: ['l', 'right'], pane: 'map', description: 'node to the right' },
  {
    id: 'tasks.rollback',
    keys: ['ctrl+l'],
    pane: 'tasks',
    description: 'roll back this service (from its rollout)',
    mutates: true,
    dangerous: true,
    hint: 'rollback',
  },
  {
    id: 'drill.node',
    keys: ['X'],
    pane: 'nodes',
    description: 'practice: take the node down, or bring it back',
    sim: true,
    mutates: true,
    hint: 'node down/up',
  },
  { id: 'drill.node', keys: ['X'], pane: 'map', description: 'practice: take the node down, or bring it back', sim: true, mutates: true, hint: 'node down/up' },
  {
    id: 'drill.image',
    keys: ['B'],
    pane: 'services',
    description: "practice: make the service's image fail to pull, or work again",
    sim: true,
    mutates: true,
    hint: 'break image',
  },
  { id: 'drill.quorum', keys: ['Q'], pane: 'global', description: 'practice: lose raft quorum (managers down), or regain it', sim: true, mutates: true },
  { id: 'dialog.yes', keys: ['y', 'Y', 'return'], pane: 'dialog', description: 'go ahead (or on to typing the name, where one is asked)' },
  { id: 'dialog.no', keys: ['n', 'N', 'escape'], pane: 'dialog', description: 'cancel: nothing is sent' },
  { id: 'prompt.submit', keys: ['return'], pane: 'prompt', description: 'submit what was typed' },
  { id: 'prompt.cancel', keys: ['escape'], pane: 'prompt', description: 'close the prompt (a filter is cleared)' },
  { id: 'prompt.erase', keys: ['backspace', 'delete'], pane: 'prompt', description: 'erase the last character' },
  { id: 'prompt.clear', keys: ['ctrl+u'], pane: 'prompt', description: 'clear the line' },
];

export { VIEW_COMMANDS, viewCommand, type ViewCommand };
