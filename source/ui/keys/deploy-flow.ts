import { basename, dirname, resolve } from 'node:path';
import { convertStack } from '../../compose/convert.js';
import { loadCompose } from '../../compose/load.js';
import { planStack, planText } from '../../compose/plan.js';
import { runAction } from '../../store/run-action.js';
import { maskChangeValue } from '../present/diff.js';
import type { KeyContext } from './context.js';

/** `:deploy FILE [STACK]`: the plan in a dialog, y applies exactly it, then the stack's services view follows the rollout. */
export async function deployFromConsole(c: KeyContext, args: string[]): Promise<void> {
  const [file, given] = args;
  if (!file) return c.status('give a compose file: :deploy FILE [STACK] (the stack defaults to the name of the directory the file is in)');
  const stack = given ?? basename(dirname(resolve(file)));
  let plan;
  try {
    const loaded = loadCompose([file]);
    plan = await planStack(c.sync.client, stack, convertStack(loaded, stack), false);
  } catch (error) {
    return c.status(`deploy ${stack}: ${(error as Error).message}`);
  }
  const work = plan.entries.filter((e) => e.action === 'create' || e.action === 'update');
  if (work.length === 0) return c.status(`stack ${stack} is up to date with ${file}: nothing was sent`, 'info');
  const lines = planText(plan, (path, value) => maskChangeValue(path, value, c.ui.inspect.reveal));
  const room = Math.max(3, c.bodyHeight - 6);
  c.patch({
    confirm: {
      title: `Deploy stack ${stack} from ${file}?`,
      lines:
        lines.length > room ? [...lines.slice(0, room - 1), `... ${lines.length - room + 1} more lines (swarmdeck deploy --dry-run shows them all)`] : lines,
      onYes: () => {
        void runAction(c.actions, { verb: 'deploy', stack, files: [file], plan }).then((done) => {
          if (done) c.goTo({ kind: 'services', scope: { kind: 'stack', id: stack, name: stack } });
        });
      },
    },
  });
}
