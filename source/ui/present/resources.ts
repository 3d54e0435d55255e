import type { SwarmObject, SwarmService } from '../../docker/types.js';
import type { TimelineEvent } from '../../store/spec-changes.js';
import { eventChange } from './event-change.js';
import type { Column, Row } from '../components/table.js';
import { inert } from '../sanitize.js';
import { ago, naturalCompare } from './format.js';

/** The label docker stack deploy puts on everything it creates. */
export const STACK_LABEL = 'com.docker.stack.namespace';

/** The stack a service belongs to, if any. */
export const stackOf = (service: SwarmService) => service.Spec.Labels?.[STACK_LABEL];

/** The stacks list's columns. */
export const STACK_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true },
  { title: 'SERVICES', priority: 1, align: 'right' },
  { title: 'TASKS', priority: 2, align: 'right' },
  { title: 'ORCHESTRATOR', priority: 3 },
];

/** Services grouped by their stack label, as `docker stack ls` does, with running/desired tasks. */
export function stackRows(services: SwarmService[]): Row[] {
  const stacks = new Map<string, { services: number; running: number; desired: number }>();
  for (const service of services) {
    const name = stackOf(service);
    if (!name) continue;
    const stack = stacks.get(name) ?? { services: 0, running: 0, desired: 0 };
    stack.services += 1;
    stack.running += service.ServiceStatus?.RunningTasks ?? 0;
    stack.desired += service.ServiceStatus?.DesiredTasks ?? 0;
    stacks.set(name, stack);
  }
  return [...stacks.entries()]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([name, s]) => ({
      key: name,
      cells: [inert(name), String(s.services), `${s.running}/${s.desired}`, 'Swarm'],
      color: s.running < s.desired ? 'yellow' : undefined,
    }));
}

const idOf = (o: SwarmObject) => o.ID ?? o.Id ?? '';
const nameOf = (o: SwarmObject) => o.Name ?? o.Spec?.Name ?? idOf(o).slice(0, 12);
const labelsOf = (o: SwarmObject) =>
  Object.entries(o.Labels ?? o.Spec?.Labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** How many services name this object (a network they attach to, a config or secret they mount). */
function usedBy(services: SwarmService[], kind: 'networks' | 'configs' | 'secrets', object: SwarmObject): number {
  const id = idOf(object);
  const name = nameOf(object);
  let count = 0;
  for (const service of services) {
    const template = service.Spec.TaskTemplate as Record<string, unknown> | undefined;
    const refs =
      kind === 'networks'
        ? ((template?.Networks ?? service.Spec.Networks ?? []) as { Target?: string }[]).map((n) => n.Target)
        : (
            ((template?.ContainerSpec as Record<string, unknown> | undefined)?.[kind === 'configs' ? 'Configs' : 'Secrets'] ?? []) as {
              [key: string]: string;
            }[]
          ).map((r) => r[kind === 'configs' ? 'ConfigID' : 'SecretID'] ?? r[kind === 'configs' ? 'ConfigName' : 'SecretName']);
    if (refs.some((ref) => ref === id || ref === name)) count += 1;
  }
  return count;
}

/** The networks list's columns. */
export const NETWORK_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true },
  { title: 'ID', priority: 5 },
  { title: 'DRIVER', priority: 1 },
  { title: 'SCOPE', priority: 2 },
  { title: 'ATTACHABLE', priority: 4 },
  { title: 'SUBNET', priority: 3 },
  { title: 'SERVICES', priority: 1, align: 'right' },
];

/** One network as a row; the ingress network is marked. */
export function networkRow(network: SwarmObject, services: SwarmService[]): Row {
  return {
    key: idOf(network),
    cells: [
      inert(nameOf(network)) + (network.Ingress ? ' (ingress)' : ''),
      idOf(network).slice(0, 12),
      inert(network.Driver ?? ''),
      inert(network.Scope ?? ''),
      network.Attachable ? 'yes' : 'no',
      inert(
        (network.IPAM?.Config ?? [])
          .map((c) => c.Subnet)
          .filter(Boolean)
          .join(', '),
      ),
      String(usedBy(services, 'networks', network)),
    ],
  };
}

/** The configs and secrets lists' columns. */
export const CONFIG_COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true },
  { title: 'ID', priority: 4 },
  { title: 'CREATED', priority: 2 },
  { title: 'UPDATED', priority: 3 },
  { title: 'USED BY', priority: 1, align: 'right' },
  { title: 'LABELS', priority: 5, flex: true },
];

/** One config or secret as a row: metadata only (secret data never leaves the manager). */
export function configRow(object: SwarmObject, kind: 'configs' | 'secrets', services: SwarmService[], now: number): Row {
  return {
    key: idOf(object),
    cells: [
      inert(nameOf(object)),
      idOf(object).slice(0, 12),
      ago(object.CreatedAt, now),
      ago(object.UpdatedAt, now),
      String(usedBy(services, kind, object)),
      inert(labelsOf(object)),
    ],
  };
}

/** The events timeline's columns. */
export const EVENT_COLUMNS: Column[] = [
  { title: 'TIME', priority: 0 },
  { title: 'TYPE', priority: 1 },
  { title: 'ACTION', priority: 1 },
  { title: 'NAME', priority: 0 },
  { title: 'CHANGE', priority: 2, flex: true },
];

/** True when a container's event is of the task, service or node `id` (dockerd labels a swarm container with all three). */
function containerOf(event: TimelineEvent, id: string): boolean {
  const a = event.Actor.Attributes ?? {};
  return (
    event.Type === 'container' && (a['com.docker.swarm.task.id'] === id || a['com.docker.swarm.service.id'] === id || a['com.docker.swarm.node.id'] === id)
  );
}

/** Events as rows, newest first; `scopeId` keeps the events of one object only. */
export function eventRows(events: TimelineEvent[], scopeId?: string): Row[] {
  const rows: Row[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (scopeId && event.Actor.ID !== scopeId && !containerOf(event, scopeId)) continue;
    const ms = event.timeNano !== undefined ? Math.floor(event.timeNano / 1e6) : (event.time ?? 0) * 1000;
    rows.push({
      key: `${event.timeNano ?? event.time}:${i}`,
      cells: [
        new Date(ms).toISOString().slice(0, 19).replace('T', ' '),
        inert(event.Type),
        inert(event.Action),
        inert(event.Actor.Attributes?.name ?? event.Actor.ID.slice(0, 12)),
        inert(eventChange(event)),
      ],
      color: event.Action === 'remove' || event.Action === 'oom' ? 'red' : event.Action === 'create' ? 'green' : undefined,
    });
  }
  return rows;
}
