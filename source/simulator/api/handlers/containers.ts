import { errors } from '../../errors.js';
import { isTerminal } from '../../model/types.js';
import type { TaskRecord } from '../../model/swarm.js';
import { exactMatch, type Filters, labelMatch, parseFilters, prefixMatch } from '../filters.js';
import { bool, type Context } from '../http.js';
import { nodeOf } from '../membership.js';
import { imageId } from './images.js';
import { taskContainer } from '../../model/task-container.js';

/** GET /containers/json and /containers/{id}/json: the containers of this engine's tasks, named and labelled as Swarm makes them. */

/** The tasks with a container on this engine's node (those that got as far as starting one). */
function containerTasks(ctx: Context): TaskRecord[] {
  const node = nodeOf(ctx.engine);
  if (!node) return [];
  return [...ctx.engine.swarm!.tasksOn(node.id)].filter((t) => t.containerId);
}

function names(ctx: Context, task: TaskRecord) {
  return taskContainer(task, ctx.engine.swarm!.services);
}

/** "Up 5 minutes", "Exited (0) 2 minutes ago", as docker ps shows them. */
function statusText(now: number, task: TaskRecord): string {
  const ago = (ms: number) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} seconds`;
    if (s < 3600) return `${Math.round(s / 60)} minutes`;
    if (s < 86400) return `${Math.round(s / 3600)} hours`;
    return `${Math.round(s / 86400)} days`;
  };
  if (!isTerminal(task.state)) return `Up ${ago(now - (task.startedAt ?? now))}`;
  return `Exited (${task.exitCode ?? 0}) ${ago(now - (task.stoppedAt ?? now))} ago`;
}

function summary(ctx: Context, task: TaskRecord) {
  const { taskName, labels } = names(ctx, task);
  const container = task.spec.ContainerSpec ?? {};
  const image = String(container.Image ?? '');
  const command = [...(container.Command ?? []), ...(container.Args ?? [])].join(' ');
  return {
    Id: task.containerId!,
    Names: [`/${taskName}`],
    Image: image,
    ImageID: imageId(image),
    Command: command,
    Created: Math.floor(task.createdAt / 1000),
    Ports: [],
    Labels: labels,
    State: isTerminal(task.state) ? 'exited' : 'running',
    Status: statusText(ctx.engine.swarm!.now, task),
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

/** The filters dockerd's container list accepts (the rest of them match every container of a task here). */
const CONTAINER_FILTERS = [
  'ancestor',
  'before',
  'expose',
  'exited',
  'health',
  'id',
  'isolation',
  'is-task',
  'label',
  'name',
  'network',
  'publish',
  'since',
  'status',
  'volume',
];

/** dockerd's `name` filter: each value is a regular expression searched in the name (with its slash); one that does not compile matches nothing. */
function nameMatch(filters: Filters, name: string): boolean {
  const values = filters.get('name');
  if (!values || values.length === 0) return true;
  return values.some((v) => {
    try {
      return v === name || new RegExp(v).test(name);
    } catch {
      return false;
    }
  });
}

/** GET /containers/json[?all=1][&filters=...]: a filter asking for stopped ones (status, exited) lists them without all=1, as dockerd does. */
export function listContainers(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), CONTAINER_FILTERS);
  const all = bool(ctx.query, 'all') || filters.has('exited') || (filters.get('status') ?? []).some((s) => s !== 'running');
  return containerTasks(ctx)
    .filter((t) => all || !isTerminal(t.state))
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((t) => ({ t, c: summary(ctx, t) }))
    .filter(
      ({ t, c }) =>
        prefixMatch(filters, 'id', c.Id) &&
        nameMatch(filters, c.Names[0]) &&
        labelMatch(filters, 'label', c.Labels) &&
        exactMatch(filters, 'status', c.State) &&
        exactMatch(filters, 'ancestor', c.Image, c.Image.split('@')[0]) &&
        exactMatch(filters, 'is-task', 'true') &&
        (!filters.has('exited') || (c.State === 'exited' && exactMatch(filters, 'exited', String(t.exitCode ?? 0)))),
    )
    .map(({ c }) => c);
}

/** The task whose container a reference names on this engine (id, unique id prefix, or name), as dockerd looks containers up; else 404. */
export function findContainer(ctx: Context, raw: string): TaskRecord {
  const ref = raw.replace(/^\//, '');
  const tasks = containerTasks(ctx);
  const task =
    tasks.find((t) => t.containerId === ref) ??
    tasks.find((t) => names(ctx, t).taskName === ref) ??
    tasks.filter((t) => ref.length > 0 && t.containerId!.startsWith(ref)).find((_t, _i, all) => all.length === 1);
  if (!task) throw errors.noSuchContainer(ref);
  return task;
}

/** The container's name as dockerd gives it (service.slot.task), with its leading slash. */
export const containerName = (ctx: Context, task: TaskRecord) => `/${names(ctx, task).taskName}`;

/** The container's hostname as dockerd sets it: the spec's Hostname, else the first 12 characters of its id. */
export const hostnameOf = (task: TaskRecord) => String(task.spec.ContainerSpec?.Hostname || '') || task.containerId!.slice(0, 12);

/** GET /containers/{id}/json: by id, id prefix or name. */
export function inspectContainer(ctx: Context) {
  const task = findContainer(ctx, ctx.params[0]);
  const s = summary(ctx, task);
  const running = !isTerminal(task.state);
  return {
    Id: s.Id,
    Created: new Date(task.createdAt).toISOString(),
    Path: task.spec.ContainerSpec?.Command?.[0] ?? '',
    Args: [...(task.spec.ContainerSpec?.Command ?? []).slice(1), ...(task.spec.ContainerSpec?.Args ?? [])],
    State: {
      Status: s.State,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: Boolean(task.oomKilled),
      Dead: false,
      Pid: running ? (task.pid ?? 0) : 0,
      ExitCode: task.exitCode ?? 0,
      // dockerd's State.Error is why a container could not start; one that ran and exited (an OOM kill too) has none: the task's Err is swarmkit's.
      Error: '',
      StartedAt: new Date(task.startedAt ?? task.createdAt).toISOString(),
      FinishedAt: task.stoppedAt ? new Date(task.stoppedAt).toISOString() : '0001-01-01T00:00:00Z',
    },
    Image: s.ImageID,
    Name: s.Names[0],
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: { NetworkMode: 'default' },
    Config: {
      Hostname: hostnameOf(task),
      Image: s.Image,
      Env: task.spec.ContainerSpec?.Env ?? [],
      Cmd: task.spec.ContainerSpec?.Args ?? null,
      Labels: s.Labels,
      Tty: Boolean(task.spec.ContainerSpec?.TTY),
    },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}
