import type { ContainerRow } from '../../docker/node-views.js';
import { engineKey, type EngineNeed } from '../../store/needs.js';
import type { ClusterState, Scope } from '../../store/state.js';
import type { Column, Row } from '../components/table.js';
import { cpuText, memSize } from '../present/stats.js';
import { inert } from '../sanitize.js';
import { cached } from './shared.js';
import type { ViewContext, ViewEnv, ViewSpec } from './types.js';

/** `:containers NODE`: every container of a node's own engine, swarm or not (`docker -H NODE ps -a`), with CPU and MEM as docker stats gives them. */

const COLUMNS: Column[] = [
  { title: 'NAME', priority: 0, flex: true, min: 30 },
  { title: 'STATE', priority: 0 },
  { title: 'CPU', priority: 1, align: 'right' },
  { title: 'MEM', priority: 1, align: 'right' },
  { title: 'IMAGE', priority: 2, flex: true, min: 16, shorten: 'image' },
  { title: 'STATUS', priority: 3 },
  { title: 'ID', priority: 5 },
];

const rowsCache = new WeakMap<object, Row[]>();

/** The need of a containers view: its node's containers. */
const need = (env: Pick<ViewEnv, 'view'>): EngineNeed | undefined => (env.view.scope ? { what: 'containers', nodeId: env.view.scope.id } : undefined);

/** The answer for this view, if the store holds it (not another view's). */
function answer(env: Pick<ViewEnv, 'view' | 'state'>): ClusterState['engine'] | undefined {
  const key = engineKey(need(env));
  return key && env.state.engine.key === key ? env.state.engine : undefined;
}

function row(c: ContainerRow): Row {
  const running = c.state === 'running';
  return {
    key: c.id,
    cells: [
      inert(c.name),
      c.state,
      running && c.figures ? cpuText(c.figures.cpuPercent) : '',
      running && c.figures ? memSize(c.figures.memoryBytes) : '',
      inert(c.image),
      inert(c.status),
      c.id.slice(0, 12),
    ],
    color: running ? undefined : c.state === 'exited' || c.state === 'dead' ? 'gray' : 'yellow',
  };
}

/** The container under the cursor. */
function selectedContainer(c: ViewContext): ContainerRow | undefined {
  return answer(c)?.containers?.find((x) => x.id === c.selectedKey);
}

/** A swarm task's container as the task (inspect and events name it); others have no swarm object. */
function selectedTask(c: ViewContext): Scope | undefined {
  const container = selectedContainer(c);
  return container?.taskId ? { kind: 'task', id: container.taskId, name: container.name } : undefined;
}

export const containersView: ViewSpec = {
  kind: 'containers',
  list(env) {
    const name = env.view.scope?.name ?? '';
    const data = answer(env);
    const containers = data?.containers;
    const rows = containers ? cached(rowsCache, containers, () => containers.map(row)) : [];
    const running = containers?.filter((c) => c.state === 'running').length ?? 0;
    const counts = containers ? ` (${containers.length}, ${running} running)` : '';
    const swarm = containers ? containers.filter((c) => !c.taskId).length : 0;
    return {
      title: `Containers of node ${name}${counts}${swarm ? ` · ${swarm} not of the swarm` : ''}${data?.error && containers ? ` · ${data.error}` : ''}`,
      columns: COLUMNS,
      rows,
      empty: data?.error ? `${name}'s engine cannot be read: ${data.error}` : data ? 'no containers' : `reading ${name}'s engine...`,
    };
  },
  selected: selectedTask,
  // Enter: the container's processes (docker top).
  open(c) {
    const container = selectedContainer(c);
    if (!container || !c.view.scope) return;
    if (container.state !== 'running') return c.status(`${container.name} is ${container.state}: it has no processes`);
    return { kind: 'processes', scope: selectedTask(c), container: { nodeId: c.view.scope.id, id: container.id, name: container.name } };
  },
  fromCommand({ named, selected, current }) {
    const scope = [named, selected, current].find((s) => s?.kind === 'node');
    if (named && named.kind !== 'node') return `:containers takes a node, and ${named.name} is a ${named.kind}`;
    if (!scope) return ':containers needs a node: select one first, or give its name (:containers NODE)';
    return { kind: 'containers', scope };
  },
  onceScope: { kinds: ['node'], missing: '--view containers needs --node NAME' },
  needs: (env) => ({ engine: need(env) }),
};
