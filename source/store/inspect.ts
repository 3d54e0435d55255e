import type { SwarmClient } from '../docker/client.js';
import type { ResourceKind } from '../docker/types.js';
import type { Scope } from './state.js';

/** Reads the object a scope names, fresh from the manager, as the inspect view shows it. */
export async function readObject(client: SwarmClient, scope: Scope): Promise<unknown> {
  switch (scope.kind) {
    case 'service':
      return client.inspectService(scope.id);
    case 'node':
      return client.inspectNode(scope.id);
    case 'task':
      return client.inspectTask(scope.id);
    case 'swarm':
      return client.inspectSwarm();
    case 'network':
    case 'config':
    case 'secret': {
      const found = (await client.listResources(`${scope.kind}s` as ResourceKind)).find(
        (o) => (o.ID ?? o.Id) === scope.id || o.Name === scope.name || o.Spec?.Name === scope.name,
      );
      if (!found) throw new Error(`no ${scope.kind} ${scope.name}`);
      return found;
    }
    default:
      throw new Error(`a ${scope.kind} cannot be inspected; select a service, node, task, network, config or secret`);
  }
}
