import type { ActionRequest } from '../../store/run-action.js';
import { describeAction, runAction } from '../../store/run-action.js';
import type { Proposal } from './commands.js';
import type { KeyContext } from './context.js';

/** Marked rows (Space): the objects they are, and one confirmation for a verb on all of them. */

/** The objects of this view's marked rows that are still there. */
export function markedOf<T>(c: KeyContext, all: readonly T[], keyOf: (t: T) => string): T[] {
  const keys = c.ui.marks[c.key] ?? [];
  return keys.flatMap((k) => all.filter((o) => keyOf(o) === k));
}

/** One confirmation listing every request, or undefined when nothing is marked (the verb then acts on the selection). */
export function batch(c: KeyContext, verb: string, requests: ActionRequest[], note?: string): Proposal | undefined {
  if (requests.length === 0) return undefined;
  return {
    request: requests[0],
    requests,
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
