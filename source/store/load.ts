import type { SwarmClient } from '../docker/client.js';
import { ActionLog } from './action-log.js';
import { readObject } from './inspect.js';
import { sinceSeconds, tailOf } from './log-range.js';
import type { EngineNeed, Needs } from './needs.js';
import { foldNodeTasks } from './sync/node-fold.js';
import { byService } from './sync/service-tasks.js';
import { EVENT_HISTORY_SECONDS } from './state.js';
import type { Store } from './store.js';

/** How --once reads: the last `tail` log lines, without following. */
export interface LoadOptions {
  tail: number;
  log?: ActionLog;
  /** --node-host NODE=URL pairs, for what a view needs of a node's own engine. */
  nodeHosts?: string[];
}

/**
 * Fetches once what a view needs (see Needs) into a store that already holds the nodes and
 * services: --once renders the same view the console does, from the same needs.
 */
export async function load(client: SwarmClient, store: Store, needs: Needs, options: LoadOptions): Promise<void> {
  const at = Date.now();
  const work: Promise<void>[] = [];
  if (needs.tasks && needs.tasks.kind !== 'task') {
    const scope = needs.tasks;
    store.dispatch({ type: 'tasks/scope', scope });
    work.push(
      client
        .listTasks(scope.kind === 'service' ? { service: scope.id } : { node: scope.id })
        .then((items) => store.dispatch({ type: 'tasks', scope, items, at })),
    );
  }
  if (needs.nodes && needs.nodes.ids.length > 0) {
    const { ids } = needs.nodes;
    work.push(
      client.listTasks({ node: ids, desired: 'running' }).then((tasks) => {
        const { counts, nodeTasks } = store.getSnapshot();
        store.dispatch({ type: 'counts', ...foldNodeTasks({ counts, tasks: nodeTasks }, ids, ids, tasks) });
      }),
    );
  }
  if (needs.running) work.push(client.listTasks({ desired: 'running' }).then((items) => store.dispatch({ type: 'running', items })));
  if (needs.serviceTasks && needs.serviceTasks.length > 0) {
    const ids = needs.serviceTasks;
    work.push(client.listTasks({ service: ids, desired: 'running' }).then((tasks) => store.dispatch({ type: 'serviceTasks', tasks: byService(ids, tasks) })));
  }
  if (needs.resource) {
    const kind = needs.resource;
    work.push(client.listResources(kind).then((items) => store.dispatch({ type: 'resource', kind, items })));
  }
  if (needs.events) {
    // The engine's clock, not ours: the two may disagree, and events carry the engine's times.
    const now = Math.floor((Date.parse(store.getSnapshot().info?.SystemTime ?? '') || Date.now()) / 1000);
    work.push(client.eventsBetween(now - EVENT_HISTORY_SECONDS, now).then((events) => store.dispatch({ type: 'events', events })));
  }
  if (needs.inspect) {
    const scope = needs.inspect;
    work.push(readObject(client, scope).then((object) => store.dispatch({ type: 'inspect', scope, object })));
  }
  if (needs.actions) store.dispatch({ type: 'actions/load', records: (options.log ?? new ActionLog()).read() });
  if (needs.engine) work.push(loadEngineNeed(client, store, needs.engine, options.nodeHosts));
  await Promise.all(work);
  if (needs.logs) await loadLogs(client, store, needs, options.tail);
}

/**
 * The last lines of a service's or task's logs, without following: the range the view asks for
 * (`--since`, `--tail`), else the last `tail` lines. A relative since counts back from the manager's clock.
 */
async function loadLogs(client: SwarmClient, store: Store, needs: Needs, tail: number): Promise<void> {
  const { scope, range } = needs.logs!;
  const state = store.getSnapshot();
  const service = scope.kind === 'service' ? state.services.find((s) => s.ID === scope.id) : undefined;
  const now = Date.parse(state.info?.SystemTime ?? '') || Date.now();
  store.dispatch({ type: 'logs/reset', scope, status: 'loading' });
  await new Promise<void>((resolve, reject) => {
    client
      .logs(
        scope.kind === 'service' ? { service: scope.id } : { task: scope.id },
        {
          follow: false,
          tail: range ? tailOf(range) : tail,
          since: range?.since ? sinceSeconds(range.since, now) : undefined,
          tty: Boolean(service?.Spec.TaskTemplate?.ContainerSpec?.TTY),
        },
        (lines) => store.dispatch({ type: 'logs/append', lines, limit: 5000 }),
        (error) => (error ? reject(error) : resolve()),
      )
      .catch(reject);
  });
  store.dispatch({ type: 'logs/status', status: 'ended' });
}

/** What a view needs of a node's own engine, read once through a node reach made for it (and closed after). */
async function loadEngineNeed(client: SwarmClient, store: Store, need: EngineNeed, nodeHosts: string[] = []): Promise<void> {
  const [{ NodeReach, nodeMap }, { NodeViewReader }, { readEngineNeed }] = await Promise.all([
    import('../docker/node-reach.js'),
    import('../docker/node-views.js'),
    import('./sync/engine-views.js'),
  ]);
  const reach = new NodeReach({ manager: client.endpoint, map: await nodeMap(nodeHosts) });
  try {
    store.dispatch({ type: 'engine', engine: await readEngineNeed(new NodeViewReader(reach), need, store.getSnapshot().nodes) });
  } finally {
    reach.close();
  }
}
