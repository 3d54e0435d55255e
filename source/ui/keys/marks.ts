import { BINDINGS, type CommandId, type ViewKind } from '../../keymap/bindings.js';
import { keyLabel } from '../../keymap/lookup.js';
import type { ActionRequest } from '../../store/run-action.js';
import { describeAction, runAction } from '../../store/run-action.js';
import type { Proposal } from './commands.js';
import type { KeyContext } from './context.js';

/** Marked rows (Space): the objects they are, and one confirmation for a verb on all of them. */

/** The verbs that act on every marked row, by view: the status line names exactly these when rows are marked. */
export const MARK_VERBS: Partial<Record<ViewKind, CommandId[]>> = {
  services: ['service.scale', 'service.restart', 'service.remove'],
  nodes: ['node.drain', 'node.pause', 'node.activate'],
};

/** What the status line says when rows are marked: how many, and which keys act on them all. */
export function markedText(view: ViewKind, count: number): string {
  if (count === 0) return 'no rows marked';
  const verbs = (MARK_VERBS[view] ?? []).flatMap((id) => BINDINGS.filter((b) => b.id === id && b.pane === view).map((b) => `${keyLabel(b)} ${b.hint ?? id}`));
  if (verbs.length === 0) return `${count} marked: no verb of this view acts on marked rows (Esc clears the marks)`;
  return `${count} marked: ${verbs.join(', ')} act on all of them; other keys on the cursor row (Esc clears the marks)`;
}

/** The objects of this view's marked rows that are still there. */
export function markedOf<T>(c: KeyContext, all: readonly T[], keyOf: (t: T) => string): T[] {
  const keys = c.ui.marks[c.key] ?? [];
  return keys.flatMap((k) => all.filter((o) => keyOf(o) === k));
}

/** One confirmation listing every request, or undefined when nothing is marked (the verb then acts on the selection). */
export function batch(c: KeyContext, verb: string, requests: ActionRequest[], note?: string, typeToConfirm?: string): Proposal | undefined {
  if (requests.length === 0) return undefined;
  return {
    request: requests[0],
    requests,
    typeToConfirm,
    title: `${verb} ${requests.length} marked?`,
    lines: [
      ...requests.slice(0, 10).map((r) => describeAction(r).command),
      ...(requests.length > 10 ? [`... and ${requests.length - 10} more`] : []),
      ...(note ? [note] : []),
    ],
  };
}

/** Sends the requests one after another, each through runAction; clears the marks and sums up. */
export async function runBatch(c: KeyContext, requests: ActionRequest[]): Promise<void> {
  c.patch((u) => ({ marks: { ...u.marks, [c.key]: [] } }));
  let done = 0;
  for (const request of requests) if (await runAction(c.actions, request)) done++;
  const failed = requests.length - done;
  c.status(`${done} of ${requests.length} done${failed ? `; ${failed} failed (see the action log: a)` : ''}`, failed ? 'error' : 'success');
}
