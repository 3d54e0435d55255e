import type { SwarmClient } from '../docker/client.js';
import type { ActionLog, ActionRecord } from './action-log.js';
import type { Store } from './store.js';
import type { Sync } from './sync.js';
import { CHANGE_VERBS } from './change-verbs.js';
import type { Plan } from '../compose/plan.js';

/** What a swarm action needs: the sync (and its client) to send it and refresh, the store to report it, the log to record it. */
export interface ActionContext {
  store: Store;
  sync: Sync;
  readOnly: boolean;
  now?: () => number;
  log?: ActionLog;
}

/** An object an action names: its id (what is sent) and its name (what is shown and logged). */
export interface ObjectRef {
  id: string;
  name: string;
}

/** A change to the swarm, as a value: what the keys, prompts and dialogs hand to runAction. */
export type ActionRequest =
  | { verb: 'scale'; service: ObjectRef; replicas: number }
  | { verb: 'restart'; service: ObjectRef }
  | { verb: 'rollback'; service: ObjectRef }
  | { verb: 'availability'; node: ObjectRef; availability: 'active' | 'pause' | 'drain' }
  | { verb: 'role'; node: ObjectRef; role: 'manager' | 'worker' }
  | { verb: 'image'; service: ObjectRef; image: string }
  | { verb: 'remove'; service: ObjectRef }
  | { verb: 'labels'; node: ObjectRef; add: Record<string, string>; remove: string[] }
  | { verb: 'stack-remove'; stack: string }
  | { verb: 'create'; kind: 'secret' | 'config'; name: string; path: string }
  | { verb: 'delete'; kind: 'secret' | 'config'; object: ObjectRef }
  | { verb: 'deploy'; stack: string; files: string[]; plan: Plan }
  | { verb: 'edit'; kind: 'service' | 'node'; object: ObjectRef; version: number; spec: Record<string, unknown>; summary: string };

/** The message shown when read-only mode refuses an action; nothing is sent. */
export const READ_ONLY_MESSAGE = 'read-only mode: this would change the swarm, so nothing was sent';

/** One verb: its words and command, the call, and what it touches. */
export interface Verb<R> {
  /** The status line's words and the docker command that does the same. */
  describe(request: R): { description: string; target: string; command: string };
  /** Reads what it needs fresh and sends the change. */
  send(client: SwarmClient, request: R): Promise<void>;
  /** What it changes, refetched when it is done (the event stream brings the rest). */
  touches: 'services' | 'nodes' | 'resources';
  /** Sent once at the version it carries: a conflict is reported, never retried over (an edit). */
  once?: boolean;
}

/** A table of verbs, typed by the requests they take. */
export type Verbs<K extends ActionRequest['verb'] = ActionRequest['verb']> = { [V in K]: Verb<Extract<ActionRequest, { verb: V }>> };

/** Every verb: words, docker command, the call, and what to refresh after. */
const VERBS: Verbs = {
  scale: {
    describe: ({ service, replicas }) => ({
      description: `scale ${service.name} to ${replicas}`,
      target: `service ${service.name}`,
      command: `docker service scale ${service.name}=${replicas}`,
    }),
    send: async (client, { service, replicas }) =>
      client.updateService(await client.inspectService(service.id), (spec) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } })),
    touches: 'services',
  },
  restart: {
    describe: ({ service }) => ({
      description: `restart ${service.name} (update --force)`,
      target: `service ${service.name}`,
      command: `docker service update --force ${service.name}`,
    }),
    send: async (client, { service }) =>
      client.updateService(
        await client.inspectService(service.id),
        (spec) => ({
          ...spec,
          TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: (spec.TaskTemplate?.ForceUpdate ?? 0) + 1 },
        }),
        { registryAuthFrom: 'spec' },
      ),
    touches: 'services',
  },
  rollback: {
    describe: ({ service }) => ({
      description: `roll back ${service.name}`,
      target: `service ${service.name}`,
      command: `docker service rollback ${service.name}`,
    }),
    send: async (client, { service }) => client.rollbackService(await client.inspectService(service.id)),
    touches: 'services',
  },
  availability: {
    describe: ({ node, availability }) => ({
      description: `${availability === 'active' ? 'activate' : availability} ${node.name}`,
      target: `node ${node.name}`,
      command: `docker node update --availability ${availability} ${node.name}`,
    }),
    send: async (client, { node, availability }) => client.updateNode(await client.inspectNode(node.id), { Availability: availability }),
    touches: 'nodes',
  },
  role: {
    describe: ({ node, role }) => {
      const verb = role === 'manager' ? 'promote' : 'demote';
      return { description: `${verb} ${node.name}`, target: `node ${node.name}`, command: `docker node ${verb} ${node.name}` };
    },
    send: async (client, { node, role }) => client.updateNode(await client.inspectNode(node.id), { Role: role }),
    touches: 'nodes',
  },
  ...CHANGE_VERBS,
};

/** The words, target and docker command of a request, as the status line and the action log say them. */
export function describeAction(request: ActionRequest) {
  return (VERBS[request.verb] as Verb<ActionRequest>).describe(request);
}

const OUT_OF_SEQUENCE = /update out of sequence/;

/**
 * Someone else changed the object between our read and our write: read it again and apply our
 * change to what they wrote, once. A second conflict is reported, never forced over their change.
 */
async function withRetry(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!OUT_OF_SEQUENCE.test((error as Error).message)) throw error;
    try {
      await work();
    } catch (again) {
      if (!OUT_OF_SEQUENCE.test((again as Error).message)) throw again;
      throw new Error(`${(again as Error).message} (it changed twice while we tried; nothing was applied, look again and retry)`);
    }
  }
}

/**
 * Runs one swarm action, the one path every change takes: refused in read-only mode, sent against
 * the object as it is now, the result or the daemon's error reported word for word, recorded in the
 * action log, and only what it touched refetched. True when it was done.
 */
export async function runAction(ctx: ActionContext, request: ActionRequest): Promise<boolean> {
  const now = ctx.now ?? Date.now;
  const verb = VERBS[request.verb] as Verb<ActionRequest>;
  const what = verb.describe(request);
  const record = (result: string) => {
    const entry: ActionRecord = {
      time: new Date(now()).toISOString(),
      endpoint: ctx.store.getSnapshot().endpoint,
      target: what.target,
      action: what.description,
      result,
      command: what.command,
    };
    ctx.log?.append(entry);
    ctx.store.dispatch({ type: 'actions/append', record: entry });
  };
  if (ctx.readOnly) {
    ctx.store.dispatch({ type: 'status', text: READ_ONLY_MESSAGE, kind: 'error', at: now() });
    record('refused: read-only mode');
    return false;
  }
  ctx.store.dispatch({ type: 'status', text: `${what.description}...`, kind: 'info', at: now() });
  try {
    if (verb.once) await verb.send(ctx.sync.client, request);
    else await withRetry(() => verb.send(ctx.sync.client, request));
    record('done');
    ctx.store.dispatch({ type: 'status', text: `${what.description}: done`, kind: 'success', at: now() });
    void { services: () => ctx.sync.refreshServices(), nodes: () => ctx.sync.refreshNodes(), resources: () => ctx.sync.refreshResources() }[verb.touches]();
    return true;
  } catch (error) {
    record(`failed: ${(error as Error).message}`);
    ctx.store.dispatch({ type: 'status', text: `${what.description}: ${(error as Error).message}`, kind: 'error', at: now() });
    return false;
  }
}
