import { VIEW_COMMANDS, viewCommand } from '../../keymap/bindings.js';
import { SWARM_SCOPE } from '../../store/state.js';
import { viewSpec } from '../views/index.js';
import { topCommand } from '../views/top.js';
import { sortCommand } from './sort-commands.js';
import { openLogsCommand } from './log-commands.js';
import { findScope, goTo, pushOnce, selectedScope, type KeyContext } from './context.js';

/** Runs what was typed on the command line: a view (`:tasks NAME`, `:map`...), `:help` or `:q`. */
export function runCommandLine(c: KeyContext, text: string): void {
  const [word, ...args] = text.trim().replace(/^:/, '').split(/\s+/);
  const name = word.toLowerCase();
  if (name === 'q' || name === 'quit' || name === 'q!') return c.exit();
  if (name === 'help') return c.patch({ help: true });
  if (name === 'deploy') {
    // In read-only mode too: the plan is read and shown (as deploy --read-only --dry-run prints it); y, its apply key, is refused.
    // Loaded when first used: the compose reader and its YAML library stay out of start-up.
    void import('./deploy-flow.js').then(({ deployFromConsole }) => deployFromConsole(c, args));
    return;
  }
  if (name === 'sort') return sortCommand(c, args);
  const found = viewCommand(name);
  if (!found)
    return c.status(
      `unknown command ":${word}"; try ${VIEW_COMMANDS.map((v) => `:${v.name}`).join(', ')}, :sort cpu|mem|name, :deploy FILE [STACK], :help, :q`,
    );
  // The logs take a stack's name too, and --since / --tail.
  if (found.view === 'logs') return openLogsCommand(c, args);
  // :top takes an order (cpu, mem), not a name.
  if (found.view === 'top') {
    const top = topCommand(args);
    if (typeof top === 'string') return c.status(top);
    goTo(c, top.view);
    return c.patch((u) => ({ sorts: { ...u.sorts, top: top.order } }));
  }
  const named = args[0];
  const target = named ? findScope(c, named) : undefined;
  if (named && !target && found.target) return c.status(`no service or node named "${named}"`);
  const spec = viewSpec(found.view);
  const next =
    found.scope === 'swarm'
      ? { kind: found.view, scope: SWARM_SCOPE }
      : spec.fromCommand
        ? spec.fromCommand({ named: target, selected: named ? undefined : selectedScope(c), current: c.view.scope })
        : { kind: found.view };
  if (typeof next === 'string') return c.status(next);
  if (spec.root) return goTo(c, next);
  // The view asked for is already showing: nothing to stack.
  pushOnce(c, next);
}
