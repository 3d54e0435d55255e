import { engineKey, type EngineNeed } from '../../store/needs.js';
import type { Column, Row } from '../components/table.js';
import { inert } from '../sanitize.js';
import { cached } from './shared.js';
import type { ViewEnv, ViewSpec } from './types.js';

/** The processes of one container (`docker top`, from its node's engine), read again every few seconds while shown. */

const rowsCache = new WeakMap<object, Row[]>();

const need = ({ view }: Pick<ViewEnv, 'view'>): EngineNeed | undefined =>
  view.container ? { what: 'processes', nodeId: view.container.nodeId, containerId: view.container.id } : undefined;

/** ps's columns: the command takes what room is left, the others are short. */
function columns(titles: string[]): Column[] {
  return titles.map((title, i) => ({
    title,
    priority: /^(CMD|COMMAND)$/.test(title) || i === 0 ? 0 : /^(PID|%CPU|%MEM|TIME)$/.test(title) ? 1 : 2,
    flex: /^(CMD|COMMAND)$/.test(title),
    align: /^(PID|PPID|%CPU|%MEM|VSZ|RSS|C)$/.test(title) ? 'right' : 'left',
  }));
}

export const processesView: ViewSpec = {
  kind: 'processes',
  clock: false,
  list(env) {
    const container = env.view.container;
    const key = engineKey(need(env));
    const data = key && env.state.engine.key === key ? env.state.engine : undefined;
    const list = data?.processes;
    const node = env.state.nodes.find((n) => n.ID === container?.nodeId)?.Description?.Hostname ?? container?.nodeId ?? '';
    const rows = list
      ? cached(rowsCache, list, () => list.rows.map((cells, i) => ({ key: `${cells[list.titles.indexOf('PID')] ?? i}`, cells: cells.map(inert) })))
      : [];
    const name = inert(container?.name ?? '');
    return {
      title: `Processes of ${name} on ${node} (docker top${list ? `, ${list.rows.length}` : ''})${data?.error && list ? ` · ${data.error}` : ''}`,
      columns: columns(list?.titles ?? ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']),
      rows,
      empty: data?.error ? `${name}: ${data.error}` : data ? 'no processes' : `reading ${node}'s engine...`,
    };
  },
  needs: (env) => ({ engine: need(env) }),
};
