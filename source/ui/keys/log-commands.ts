import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describeRange, parseLogRange } from '../../store/log-range.js';
import { STACK_LABEL } from '../../store/sync/log-feed.js';
import type { CommandId } from '../../keymap/bindings.js';
import type { Scope } from '../../store/state.js';
import { lineHead } from '../views/logs.js';
import { shownLogs, shownText } from '../views/log-lines.js';
import { jumpToLogMatch } from '../views/log-moves.js';
import { findScope, push, pushOnce, selectedScope, type KeyContext } from './context.js';
import type { CommandHandler } from './commands.js';

/** A stack, by the name its services carry (com.docker.stack.namespace). */
function stackScope(c: KeyContext, name: string): Scope | undefined {
  return c.state.services.some((s) => s.Spec.Labels?.[STACK_LABEL] === name) ? { kind: 'stack', id: name, name } : undefined;
}

/**
 * `:logs [NAME] [--since TIME] [--tail N]`: the logs of a service, task or stack (by name), or of
 * the selection, read from as far back as asked. Bad words are a message, and nothing opens.
 */
export function openLogsCommand(c: KeyContext, args: string[]): void {
  const named = args[0] && !args[0].startsWith('-') ? args[0] : undefined;
  const range = parseLogRange(named ? args.slice(1) : args);
  if (typeof range === 'string') return c.status(`:logs: ${range}`);
  let scope: Scope | undefined;
  if (named) {
    scope = findScope(c, named) ?? stackScope(c, named);
    if (!scope || scope.kind === 'node') return c.status(`no service, task or stack named "${named}"`);
  } else {
    const selected = selectedScope(c) ?? c.view.scope;
    scope = selected && ['service', 'task', 'stack'].includes(selected.kind) ? selected : undefined;
    if (!scope) return c.status(':logs needs a service or task: select one first, or give its name (:logs NAME)');
  }
  const next = { kind: 'logs' as const, scope, range: range.since !== undefined || range.tail !== undefined ? range : undefined };
  // The same logs with another range: the view is changed in place, not stacked again.
  if (c.view.kind === 'logs' && c.view.scope?.id === scope.id) return setRange(c, next.range);
  pushOnce(c, next);
}

/** Reads the logs on screen again from another range (the manager is asked for it, the buffer starts over). */
function setRange(c: KeyContext, range: (ReturnType<typeof parseLogRange> & object) | undefined): void {
  c.patch((u) => ({
    stack: [...u.stack.slice(0, -1), { ...u.stack[u.stack.length - 1], range }],
    logs: { ...u.logs, follow: true, anchor: undefined, match: -1 },
  }));
  c.status(`logs read again: ${describeRange(range) || 'the last 200 lines per task'}`, 'info');
}

/** Where Ctrl+S saves when no path is typed: $XDG_STATE_HOME/swarmdeck/logs/NAME-TIMESTAMP.log. */
export function defaultLogPath(name: string, now: number, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(state, 'swarmdeck', 'logs', `${name.replace(/[^\w.-]+/g, '_')}-${stamp}.log`);
}

/**
 * Saves what the view holds, as shown: the filter's lines (or all), with the prefixes and
 * timestamps on screen, masked as on screen; the file readable by its owner only.
 */
function saveLogs(c: KeyContext, typed: string): string | void {
  const name = c.view.scope?.name ?? 'logs';
  const path = typed.trim() ? resolve(typed.trim().replace(/^~(?=\/|$)/, homedir())) : defaultLogPath(name, c.now);
  const ui = c.currentUi();
  const state = c.store.getSnapshot();
  const shown = shownLogs(state, ui.logs);
  const out: string[] = [];
  for (let i = 0; i < shown.size; i++) {
    const { entry } = shown.line(i);
    out.push(`${lineHead(entry, state, ui.logs.timestamps)}${shownText(entry)}\n`);
  }
  const text = out.join('');
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600 });
    // An existing file keeps its mode on write: it is made the owner's alone as well.
    chmodSync(path, 0o600);
  } catch (error) {
    return `cannot save: ${(error as Error).message}`;
  }
  c.status(`saved ${shown.size} lines${ui.logs.search ? ` matching /${ui.logs.search}` : ''} to ${path}`, 'success');
}

/** The ids of the logs view's commands, as the keymap names them. */
type LogCommandId = Extract<CommandId, `logs.${string}` | 'stack.logs'>;

/** The logs view's commands (and `l` on a stack). */
export const LOG_COMMANDS: Record<LogCommandId, CommandHandler> = {
  'logs.follow': (c) => {
    const follow = !c.ui.logs.follow;
    const shown = shownLogs(c.state, c.ui.logs);
    c.patch((u) => ({ logs: { ...u.logs, follow, anchor: follow ? undefined : shown.size > 0 ? shown.line(shown.size - 1).seq : undefined } }));
    // Following again after the stream ended or failed: it is opened again.
    if (follow && (c.state.logs.status === 'ended' || c.state.logs.status === 'error')) c.sync.followLogs();
  },
  'logs.timestamps': (c) => c.patch((u) => ({ logs: { ...u.logs, timestamps: !u.logs.timestamps } })),
  'logs.wrap': (c) => c.patch((u) => ({ logs: { ...u.logs, wrap: !u.logs.wrap } })),
  // A new / starts empty: it is a new filter, not an edit of the last.
  'logs.search': (c) => c.patch({ prompt: { kind: 'search', label: 'filter / (regex; a capital letter makes it case-sensitive): ', text: '' } }),
  'logs.next': (c) => jumpToLogMatch(c, c.ui.logs.match + 1),
  'logs.previous': (c) => jumpToLogMatch(c, c.ui.logs.match < 0 ? 0 : c.ui.logs.match - 1),
  'logs.all': (c) => {
    if (!c.ui.logs.search) return c.status('no filter: / takes a pattern first', 'info');
    c.patch((u) => ({ logs: { ...u.logs, all: !u.logs.all, match: -1 } }));
    c.status(c.ui.logs.all ? 'only the matching lines' : 'every line, the matches highlighted: n and N step through them from the newest', 'info');
  },
  'logs.clear': (c) => {
    if (c.ui.help) return c.patch({ help: false });
    if (c.ui.logs.search) {
      c.patch((u) => ({ logs: { ...u.logs, search: '', all: false, match: -1 } }));
      return c.status('filter cleared', 'info');
    }
    if (c.ui.stack.length > 1) c.patch((u) => ({ stack: u.stack.slice(0, -1) }));
  },
  'logs.range': (c) =>
    c.patch({
      prompt: {
        kind: 'input',
        label: 'read from (10m, 2h, an RFC 3339 time, a line count per task, all; both: 10m 500): ',
        text: '',
        submit: (text) => {
          const range = parseLogRange(text.trim().split(/\s+/).filter(Boolean));
          if (typeof range === 'string') return range;
          setRange(c, range.since !== undefined || range.tail !== undefined ? range : undefined);
        },
      },
    }),
  'logs.save': (c) =>
    c.patch({
      prompt: {
        kind: 'input',
        label: `save ${c.ui.logs.search ? `the lines matching /${c.ui.logs.search}` : 'these lines'} to (Enter: ${defaultLogPath(c.view.scope?.name ?? 'logs', c.now)}): `,
        text: '',
        submit: (text) => saveLogs(c, text),
      },
    }),
  'stack.logs': (c) => {
    const name = c.selectedKey;
    if (name) push(c, { kind: 'logs', scope: { kind: 'stack', id: name, name } });
  },
};
