import type { SwarmService } from '../../docker/types.js';
import type { CommandId } from '../../keymap/bindings.js';
import { scaleRefusal } from '../../store/checks.js';
import { replicasOf } from '../../swarm/spec-defaults.js';
import { rollbackChanges } from '../present/diff.js';
import { push, selectedService, type KeyContext } from './context.js';
import type { CommandHandler, Proposal } from './commands.js';
import { serviceScope } from '../views/shared.js';
import { batch, markedOf } from './marks.js';

const ref = (service: SwarmService) => ({ id: service.ID, name: service.Spec.Name ?? service.ID });

/** Rolling a service back, showing what would change; says so if there is nothing to go back to. */
function rollback(c: KeyContext, service: SwarmService): Proposal | void {
  if (!service.PreviousSpec) return c.status(`${service.Spec.Name} has no previous spec: there is nothing to roll back to`);
  return {
    request: { verb: 'rollback', service: ref(service) },
    title: `Roll back ${service.Spec.Name} to its previous spec?`,
    lines: rollbackChanges(service, c.ui.inspect.reveal),
  };
}

/** Handlers of the services view's commands (and the tasks view's rollback). */
export const SERVICE_COMMANDS = {
  'service.scale': (c) => {
    const marked = markedOf(c, c.state.services, (s) => s.ID);
    if (marked.length > 0) {
      const refused = marked.map((s) => [s, scaleRefusal(s)] as const).find(([, r]) => r);
      if (refused) return c.status(`${refused[1]} (${refused[0].Spec.Name} is marked: unmark it to scale the others)`);
      const names = marked.map((s) => s.Spec.Name).join(', ');
      return c.patch({
        prompt: { kind: 'scale', label: `scale ${marked.length} marked (${names}) to: `, text: '', target: marked[0].ID, targets: marked.map((s) => s.ID) },
      });
    }
    const service = selectedService(c);
    if (!service) return;
    const refusal = scaleRefusal(service);
    if (refusal) return c.status(refusal);
    c.patch({ prompt: { kind: 'scale', label: `scale ${service.Spec.Name} (now ${replicasOf(service.Spec)}) to: `, text: '', target: service.ID } });
  },
  'service.restart': (c) => {
    const marked = markedOf(c, c.state.services, (s) => s.ID);
    if (marked.length > 0)
      return batch(
        c,
        'Restart',
        marked.map((s) => ({ verb: 'restart', service: ref(s) })),
        'Every task of each is replaced, as its update config says.',
      );
    const service = selectedService(c);
    if (!service) return;
    return {
      request: { verb: 'restart', service: ref(service) },
      title: `Restart ${service.Spec.Name}?`,
      lines: [
        `Every task is replaced (docker service update --force ${service.Spec.Name}),`,
        `${service.Spec.UpdateConfig?.Parallelism ?? 1} at a time, as its update config says.`,
      ],
    };
  },
  'service.rollback': (c) => {
    const service = selectedService(c);
    if (service) return rollback(c, service);
  },
  'tasks.rollback': (c) => {
    const scope = c.view.scope;
    const service = scope?.kind === 'service' ? c.state.services.find((s) => s.ID === scope.id) : undefined;
    if (!service) return c.status("Ctrl+L here rolls back the service whose tasks these are: open a service's tasks");
    return rollback(c, service);
  },
  'service.logs': (c) => {
    const service = selectedService(c);
    if (service) push(c, { kind: 'logs', scope: serviceScope(service) });
  },
  'drill.image': (c) => {
    const service = selectedService(c);
    if (!service) return;
    const image = service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    const broken = c.brokenImages.has(image);
    if (broken) c.brokenImages.delete(image);
    else c.brokenImages.add(image);
    void c.sync.drill(broken ? 'fix-image' : 'break-image', service.ID);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
