/** What dockerd refuses in a service spec, with its words. */
import { errors } from '../errors.js';
import { parseConstraints } from '../../swarm/constraints.js';
import type { ServiceSpec } from './types.js';
import type { SwarmState } from './state.js';

/** Refuses a spec dockerd refuses, with its words: no image, a bad name, bad replicas or mode, constraints or ports. */
export function validateSpec(swarm: SwarmState, spec: ServiceSpec): void {
  if (!spec || typeof spec !== 'object') throw errors.invalidArgument('service spec must be an object');
  const image = spec.TaskTemplate?.ContainerSpec?.Image;
  if (typeof image !== 'string' || image === '') {
    throw errors.invalidArgument('ContainerSpec: image reference must be provided');
  }
  if (spec.Name !== undefined && (typeof spec.Name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(spec.Name))) {
    throw errors.invalidArgument(`name must be valid as a DNS name component`);
  }
  const replicas = spec.Mode?.Replicated?.Replicas;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    throw errors.invalidArgument('replicas must be a non-negative integer');
  }
  if (spec.Mode?.Replicated && spec.Mode?.Global) {
    throw errors.invalidArgument('service mode must be replicated or global, not both');
  }
  try {
    parseConstraints(spec.TaskTemplate?.Placement?.Constraints);
  } catch (error) {
    throw errors.invalidArgument((error as Error).message);
  }
  const secrets = spec.TaskTemplate?.ContainerSpec?.Secrets;
  if (Array.isArray(secrets) && secrets.some((ref) => !ref || typeof ref !== 'object' || !(ref as { File?: unknown }).File)) {
    throw errors.invalidArgument('malformed secret reference, no target provided');
  }
  const mode = spec.Mode as Record<string, unknown> | undefined;
  if ((mode?.ReplicatedJob || mode?.GlobalJob) && spec.UpdateConfig) throw errors.invalidArgument('Jobs may not have an update config');
  const ports = spec.EndpointSpec?.Ports ?? [];
  if (!Array.isArray(ports)) throw errors.invalidArgument('EndpointSpec.Ports must be a list');
  for (const port of ports) {
    if (!Number.isInteger(port?.TargetPort) || (port.TargetPort ?? 0) <= 0 || (port.TargetPort ?? 0) > 65535) {
      throw errors.invalidArgument('EndpointSpec: port target must be between 1 and 65535');
    }
  }
}
