import type { SwarmNode, SwarmService } from '../docker/types.js';
import { quorumOf } from '../swarm/quorum.js';
import type { ActionLog, ActionRecord } from './action-log.js';
import type { Store } from './store.js';
import type { Sync } from './sync.js';

/** What a swarm action needs: the sync (and its client) to send it and refresh, the store to report it, the log to record it. */
export interface ActionContext {
  store: Store;
  sync: Sync;
  readOnly: boolean;
  now?: () => number;
  log?: ActionLog;
}

/** An action as the user asked for it: the status line's words, its target, and the docker command that does the same. */
export interface ActionDescription {
  description: string;
  target: string;
  command: string;
}

/** The message shown when read-only mode refuses an action; nothing is sent. */
export const READ_ONLY_MESSAGE = 'read-only mode: this would change the swarm, so nothing was sent';

/** Why scaling this service is refused before anything is sent, if it is. */
export function scaleRefusal(service: SwarmService): string | undefined {
  if (service.Spec.Mode?.Global) return `${service.Spec.Name} is a global service: it runs one task per node and cannot be scaled`;
  return undefined;
}

/** Parses a replica count typed by the user: a whole number from 0. */
export function parseReplicas(text: string): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `"${text}" is not a whole number of replicas (0 or more)`;
  const n = Number(trimmed);
  if (!Number.isSafeInteger(n) || n > 100_000) return `${trimmed} replicas is more than swarmdeck will ask for (100000 at most)`;
  return n;
}

/** Why demoting this node is refused before anything is sent, if it is. */
export function demoteRefusal(node: SwarmNode, nodes: SwarmNode[]): string | undefined {
  if (node.Spec.Role !== 'manager') return `${hostname(node)} is already a worker`;
  const managers = nodes.filter((n) => n.Spec.Role === 'manager');
  if (managers.length <= 1) return `${hostname(node)} is the last manager: demoting it would leave the swarm with no manager`;
  return undefined;
}

/**
 * What demoting this manager does to raft quorum, if it breaks it: after the demotion the raft has
 * one member less, and the managers still reachable must be a majority of what remains.
 */
export function quorumRisk(node: SwarmNode, nodes: SwarmNode[]): string | undefined {
  const managers = nodes.filter((n) => n.ManagerStatus);
  const reachable = managers.filter((n) => n.ManagerStatus?.Reachability === 'reachable');
  const remaining = managers.length - 1;
  const remainingReachable = reachable.length - (node.ManagerStatus?.Reachability === 'reachable' ? 1 : 0);
  const needed = quorumOf(remaining);
  if (remaining < 1 || remainingReachable >= needed) return undefined;
  return `${remainingReachable} of the ${remaining} remaining managers would be reachable; raft needs ${needed} for quorum, so the swarm would stop taking changes (no scheduling, no updates) until enough managers are back`;
}

/** A node's name as shown. */
export const hostname = (node: SwarmNode) => node.Description?.Hostname ?? node.ID.slice(0, 12);

/** Runs one swarm action: refused in read-only mode, result or daemon error reported word for word, and recorded in the action log. */
export async function perform(ctx: ActionContext, what: ActionDescription, work: () => Promise<void>, after?: () => void): Promise<boolean> {
  const now = ctx.now ?? Date.now;
  const { description } = what;
  const record = (result: string) => {
    const entry: ActionRecord = {
      time: new Date(now()).toISOString(),
      endpoint: ctx.store.getSnapshot().endpoint,
      target: what.target,
      action: description,
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
  ctx.store.dispatch({ type: 'status', text: `${description}...`, kind: 'info', at: now() });
  try {
    await work();
    record('done');
    ctx.store.dispatch({ type: 'status', text: `${description}: done`, kind: 'success', at: now() });
    after?.();
    void ctx.sync.refreshServices();
    void ctx.sync.refreshNodes();
    void ctx.sync.refreshTasks();
    return true;
  } catch (error) {
    record(`failed: ${(error as Error).message}`);
    ctx.store.dispatch({ type: 'status', text: `${description}: ${(error as Error).message}`, kind: 'error', at: now() });
    return false;
  }
}

/** Always reads the service fresh, so an update is made against the current version and spec. */
async function fresh(ctx: ActionContext, service: SwarmService) {
  return ctx.sync.client.inspectService(service.ID);
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

/** The swarm actions the keymap's commands call. */
export const swarmActions = {
  scale: (ctx: ActionContext, service: SwarmService, replicas: number) =>
    perform(ctx, serviceAction(service, `scale ${service.Spec.Name} to ${replicas}`, `service scale ${service.Spec.Name}=${replicas}`), () =>
      withRetry(async () => {
        const current = await fresh(ctx, service);
        await ctx.sync.client.updateService(current, (spec) => ({ ...spec, Mode: { Replicated: { Replicas: replicas } } }));
      }),
    ),
  forceUpdate: (ctx: ActionContext, service: SwarmService) =>
    perform(ctx, serviceAction(service, `restart ${service.Spec.Name} (update --force)`, `service update --force ${service.Spec.Name}`), () =>
      withRetry(async () => {
        const current = await fresh(ctx, service);
        await ctx.sync.client.updateService(current, (spec) => ({
          ...spec,
          TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: (spec.TaskTemplate?.ForceUpdate ?? 0) + 1 },
        }));
      }),
    ),
  rollback: (ctx: ActionContext, service: SwarmService) =>
    perform(ctx, serviceAction(service, `roll back ${service.Spec.Name}`, `service rollback ${service.Spec.Name}`), () =>
      withRetry(async () => ctx.sync.client.rollbackService(await fresh(ctx, service))),
    ),
  availability: (ctx: ActionContext, node: SwarmNode, availability: 'active' | 'pause' | 'drain') =>
    perform(
      ctx,
      nodeAction(
        node,
        `${availability === 'active' ? 'activate' : availability} ${hostname(node)}`,
        `node update --availability ${availability} ${hostname(node)}`,
      ),
      () => withRetry(async () => ctx.sync.client.updateNode(await ctx.sync.client.inspectNode(node.ID), { Availability: availability })),
    ),
  role: (ctx: ActionContext, node: SwarmNode, role: 'manager' | 'worker') =>
    perform(
      ctx,
      nodeAction(node, `${role === 'manager' ? 'promote' : 'demote'} ${hostname(node)}`, `node ${role === 'manager' ? 'promote' : 'demote'} ${hostname(node)}`),
      () => withRetry(async () => ctx.sync.client.updateNode(await ctx.sync.client.inspectNode(node.ID), { Role: role })),
    ),
};

function serviceAction(service: SwarmService, description: string, args: string): ActionDescription {
  return { description, target: `service ${service.Spec.Name ?? service.ID}`, command: `docker ${args}` };
}

function nodeAction(node: SwarmNode, description: string, args: string): ActionDescription {
  return { description, target: `node ${hostname(node)}`, command: `docker ${args}` };
}
