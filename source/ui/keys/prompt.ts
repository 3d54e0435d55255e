import { matchModal, type KeyPress } from '../../keymap/bindings.js';
import { parseReplicas } from '../../store/checks.js';
import { runAction } from '../../store/run-action.js';
import { viewSpec } from '../views/index.js';
import type { KeyContext } from './context.js';
import { runCommandLine } from './command-line.js';

/** A key press's modifiers and special keys, as Ink reports them. */
export type PressedKey = KeyPress['key'];

/** A key while a confirmation dialog is open: the keymap's dialog keys go ahead (or on to the typed confirmation) or cancel. */
export function dialogKey(c: KeyContext, input: string, key: PressedKey): void {
  const confirm = c.ui.confirm!;
  const binding = matchModal('dialog', { input, key });
  if (binding?.id === 'dialog.yes') {
    const { request, typeToConfirm } = confirm;
    if (typeToConfirm) {
      // The second confirmation: typed, so that a bounced or repeated key cannot pass it.
      c.patch({
        confirm: undefined,
        prompt: { kind: 'confirm', label: `type ${typeToConfirm} to go ahead (Esc cancels): `, text: '', expected: typeToConfirm, request },
      });
      return;
    }
    c.patch({ confirm: undefined });
    void runAction(c.actions, request);
  } else if (binding?.id === 'dialog.no') {
    c.patch({ confirm: undefined });
    c.status('cancelled: nothing was sent', 'info');
  }
}

/** A key while a prompt is open (command line, filter, search, scale, typed confirmation): edits it, submits it, or closes it. */
export function promptKey(c: KeyContext, input: string, key: PressedKey): void {
  const prompt = c.ui.prompt!;
  const binding = matchModal('prompt', { input, key });
  if (binding?.id === 'prompt.cancel') {
    if (prompt.kind === 'filter') c.patch((u) => ({ prompt: undefined, filters: { ...u.filters, [c.key]: '' } }));
    else c.patch({ prompt: undefined });
    if (prompt.kind === 'confirm') c.status('cancelled: nothing was sent', 'info');
    return;
  }
  if (binding?.id === 'prompt.submit') return submitPrompt(c);
  let text = prompt.text;
  if (binding?.id === 'prompt.erase') text = text.slice(0, -1);
  else if (binding?.id === 'prompt.clear') text = '';
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
  } else if (prompt.kind === 'search') {
    const search = viewSpec(c.view.kind).search;
    if (search) search(c, prompt.text);
    else c.patch({ prompt: undefined });
  } else if (prompt.kind === 'confirm') {
    c.patch({ prompt: undefined });
    if (prompt.text !== prompt.expected) return c.status(`"${prompt.text}" is not ${prompt.expected}: nothing was sent`);
    void runAction(c.actions, prompt.request!);
  } else if (prompt.kind === 'scale') {
    const replicas = parseReplicas(prompt.text);
    if (typeof replicas === 'string') {
      // The prompt stays open with the reason; nothing is sent.
      c.patch({ prompt: { ...prompt, error: replicas } });
      return;
    }
    c.patch({ prompt: undefined });
    const service = c.state.services.find((s) => s.ID === prompt.target);
    if (service) void runAction(c.actions, { verb: 'scale', service: { id: service.ID, name: service.Spec.Name ?? service.ID }, replicas });
  }
}
