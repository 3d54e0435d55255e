import type { SwarmNode, SwarmService, SwarmTask } from '../../docker/types.js';
import type { ActionRecord } from '../../store/action-log.js';
import { inert } from '../sanitize.js';
import type { Column, Row } from '../components/table.js';
import { ago, bytes, cpus, naturalCompare, title } from './format.js';
import { CRASH_LOOP_RESTARTS, restartsText } from '../../store/sync/restarts.js';

/** A service's image without the digest pin. */
export const imageOf = (spec: SwarmService['Spec'] | SwarmTask['Spec'] | undefined) =>
  inert(
    (spec as { ContainerSpec?: { Image?: string }; TaskTemplate?: { ContainerSpec?: { Image?: string } } })?.TaskTemplate?.ContainerSpec?.Image ??
      (spec as { ContainerSpec?: { Image?: string } })?.ContainerSpec?.Image ??
      '',
  ).replace(/@sha256:[0-9a-f]+$/, '');

/** The node list's columns; lower priority numbers survive narrow terminals. */
export const NODE_COLUMNS: Column[] = [
  { title: 'HOSTNAME', priority: 0, flex: true },
  { title: 'ID', priority: 6 },
  { title: 'STATUS', priority: 1 },
  { title: 'AVAILABILITY', priority: 2 },
  { title: 'MANAGER STATUS', priority: 3 },
  { title: 'ENGINE', priority: 7 },
  // Capacity, not use: what the node has (docker node inspect's Resources), as issue 25 names them.
  { title: 'CPUS', priority: 5, align: 'right' },
  { title: 'MEMORY', priority: 5, align: 'right' },
  // Placement constraints name them: shown when there is room (else Ctrl+W), and the filter matches them.
  { title: 'LABELS', priority: 8 },
  { title: 'TASKS', priority: 4, align: 'right' },
];

/** The manager status column, as `docker node ls` writes it. */
export function managerStatus(node: SwarmNode): string {
  if (!node.ManagerStatus) return '';
  if (node.ManagerStatus.Leader) return 'Leader';
  return title(node.ManagerStatus.Reachability);
}

/** One node as a row. */
export function nodeRow(node: SwarmNode, taskCount: number | undefined): Row {
  const down = node.Status.State !== 'ready';
  const drained = node.Spec.Availability !== 'active';
  return {
    key: node.ID,
    cells: [
      inert(node.Description?.Hostname ?? ''),
      node.ID.slice(0, 12),
      title(node.Status.State),
      title(node.Spec.Availability),
      managerStatus(node),
      inert(node.Description?.Engine?.EngineVersion ?? ''),
      cpus(node.Description?.Resources?.NanoCPUs),
      bytes(node.Description?.Resources?.MemoryBytes),
      inert(
        Object.entries(node.Spec.Labels ?? {})
          .map(([k, v]) => (v ? `${k}=${v}` : k))
          .join(' '),
      ),
      taskCount === undefined ? '' : String(taskCount),
    ],
    color: down ? 'red' : drained ? 'yellow' : undefined,
  };
}

/** The service list's columns. */
export const SERVICE_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, min: 12, flex: true },
  { title: 'MODE', priority: 4 },
  { title: 'REPLICAS', priority: 1, flex: true, min: 9 },
  { title: 'IMAGE', priority: 2, min: 28, flex: true, shorten: 'image' },
  { title: 'PORTS', priority: 5, flex: true },
  { title: 'STACK', priority: 6 },
  { title: 'UPDATE', priority: 3 },
];

/**
 * Published ports: the routing mesh's as `docker service ls` writes them (*:PUBLISHED->TARGET); a
 * host-mode port, which the CLI leaves out of that list (it is no mesh: only the nodes running a task
 * listen on it), as `PUBLISHED->TARGET/tcp (host)`.
 */
export function ports(service: SwarmService): string {
  const list = (service.Endpoint?.Ports ?? service.Spec.EndpointSpec?.Ports ?? []) as {
    PublishedPort?: number;
    TargetPort?: number;
    Protocol?: string;
    PublishMode?: string;
  }[];
  const published = list.filter((p) => p.PublishedPort);
  const mesh = published.filter((p) => p.PublishMode !== 'host').map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol ?? 'tcp'}`);
  const host = published.filter((p) => p.PublishMode === 'host').map((p) => `${p.PublishedPort}->${p.TargetPort}/${p.Protocol ?? 'tcp'} (host)`);
  return [...mesh, ...host].join(', ');
}

/** running/desired, from ServiceStatus. */
export function replicas(service: SwarmService): string {
  const status = service.ServiceStatus;
  if (!status) return '';
  const restarts = service.Restarts ? ` (${restartsText(service.Restarts)})` : '';
  return `${status.RunningTasks}/${status.DesiredTasks}${onDownNodes(service.OnDownNodes)}${restarts}`;
}

/** True when a service's containers keep exiting: one slot restarted CRASH_LOOP_RESTARTS times or more in the window, however its count looks right now. */
export const crashLooping = (service: SwarmService) => (service.Restarts?.worstSlot ?? 0) >= CRASH_LOOP_RESTARTS;

/** " (+1 on down core-03)": tasks a down node last reported running, apart from the count. */
export function onDownNodes(entry: { tasks: number; nodes: string[] } | undefined): string {
  if (!entry || entry.tasks === 0) return '';
  const where = entry.nodes.length <= 2 ? `down ${entry.nodes.map(inert).join(', ')}` : `${entry.nodes.length} down nodes`;
  return ` (+${entry.tasks} on ${where})`;
}

/** True when fewer tasks run than are wanted. */
export const underReplicated = (service: SwarmService) =>
  service.ServiceStatus !== undefined && service.ServiceStatus.RunningTasks < service.ServiceStatus.DesiredTasks;

/** One service as a row. */
export function serviceRow(service: SwarmService): Row {
  const state = service.UpdateStatus?.State?.replace('_', ' ') ?? '';
  const failing = /paused/.test(state);
  // A paused update says more than the loop (it is often why); otherwise the loop is the news.
  const update = crashLooping(service) && !failing ? 'crash loop' : state;
  return {
    key: service.ID,
    cells: [
      inert(service.Spec.Name ?? ''),
      service.Spec.Mode?.Global ? 'global' : 'replicated',
      replicas(service),
      imageOf(service.Spec),
      ports(service),
      inert(service.Spec.Labels?.['com.docker.stack.namespace'] ?? ''),
      update,
    ],
    color: failing || crashLooping(service) ? 'red' : underReplicated(service) ? 'yellow' : undefined,
  };
}

/** The action log's columns. */
export const ACTION_COLUMNS: Column[] = [
  { title: 'TIME', priority: 0 },
  { title: 'RESULT', priority: 1, flex: true },
  { title: 'TARGET', priority: 2 },
  { title: 'COMMAND', priority: 3, flex: true },
  { title: 'ENDPOINT', priority: 4 },
];

/** One action log record as a row: failures red, refusals yellow. */
export function actionRow(record: ActionRecord, index: number): Row {
  return {
    key: `${index}`,
    cells: [inert(record.time.slice(0, 19).replace('T', ' ')), inert(record.result), inert(record.target), inert(record.command), inert(record.endpoint)],
    color: record.result.startsWith('failed') ? 'red' : record.result.startsWith('refused') ? 'yellow' : undefined,
  };
}

/** The task list's columns. */
export const TASK_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true },
  { title: 'IMAGE', priority: 3, shorten: 'image' },
  { title: 'NODE', priority: 2 },
  { title: 'DESIRED', priority: 4 },
  { title: 'CURRENT', priority: 1 },
  { title: 'ERROR', priority: 5, flex: true },
];

/** The task's name as the CLI writes it: service.slot (or service.node for global tasks). */
export function taskName(task: SwarmTask, services: Map<string, SwarmService>): string {
  const name = inert(services.get(task.ServiceID)?.Spec.Name ?? task.ServiceID.slice(0, 12));
  return `${name}.${task.Slot ?? task.NodeID ?? ''}`;
}

/**
 * Tasks as rows, grouped per slot as `docker service ps` does: the current task first, its history
 * under it marked \_, slots in order.
 */
export function taskRows(tasks: SwarmTask[], services: Map<string, SwarmService>, nodes: Map<string, SwarmNode>, now: number): Row[] {
  const groups = new Map<string, SwarmTask[]>();
  for (const task of tasks) {
    const key = `${task.ServiceID}/${task.Slot ?? task.NodeID}`;
    const list = groups.get(key);
    if (list) list.push(task);
    else groups.set(key, [task]);
  }
  const rank = (t: SwarmTask) => (t.DesiredState === 'running' ? 0 : 1);
  const ordered = [...groups.entries()].sort(([a, ta], [b, tb]) => {
    const na = taskName(ta[0], services);
    const nb = taskName(tb[0], services);
    return naturalCompare(na, nb) || (a < b ? -1 : a > b ? 1 : 0);
  });
  const rows: Row[] = [];
  for (const [, group] of ordered) {
    group.sort((a, b) => rank(a) - rank(b) || Date.parse(b.CreatedAt ?? '') - Date.parse(a.CreatedAt ?? ''));
    group.forEach((task, i) => {
      const node = task.NodeID ? nodes.get(task.NodeID) : undefined;
      const failed = ['failed', 'rejected'].includes(task.Status.State);
      rows.push({
        key: task.ID,
        cells: [
          `${i > 0 ? ' \\_ ' : ''}${taskName(task, services)}`,
          imageOf(task.Spec),
          inert(node?.Description?.Hostname ?? (task.NodeID ? task.NodeID.slice(0, 12) : '')),
          title(task.DesiredState),
          `${title(task.Status.State)} ${ago(task.Status.Timestamp, now)}`,
          inert(task.Status.Err ?? ''),
        ],
        color: failed ? 'red' : i > 0 ? 'gray' : task.Status.State !== 'running' && task.DesiredState === 'running' ? 'yellow' : undefined,
        // A slot's history stays under its current task whatever the order (:sort).
        under: i > 0 || undefined,
      });
    });
  }
  return rows;
}
