import type { CommandId } from '../../keymap/bindings.js';
import { hostname } from '../../store/checks.js';
import type { CommandHandler } from './commands.js';
import { batch, markedOf } from './marks.js';
import { selectedNode, selectedScope, selectedService } from './context.js';

/** Handlers of the change verbs: set image, remove a service or a stack, node labels, new and removed secrets and configs. */

/** The labels a node has, as the prompt shows them. */
const labelText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** The kind of object a secrets or configs view lists. */
const objectKind = (view: string) => (view === 'secrets' ? 'secret' : 'config');

/** The change verbs' handlers. */
export const CHANGE_COMMANDS = {
  'service.edit': (c) => {
    const service = selectedService(c);
    // Loaded when first used: the YAML and diff libraries stay out of start-up.
    if (service) void import('./edit-flow.js').then(({ startEdit }) => startEdit(c, 'service', service.ID, service.Spec.Name ?? service.ID));
  },
  'node.edit': (c) => {
    const node = selectedNode(c);
    if (node) void import('./edit-flow.js').then(({ startEdit }) => startEdit(c, 'node', node.ID, hostname(node)));
  },
  'service.image': (c) => {
    const service = selectedService(c);
    if (!service) return;
    const image = service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    c.patch({ prompt: { kind: 'image', label: `image of ${service.Spec.Name}: `, text: image, target: service.ID } });
  },
  'service.remove': (c) => {
    const marked = markedOf(c, c.state.services, (s) => s.ID);
    if (marked.length > 0) {
      const requests = marked.map((s) => ({ verb: 'remove', service: { id: s.ID, name: s.Spec.Name ?? s.ID } }) as const);
      // As for one service: typed, so that a bounced key cannot remove several.
      return batch(c, 'Remove', requests, 'Their tasks are stopped and the services are gone. There is no undo.', `${requests.length} services`);
    }
    const service = selectedService(c);
    if (!service) return;
    const name = service.Spec.Name ?? service.ID;
    const running = service.ServiceStatus?.RunningTasks ?? 0;
    return {
      request: { verb: 'remove', service: { id: service.ID, name } },
      title: `Remove service ${name}?`,
      lines: [
        `${running === 0 ? 'It has no running task; ' : running === 1 ? 'Its running task is stopped and ' : `Its ${running} running tasks are stopped and `}the service is gone (docker service rm ${name}).`,
        'There is no undo.',
      ],
      typeToConfirm: name,
    };
  },
  'node.labels': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    const now = labelText(node.Spec.Labels);
    c.patch({
      prompt: { kind: 'labels', label: `labels of ${hostname(node)}${now ? ` (now ${now})` : ''}, k=v adds, -k removes: `, text: '', target: node.ID },
    });
  },
  'stack.remove': (c) => {
    const stack = c.selectedKey;
    if (!stack) return;
    const services = c.state.services.filter((s) => s.Spec.Labels?.['com.docker.stack.namespace'] === stack);
    return {
      request: { verb: 'stack-remove', stack },
      title: `Remove stack ${stack}?`,
      lines: [
        `Its ${services.length} service${services.length === 1 ? '' : 's'} (${services.map((s) => s.Spec.Name).join(', ')}),`,
        'then its networks, secrets and configs, found by the com.docker.stack.namespace label (docker stack rm).',
      ],
      typeToConfirm: stack,
    };
  },
  'resource.new': (c) => {
    const kind = objectKind(c.view.kind);
    c.patch({ prompt: { kind: kind === 'secret' ? 'new-secret' : 'new-config', label: `new ${kind}: NAME PATH  `, text: '' } });
  },
  'resource.remove': (c) => {
    const scope = selectedScope(c);
    if (!scope) return;
    const kind = objectKind(c.view.kind);
    return {
      request: { verb: 'delete', kind, object: { id: scope.id, name: scope.name } },
      title: `Remove ${kind} ${scope.name}?`,
      lines: [`docker ${kind} rm ${scope.name}: the manager refuses while a service uses it.`],
    };
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;
