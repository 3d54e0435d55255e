import { matchModal, type KeyPress } from '../../keymap/lookup.js';
import { statSync } from 'node:fs';
import { parseLabels, parseNewObject, parseReplicas } from '../../store/checks.js';
import { replicasOf } from '../../swarm/spec-defaults.js';
import { runAction } from '../../store/run-action.js';
import { viewSpec } from '../views/index.js';
import type { KeyContext } from './context.js';
import { runCommandLine } from './command-line.js';
import { runBatch } from './marks.js';

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
        prompt: {
          kind: 'confirm',
          label: `type ${typeToConfirm} to go ahead (Esc cancels): `,
          text: '',
          expected: typeToConfirm,
          request,
          onConfirm: confirm.onYes,
        },
      });
      return;
    }
    c.patch({ confirm: undefined });
    if (confirm.onYes) confirm.onYes();
    else if (request) void runAction(c.actions, request);
  } else if (binding?.id === 'dialog.no') {
    c.patch({ confirm: undefined });
    c.status('cancelled: nothing was sent', 'info');
    confirm.onNo?.();
  }
}

/** Scales every marked service to the same count, after one confirmation that lists them. */
function scaleMarked(c: KeyContext, ids: string[], replicas: number): void {
  const services = ids.flatMap((id) => c.state.services.filter((s) => s.ID === id));
  const requests = services.map((s) => ({ verb: 'scale', service: { id: s.ID, name: s.Spec.Name ?? s.ID }, replicas }) as const);
  if (requests.length === 0) return;
  c.patch({
    confirm: {
      title: `Scale ${requests.length} marked to ${replicas}?`,
      lines: services.map((s) => `${s.Spec.Name}: ${replicasOf(s.Spec)} -> ${replicas}`),
      onYes: () => void runBatch(c, requests),
    },
  });
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
  if (prompt.kind === 'input') {
    const problem = prompt.submit?.(prompt.text);
    if (problem) return c.patch({ prompt: { ...prompt, error: problem } });
    // The handler may have opened another prompt: only this one closes.
    if (c.currentUi().prompt === prompt) c.patch({ prompt: undefined });
  } else if (prompt.kind === 'command') {
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
    if (prompt.onConfirm) prompt.onConfirm();
    else void runAction(c.actions, prompt.request!);
  } else if (prompt.kind === 'scale') {
    const replicas = parseReplicas(prompt.text);
    if (typeof replicas === 'string') {
      // The prompt stays open with the reason; nothing is sent.
      c.patch({ prompt: { ...prompt, error: replicas } });
      return;
    }
    c.patch({ prompt: undefined });
    if (prompt.targets) return scaleMarked(c, prompt.targets, replicas);
    const service = c.state.services.find((s) => s.ID === prompt.target);
    if (!service) return;
    const request = { verb: 'scale', service: { id: service.ID, name: service.Spec.Name ?? service.ID }, replicas } as const;
    const now = replicasOf(service.Spec);
    // Scaling to nothing, or by more than ten times, asks first: both are more often a slip than a plan.
    if (replicas === 0 || (now > 0 && replicas > now * 10) || (now === 0 && replicas > 10)) {
      const why =
        replicas === 0 ? 'Every task of it stops: the service serves nothing until scaled up again.' : `That is more than ten times the ${now} it runs now.`;
      c.patch({ confirm: { title: `Scale ${service.Spec.Name} from ${now} to ${replicas}?`, lines: [why], request } });
      return;
    }
    void runAction(c.actions, request);
  } else if (prompt.kind === 'image') {
    const image = prompt.text.trim();
    const service = c.state.services.find((s) => s.ID === prompt.target);
    if (!/^[^\s]+$/.test(image)) return c.patch({ prompt: { ...prompt, error: 'type an image reference, such as nginx:1.27' } });
    c.patch({ prompt: undefined });
    if (!service) return;
    if (image === service.Spec.TaskTemplate?.ContainerSpec?.Image) return c.status(`${service.Spec.Name} already runs ${image}: nothing was sent`, 'info');
    void runAction(c.actions, { verb: 'image', service: { id: service.ID, name: service.Spec.Name ?? service.ID }, image });
  } else if (prompt.kind === 'labels') {
    const labels = parseLabels(prompt.text);
    if (typeof labels === 'string') return c.patch({ prompt: { ...prompt, error: labels } });
    c.patch({ prompt: undefined });
    const node = c.state.nodes.find((n) => n.ID === prompt.target);
    if (node) void runAction(c.actions, { verb: 'labels', node: { id: node.ID, name: node.Description?.Hostname ?? node.ID }, ...labels });
  } else if (prompt.kind === 'new-secret' || prompt.kind === 'new-config') {
    const parsed = parseNewObject(prompt.text);
    if (typeof parsed === 'string') return c.patch({ prompt: { ...prompt, error: parsed } });
    const file = fileProblem(parsed.path);
    if (file) return c.patch({ prompt: { ...prompt, error: file } });
    c.patch({ prompt: undefined });
    void runAction(c.actions, { verb: 'create', kind: prompt.kind === 'new-secret' ? 'secret' : 'config', ...parsed });
  }
}

/** Why a file cannot be the data of a secret or config, if it cannot. */
function fileProblem(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return `${path} is not a file`;
    if (stat.size === 0) return `${path} is empty: a secret or config needs data`;
  } catch (error) {
    return `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
  }
  return undefined;
}
