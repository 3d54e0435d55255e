import type { ServiceRecord, TaskRecord } from './records.js';

/** What a task's container is called and labelled, as Swarm's executor makes it on the node. */
export interface TaskContainer {
  serviceName: string;
  /** service.slot.task (global services: service.node.task). */
  taskName: string;
  /** The spec's container labels, the stack's namespace, and the com.docker.swarm.* labels. */
  labels: Record<string, string>;
}

/**
 * The name and labels of a task's container. A container is named once, when made: the service's
 * name is the one it had when the task was created, whatever has happened to the service since.
 */
export function taskContainer(task: TaskRecord, services: ReadonlyMap<string, ServiceRecord>): TaskContainer {
  const service = services.get(task.serviceId);
  const serviceName = task.serviceName ?? service?.spec.Name ?? task.serviceId;
  const taskName = `${serviceName}.${task.slot ?? task.nodeId}.${task.id}`;
  const namespace = service?.spec.Labels?.['com.docker.stack.namespace'];
  return {
    serviceName,
    taskName,
    labels: {
      ...(task.spec.ContainerSpec?.Labels ?? {}),
      ...(namespace ? { 'com.docker.stack.namespace': namespace } : {}),
      'com.docker.swarm.node.id': task.nodeId ?? '',
      'com.docker.swarm.service.id': task.serviceId,
      'com.docker.swarm.service.name': serviceName,
      'com.docker.swarm.task': '',
      'com.docker.swarm.task.id': task.id,
      'com.docker.swarm.task.name': taskName,
    },
  };
}
