import { readFile } from 'node:fs/promises';
import type { Verbs } from './run-action.js';

/** The verbs that change what a service runs, remove things, label nodes and make secrets and configs. */

/** The namespace label `docker stack deploy` puts on a stack's objects. */
const STACK_LABEL = 'com.docker.stack.namespace';

/** Labels as `docker node update` takes them: `--label-add k=v` and `--label-rm k`. */
const labelFlags = (add: Record<string, string>, remove: string[]) =>
  [...Object.entries(add).map(([k, v]) => `--label-add ${k}=${v}`), ...remove.map((k) => `--label-rm ${k}`)].join(' ');

/** The change verbs, by name. */
export const CHANGE_VERBS: Verbs<'image' | 'remove' | 'labels' | 'stack-remove' | 'create' | 'delete' | 'edit' | 'deploy'> = {
  deploy: {
    describe: ({ stack, files }) => ({
      description: `deploy stack ${stack}`,
      target: `stack ${stack}`,
      command: `docker stack deploy ${files.map((f) => `-c ${f}`).join(' ')} ${stack}`,
    }),
    // The plan shown is the plan applied: updates at the versions it read, never re-planned here.
    // Loaded when used: the compose code (and its YAML and diff libraries) stays out of start-up.
    send: async (client, { plan }) => (await import('../compose/plan.js')).applyPlan(client, plan, () => {}),
    touches: 'services',
    once: true,
  },
  edit: {
    describe: ({ kind, object, summary }) => ({
      description: `edit ${object.name}: ${summary}`,
      target: `${kind} ${object.name}`,
      command: kind === 'service' ? `docker service update ... ${object.name} (edited spec)` : `docker node update ... ${object.name} (edited spec)`,
    }),
    send: (client, { kind, object, version, spec }) =>
      kind === 'service' ? client.replaceServiceSpec(object.id, version, spec) : client.replaceNodeSpec(object.id, version, spec as never),
    touches: 'services',
    once: true,
  },
  image: {
    describe: ({ service, image }) => ({
      description: `set the image of ${service.name} to ${image}`,
      target: `service ${service.name}`,
      command: `docker service update --image ${image} ${service.name}`,
    }),
    send: async (client, { service, image }) =>
      client.updateService(
        await client.inspectService(service.id),
        (spec) => ({
          ...spec,
          TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: { ...spec.TaskTemplate?.ContainerSpec, Image: image } },
        }),
        { registryAuthFrom: 'spec' },
      ),
    touches: 'services',
  },
  remove: {
    describe: ({ service }) => ({ description: `remove ${service.name}`, target: `service ${service.name}`, command: `docker service rm ${service.name}` }),
    send: (client, { service }) => client.removeService(service.id),
    touches: 'services',
  },
  labels: {
    describe: ({ node, add, remove }) => ({
      description: `label ${node.name}: ${[...Object.entries(add).map(([k, v]) => `${k}=${v}`), ...remove.map((k) => `-${k}`)].join(' ')}`,
      target: `node ${node.name}`,
      command: `docker node update ${labelFlags(add, remove)} ${node.name}`,
    }),
    send: async (client, { node, add, remove }) => {
      const current = await client.inspectNode(node.id);
      const labels = { ...(current.Spec.Labels ?? {}), ...add };
      for (const key of remove) delete labels[key];
      await client.updateNode(current, { Labels: labels });
    },
    touches: 'nodes',
  },
  'stack-remove': {
    describe: ({ stack }) => ({ description: `remove stack ${stack}`, target: `stack ${stack}`, command: `docker stack rm ${stack}` }),
    // As `docker stack rm`: its services first, then its networks, secrets and configs, all found by the namespace label.
    send: async (client, { stack }) => {
      const label = `${STACK_LABEL}=${stack}`;
      const services = await client.listLabelled('services', label);
      if (services.length === 0 && (await client.listLabelled('networks', label)).length === 0) throw new Error(`nothing found in stack: ${stack}`);
      const failures: string[] = [];
      for (const s of services) await client.removeService(String(s.ID)).catch((e: Error) => failures.push(e.message));
      for (const kind of ['secrets', 'configs', 'networks'] as const) {
        for (const o of await client.listLabelled(kind, label))
          await client.removeResource(kind, String(o.Id ?? o.ID)).catch((e: Error) => failures.push(e.message));
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
    },
    touches: 'services',
  },
  create: {
    describe: ({ kind, name, path }) => ({
      description: `create ${kind} ${name} from ${path}`,
      target: `${kind} ${name}`,
      command: `docker ${kind} create ${name} ${path}`,
    }),
    send: async (client, { kind, name, path }) => {
      await client.createResource(kind, name, await readFile(path));
    },
    touches: 'resources',
  },
  delete: {
    describe: ({ kind, object }) => ({
      description: `remove ${kind} ${object.name}`,
      target: `${kind} ${object.name}`,
      command: `docker ${kind} rm ${object.name}`,
    }),
    send: (client, { kind, object }) => client.removeResource(kind === 'secret' ? 'secrets' : 'configs', object.id),
    touches: 'resources',
  },
};
