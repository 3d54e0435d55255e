import { BINDINGS, VIEW_COMMANDS, type Binding, type CommandId, type Modal, type ViewKind } from './bindings.js';

// Looking keys up in the keymap, and showing them: the table itself is bindings.ts.

/** The bindings that apply in a pane: its own first, then the global ones it does not override. Drills only on the simulator. */
export function bindingsFor(pane: ViewKind, sim = false): Binding[] {
  const own = BINDINGS.filter((b) => b.pane === pane && (sim || !b.sim));
  const taken = new Set(own.flatMap((b) => b.keys));
  return [...own, ...BINDINGS.filter((b) => b.pane === 'global' && (sim || !b.sim) && !b.keys.some((k) => taken.has(k)))];
}

/** A key press as Ink reports it. */
export interface KeyPress {
  input: string;
  key: {
    upArrow?: boolean;
    downArrow?: boolean;
    leftArrow?: boolean;
    rightArrow?: boolean;
    pageUp?: boolean;
    pageDown?: boolean;
    home?: boolean;
    end?: boolean;
    return?: boolean;
    escape?: boolean;
    ctrl?: boolean;
    shift?: boolean;
    tab?: boolean;
    backspace?: boolean;
    delete?: boolean;
    meta?: boolean;
  };
}

/** The name of a key press in the table's notation ('j', 'G', 'ctrl+l', 'return', 'up'). */
export function keyName({ input, key }: KeyPress): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  return input;
}

/** The command a key press means in a view, if any. */
export function match(pane: ViewKind, press: KeyPress, sim = false): Binding | undefined {
  const name = keyName(press);
  return bindingsFor(pane, sim).find((b) => b.keys.includes(name));
}

/** The command a key press means in an open dialog or prompt (its own keys only), if any. */
export function matchModal(modal: Modal, press: KeyPress): Binding | undefined {
  const name = keyName(press);
  return BINDINGS.find((b) => b.pane === modal && b.keys.includes(name));
}

/** The keys of a modal command as shown, e.g. "y Y Enter". */
export const modalKeys = (id: CommandId) => keyLabel(BINDINGS.find((b) => b.id === id)!);

const pretty = (key: string) =>
  ({
    ' ': 'Space',
    return: 'Enter',
    escape: 'Esc',
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    home: 'Home',
    end: 'End',
    backspace: 'Backspace',
    delete: 'Del',
    tab: 'Tab',
  })[key] ?? (key.startsWith('ctrl+') ? `Ctrl+${key.slice(5).toUpperCase()}` : key);

/** The keys of a binding as shown to people. */
export const keyLabel = (binding: Binding) => binding.keys.map(pretty).join(' ');

/** The README's key table, in Markdown, generated from the bindings. */
export function keyTableMarkdown(): string {
  const rows = BINDINGS.map(
    (b) =>
      `| ${b.pane} | ${keyLabel(b).replace(/\|/g, '\\|')} | ${b.description}${b.dangerous ? ' (confirms)' : ''}${b.mutates ? ' (refused with --read-only)' : ''}${b.sim ? ' (on the simulator only)' : ''} |`,
  );
  const views = VIEW_COMMANDS.map((c) => `| \`:${c.name}${c.target ? ' [NAME]' : ''}\` | ${c.aliases.map((a) => `\`:${a}\``).join(' ')} | ${c.description} |`);
  return ['| pane | keys | does |', '|---|---|---|', ...rows, '', '| command | aliases | view |', '|---|---|---|', ...views].join('\n');
}
