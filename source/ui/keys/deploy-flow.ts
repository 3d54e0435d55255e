import { basename, dirname, resolve } from 'node:path';
import { stackProblems } from '../../compose/checks.js';
import { convertStack } from '../../compose/convert.js';
import { loadCompose } from '../../compose/load.js';
import { planStack } from '../../compose/plan.js';
import { runAction } from '../../store/run-action.js';
import type { KeyContext } from './context.js';

/** `:deploy FILE [STACK]`: the plan in a dialog, y applies exactly it, then the stack's services view follows the rollout. */
export async function deployFromConsole(c: KeyContext, args: string[]): Promise<void> {
  const [file, given] = args;
  if (!file) return c.status('give a compose file: :deploy FILE [STACK] (the stack defaults to the name of the directory the file is in)');
  const stack = given ?? basename(dirname(resolve(file)));
  let plan;
  try {
    const loaded = loadCompose([file]);
    const converted = convertStack(loaded, stack);
    // What the Engine would refuse is said before a plan is shown, and nothing is sent.
    const problems = stackProblems(converted);
    if (problems.length > 0) return c.status(`deploy ${stack}: the Engine would refuse this stack: ${problems.join('; ')}`);
    plan = await planStack(c.sync.client, stack, converted, false);
  } catch (error) {
    return c.status(`deploy ${stack}: ${(error as Error).message}`);
  }
  const work = plan.entries.filter((e) => e.action === 'create' || e.action === 'update');
  if (work.length === 0) return c.status(`stack ${stack} is up to date with ${file}: nothing was sent`, 'info');
  // The plan as a view: a row per object, Enter opens a row's changed (or, for a create, sent) fields, y applies exactly it.
  c.patch((u) => ({ deploy: { stack, file, plan, open: [], readOnly: c.readOnly }, stack: [...u.stack, { kind: 'deploy' as const }], help: false }));
}

/** y in the plan view: the plan shown is the plan applied; then the stack's services show the rollout. */
export function applyShownPlan(c: KeyContext): void {
  const deploy = c.ui.deploy;
  if (!deploy) return c.status('no plan to apply: :deploy FILE [STACK] makes one');
  if (deploy.readOnly || c.readOnly) return c.status('read-only mode: this plan is shown to be read; nothing was sent');
  const { stack, file, plan } = deploy;
  void runAction(c.actions, { verb: 'deploy', stack, files: [file], plan }).then((done) => {
    if (done) c.goTo({ kind: 'services', scope: { kind: 'stack', id: stack, name: stack } });
    c.patch({ deploy: undefined });
  });
}
