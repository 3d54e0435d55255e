import { VIEW_COMMANDS, viewCommand } from '../../keymap/bindings.js';
import { SWARM_SCOPE } from '../../store/state.js';
import type { View } from '../ui-state.js';
import { findScope, goTo, push, selectedScope, taskScope, type KeyContext } from './context.js';

/** Runs what was typed on the command line: a view (`:tasks NAME`, `:map`...), `:help` or `:q`. */
export function runCommandLine(c: KeyContext, text: string): void {
  const [word, ...args] = text.trim().replace(/^:/, '').split(/\s+/);
  const name = word.toLowerCase();
  if (name === 'q' || name === 'quit' || name === 'q!') return c.exit();
  if (name === 'help') return c.patch({ help: true });
  const found = viewCommand(name);
  if (!found) return c.status(`unknown command ":${word}"; try ${VIEW_COMMANDS.map((v) => `:${v.name}`).join(', ')}, :help, :q`);
  const named = args[0];
  const target = named ? findScope(c, named) : undefined;
  if (named && !target && found.target) return c.status(`no service or node named "${named}"`);
  const { view } = c;
  // The view asked for is already showing: nothing to stack.
  const open = (next: View) => (view.kind === next.kind && view.scope?.id === next.scope?.id ? undefined : push(c, next));
  switch (found.view) {
    case 'tasks': {
      const scope = target ?? selectedScope(c) ?? view.scope;
      if (!scope || (scope.kind !== 'service' && scope.kind !== 'node'))
        return c.status(':tasks needs a service or node: select one first, or give its name (:tasks NAME)');
      return open({ kind: 'tasks', scope });
    }
    case 'logs': {
      const scope = target ?? taskScope(c) ?? selectedScope(c) ?? view.scope;
      if (!scope || (scope.kind !== 'service' && scope.kind !== 'task'))
        return c.status(':logs needs a service or task: select one first, or give its name (:logs NAME)');
      return open({ kind: 'logs', scope });
    }
    case 'events': {
      const scope = target ?? (named ? undefined : selectedScope(c));
      return open({ kind: 'events', scope: scope && scope.kind !== 'swarm' ? scope : undefined });
    }
    case 'inspect': {
      const scope = found.name === 'swarm' ? SWARM_SCOPE : (target ?? selectedScope(c) ?? SWARM_SCOPE);
      return open({ kind: 'inspect', scope });
    }
    case 'nodes':
    case 'services':
      return goTo(c, { kind: found.view });
    default:
      return open({ kind: found.view });
  }
}
