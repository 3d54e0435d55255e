import type { SwarmService } from '../../docker/types.js';
import type { CommandId } from '../../keymap/bindings.js';
import { scaleRefusal } from '../../store/actions.js';
import { rollbackChanges } from '../present/diff.js';
import { push, selectedService, serviceScope, type KeyContext } from './context.js';

/** Asks to roll a service back, showing what would change; says so if there is nothing to go back to. */
function confirmRollback(c: KeyContext, service: SwarmService): void {
  if (!service.PreviousSpec) return c.status(`${service.Spec.Name} has no previous spec: there is nothing to roll back to`);
  c.patch({
    confirm: {
      title: `Roll back ${service.Spec.Name} to its previous spec?`,
      lines: rollbackChanges(service, c.ui.inspect.reveal),
      command: 'service.rollback',
      target: service.ID,
    },
  });
}

/** Handlers of the services view's commands (and the tasks view's rollback). */
export const SERVICE_COMMANDS = {
  'service.scale': (c) => {
    const service = selectedService(c);
    if (!service) return;
    const refusal = scaleRefusal(service);
    if (refusal) return c.status(refusal);
    const now = service.Spec.Mode?.Replicated?.Replicas ?? 1;
    c.patch({ prompt: { kind: 'scale', label: `scale ${service.Spec.Name} (now ${now}) to: `, text: '', target: service.ID } });
  },
  'service.restart': (c) => {
    const service = selectedService(c);
    if (!service) return;
    c.patch({
      confirm: {
        title: `Restart ${service.Spec.Name}?`,
        lines: [
          `Every task is replaced (docker service update --force ${service.Spec.Name}),`,
          `${service.Spec.UpdateConfig?.Parallelism ?? 1} at a time, as its update config says.`,
        ],
        command: 'service.restart',
        target: service.ID,
      },
    });
  },
  'service.rollback': (c) => {
    const service = selectedService(c);
    if (service) confirmRollback(c, service);
  },
  'tasks.rollback': (c) => {
    const scope = c.view.scope;
    const service = scope?.kind === 'service' ? c.state.services.find((s) => s.ID === scope.id) : undefined;
    if (!service) return c.status("Ctrl+L here rolls back the service whose tasks these are: open a service's tasks");
    confirmRollback(c, service);
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
} satisfies Partial<Record<CommandId, (c: KeyContext) => void>>;
