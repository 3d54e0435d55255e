import type { CommandId } from '../../keymap/bindings.js';
import { taskName } from '../present/rows.js';
import { nodeScope } from '../views/shared.js';
import type { CommandHandler } from './commands.js';
import { push, selectedNode, type KeyContext } from './context.js';

/** The keys that reach into a node's own engine: a shell in a task (s), its processes (t), a node's containers (C). */

/** The task under the cursor of the tasks view, running, with its container; else says why not. */
function runningTask(c: KeyContext, what: string) {
  const task = c.view.kind === 'tasks' ? c.state.tasks.items.find((t) => t.ID === c.selectedKey) : undefined;
  if (!task) return void c.status(`select a task first: ${what}`);
  const container = task.Status.ContainerStatus?.ContainerID;
  const name = `${taskName(task, new Map(c.state.services.map((s) => [s.ID, s])))}.${task.ID.slice(0, 12)}`;
  if (task.Status.State !== 'running' || !container || !task.NodeID) return void c.status(`${name} is ${task.Status.State}, not running: it has no processes`);
  return { task, container, name, nodeId: task.NodeID };
}

/** Handlers of the node-engine keys. */
export const ENGINE_COMMANDS = {
  'task.shell': (c) => void import('./shell-flow.js').then(({ openShell }) => openShell(c)).catch((error: Error) => c.status(`shell: ${error.message}`)),
  'task.top': (c) => {
    const found = runningTask(c, 't shows the processes in its container');
    if (!found) return;
    push(c, {
      kind: 'processes',
      scope: { kind: 'task', id: found.task.ID, name: found.name },
      container: { nodeId: found.nodeId, id: found.container, name: found.name },
    });
  },
  'node.containers': (c) => {
    const node = selectedNode(c);
    if (!node) return c.status('select a node first: C lists the containers of its engine');
    push(c, { kind: 'containers', scope: nodeScope(node) });
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
