import type { CommandId, KeyPress } from '../../keymap/bindings.js';
import { parseReplicas, swarmActions } from '../../store/actions.js';
import type { KeyContext } from './context.js';
import { runCommandLine } from './command-line.js';
import { jumpToInspectMatch, jumpToLogMatch } from './search.js';

/** A key press's modifiers and special keys, as Ink reports them. */
export type PressedKey = KeyPress['key'];

/** Sends a confirmed dangerous action. */
function runConfirmed(c: KeyContext, command: CommandId, target: string): void {
  const { services, nodes } = c.store.getSnapshot();
  const service = services.find((s) => s.ID === target);
  const node = nodes.find((n) => n.ID === target);
  const ctx = c.actions;
  if (command === 'service.restart' && service) void swarmActions.forceUpdate(ctx, service);
  if (command === 'service.rollback' && service) void swarmActions.rollback(ctx, service);
  if (command === 'node.demote' && node) void swarmActions.role(ctx, node, 'worker');
  if (command === 'node.drain' && node) void swarmActions.availability(ctx, node, 'drain');
  if (command === 'node.pause' && node) void swarmActions.availability(ctx, node, 'pause');
}

/** A key while a confirmation dialog is open: y or Enter goes ahead (or on to the typed confirmation), n or Esc cancels. */
export function confirmKey(c: KeyContext, input: string, key: PressedKey): void {
  const confirm = c.ui.confirm!;
  if (input === 'y' || input === 'Y' || key.return) {
    const { command, target, typeToConfirm } = confirm;
    if (typeToConfirm) {
      // The second confirmation: typed, so that a bounced or repeated key cannot pass it.
      c.patch({
        confirm: undefined,
        prompt: { kind: 'confirm', label: `type ${typeToConfirm} to go ahead (Esc cancels): `, text: '', target, expected: typeToConfirm, command },
      });
      return;
    }
    c.patch({ confirm: undefined });
    runConfirmed(c, command, target);
  } else if (input === 'n' || input === 'N' || key.escape) {
    c.patch({ confirm: undefined });
    c.status('cancelled: nothing was sent', 'info');
  }
}

/** A key while a prompt is open (command line, filter, search, scale, typed confirmation): edits it, submits it, or closes it. */
export function promptKey(c: KeyContext, input: string, key: PressedKey): void {
  const prompt = c.ui.prompt!;
  if (key.escape) {
    if (prompt.kind === 'filter') c.patch((u) => ({ prompt: undefined, filters: { ...u.filters, [c.key]: '' } }));
    else c.patch({ prompt: undefined });
    if (prompt.kind === 'confirm') c.status('cancelled: nothing was sent', 'info');
    return;
  }
  if (key.return) return submitPrompt(c);
  let text = prompt.text;
  if (key.backspace || key.delete) text = text.slice(0, -1);
  else if (key.ctrl && input === 'u') text = '';
  else if (!key.ctrl && !key.meta && input && !/[\u0000-\u001f]/.test(input)) text += input;
  else return;
  const next = { ...prompt, text, error: undefined };
  // The filter applies as it is typed.
  if (prompt.kind === 'filter') c.patch((u) => ({ prompt: next, filters: { ...u.filters, [c.key]: text } }));
  else c.patch({ prompt: next });
}

function submitPrompt(c: KeyContext): void {
  const prompt = c.ui.prompt!;
  if (prompt.kind === 'command') {
    c.patch({ prompt: undefined });
    runCommandLine(c, prompt.text);
  } else if (prompt.kind === 'filter') {
    c.patch({ prompt: undefined });
  } else if (prompt.kind === 'search' && c.view.kind === 'inspect') {
    c.patch((u) => ({ prompt: undefined, inspect: { ...u.inspect, search: prompt.text, match: 0 } }));
    jumpToInspectMatch(c, 0, prompt.text);
  } else if (prompt.kind === 'search') {
    c.patch((u) => ({ prompt: undefined, logs: { ...u.logs, search: prompt.text, match: 0 } }));
    jumpToLogMatch(c, 0, prompt.text);
  } else if (prompt.kind === 'confirm') {
    c.patch({ prompt: undefined });
    if (prompt.text !== prompt.expected) return c.status(`"${prompt.text}" is not ${prompt.expected}: nothing was sent`);
    runConfirmed(c, prompt.command!, prompt.target!);
  } else if (prompt.kind === 'scale') {
    const replicas = parseReplicas(prompt.text);
    if (typeof replicas === 'string') {
      // The prompt stays open with the reason; nothing is sent.
      c.patch({ prompt: { ...prompt, error: replicas } });
      return;
    }
    c.patch({ prompt: undefined });
    const service = c.state.services.find((s) => s.ID === prompt.target);
    if (service) void swarmActions.scale(c.actions, service, replicas);
  }
}
