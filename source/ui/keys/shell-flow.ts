import type { SwarmTask } from '../../docker/types.js';
import type { ActionRecord } from '../../store/action-log.js';
import { nodeRef } from '../../store/sync/stats.js';
import { taskName } from '../present/rows.js';
import { hostname } from '../views/shared.js';
import type { KeyContext } from './context.js';

/**
 * `s` on a task: a shell in its container, on its node's own engine (node reach), as
 * `docker -H NODE exec -it CONTAINER sh` gives one. Everything that can be found out before the
 * console steps aside is (the task runs, the node answers, the container has a shell), each failure
 * a sentence on the status line with nothing started; then the shell has the terminal until it
 * exits, and its exit code is on the status line when the console is back.
 */

/** The task under the cursor of the tasks view. */
function selectedTask(c: KeyContext): SwarmTask | undefined {
  return c.view.kind === 'tasks' ? c.state.tasks.items.find((t) => t.ID === c.selectedKey) : undefined;
}

/** Records the shell in the action log (before it runs: a shell can change anything, and the console may not outlive it). */
function record(c: KeyContext, entry: Omit<ActionRecord, 'time' | 'endpoint'>): void {
  const full: ActionRecord = { time: new Date(c.now).toISOString(), endpoint: c.state.endpoint, ...entry };
  c.actions.log?.append(full);
  c.store.dispatch({ type: 'actions/append', record: full });
}

/** The shell found in each image (by its reference), so that the second shell in a service's tasks costs no probe. */
const shellOfImage = new Map<string, string[]>();

/** True while a shell is being opened or runs: a second `s` meanwhile would start another on the same terminal. */
let busy = false;

/** Opens a shell in the selected task's container; says why not when it cannot. */
export async function openShell(c: KeyContext): Promise<void> {
  if (busy) return c.status('a shell is already being opened', 'info');
  busy = true;
  try {
    await open(c);
  } finally {
    busy = false;
  }
}

async function open(c: KeyContext): Promise<void> {
  const task = selectedTask(c);
  if (!task) return c.status('select a task first: s opens a shell in its container');
  const services = new Map(c.state.services.map((s) => [s.ID, s]));
  const name = `${taskName(task, services)}.${task.ID.slice(0, 12)}`;
  const say = (text: string, kind: 'error' | 'info' | 'success' = 'error') => c.status(`shell in ${name}: ${text}`, kind);
  const container = task.Status.ContainerStatus?.ContainerID;
  if (task.Status.State !== 'running' || !container) {
    const why = task.Status.Err ? ` (${task.Status.Err})` : '';
    return say(`the task is ${task.Status.State}${why}, not running: there is no container to open a shell in`);
  }
  const node = c.state.nodes.find((n) => n.ID === task.NodeID);
  if (!node) return say('its node is not in the node list (yet): try again in a moment');
  const host = hostname(node);
  say(`connecting to ${host}...`, 'info');
  const { chooseShell, readShellConfig, runShell } = await import('../../docker/exec-shell.js');
  let engine;
  try {
    engine = await (await c.sync.nodeReach()).engine(nodeRef(node));
  } catch (error) {
    return say(`node ${host} cannot be reached: ${(error as Error).message}`);
  }
  let cmd: string[];
  // The probe is an exec of its own (a few hundred ms on a real node): its answer is kept per image.
  const image = String((task.Spec as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image ?? '');
  try {
    const configured = await readShellConfig();
    const known = image ? shellOfImage.get(image) : undefined;
    const chosen = configured ? { cmd: configured } : known ? { cmd: known } : await chooseShell(engine, container);
    if ('why' in chosen) return say(chosen.why);
    if (!configured && image) shellOfImage.set(image, chosen.cmd);
    cmd = chosen.cmd;
  } catch (error) {
    return say((error as Error).message);
  }
  if (!c.handOver) return say('a shell needs the full-screen console (a terminal)');
  const short = container.slice(0, 12);
  record(c, {
    target: `task ${name}`,
    action: `shell in ${name} on ${host}: ${cmd.join(' ')}`,
    result: 'opened',
    command: `docker -H ${engine.endpoint.url} exec -it ${short} ${cmd.join(' ')}`,
  });
  let end;
  try {
    end = await c.handOver(async (terminal) => {
      terminal.output.write(`swarmdeck: ${cmd.join(' ')} in ${name} (container ${short}) on ${host}; exit to come back to the console\r\n`);
      return runShell(engine, container, cmd, terminal);
    });
  } catch (error) {
    return say((error as Error).message);
  }
  if (end.notFound) shellOfImage.delete(image);
  if (end.notFound) return say(`${cmd[0]} is not in the container: ${end.notFound}`);
  const code = end.exitCode;
  say(`the shell ended, exit ${code ?? 'unknown'}`, code === 0 ? 'success' : 'info');
}
