import { Box, Text } from 'ink';
import type { SwarmNode, SwarmService, SwarmTask } from '../../docker/types.js';
import type { ClusterState } from '../../store/state.js';
import { fit, inert, truncate } from '../sanitize.js';
import { colorFor, plainOutput, theme } from '../theme.js';
import { byName, nodeScope } from './shared.js';
import type { ViewContext, ViewEnv, ViewSpec } from './types.js';

/** The map's column width: a hostname and a task name fit. */
export const MAP_COLUMN = 20;

const sortedNodes = new WeakMap<SwarmNode[], SwarmNode[]>();

/** The nodes in map order (by hostname, as the nodes view): sorted once per node list, not per frame or key. */
export function mapNodes(state: ClusterState): SwarmNode[] {
  let sorted = sortedNodes.get(state.nodes);
  if (!sorted) {
    sorted = [...state.nodes].sort(byName((n: SwarmNode) => n.Description?.Hostname ?? n.ID));
    sortedNodes.set(state.nodes, sorted);
  }
  return sorted;
}

/** The first node column shown, so that the selected one is on screen. */
export function mapOffset(selected: number, total: number, columns: number): number {
  if (total <= columns) return 0;
  return Math.max(0, Math.min(selected - Math.floor(columns / 2), total - columns));
}

/** How many node columns fit in `width`. */
export const mapColumns = (width: number) => Math.max(1, Math.floor(width / MAP_COLUMN));

/** The index of the map's selected node (the first when none is). */
const selectedIndex = (state: ClusterState, selection: string | undefined, nodes = mapNodes(state)) =>
  Math.max(
    0,
    nodes.findIndex((n) => n.ID === selection),
  );

/** The node columns on screen. */
function shownNodes(env: ViewEnv): SwarmNode[] {
  const nodes = mapNodes(env.state);
  const columns = mapColumns(env.width);
  const offset = mapOffset(selectedIndex(env.state, env.ui.selection.map, nodes), nodes.length, columns);
  return nodes.slice(offset, offset + columns);
}

/** Moves the map's selection by `delta` nodes, clamped to the ends. */
export function moveOnMap(c: ViewContext, delta: number): void {
  const nodes = mapNodes(c.state);
  if (nodes.length === 0) return;
  const at = selectedIndex(c.state, c.ui.selection.map, nodes);
  const next = nodes[Math.max(0, Math.min(nodes.length - 1, at + delta))];
  c.patch((u) => ({ selection: { ...u.selection, map: next.ID } }));
}

/** A node's state as the map's second line says it: down and drained nodes plainly. */
function nodeState(node: SwarmNode): { text: string; color?: string } {
  const role = node.ManagerStatus?.Leader ? ' leader' : node.Spec.Role === 'manager' ? ' manager' : '';
  if (node.Status.State !== 'ready') return { text: `DOWN${role}`, color: theme.bad };
  if (node.Spec.Availability === 'drain') return { text: `DRAINED${role}`, color: theme.warn };
  if (node.Spec.Availability === 'pause') return { text: `PAUSED${role}`, color: theme.warn };
  return { text: `ready${role}`, color: theme.ok };
}

/**
 * The cluster map: one column per node (as many as fit, scrolled to the selected one), its running
 * tasks as blocks coloured by service. Tasks are fetched for the nodes on screen only.
 */
function MapBody({ env }: { env: ViewEnv }) {
  const { state, ui, bodyHeight: height } = env;
  const nodes = mapNodes(state);
  if (nodes.length === 0) return <Text color={theme.dim}>{state.loaded.nodes ? 'no nodes' : 'loading nodes...'}</Text>;
  const selected = nodes[selectedIndex(state, ui.selection.map, nodes)];
  const services = new Map<string, SwarmService>(state.services.map((s) => [s.ID, s]));
  const room = Math.max(1, height - 3);
  const plain = plainOutput();
  return (
    <Box flexDirection="row" height={height}>
      {shownNodes(env).map((node) => {
        const tasks: SwarmTask[] | undefined = state.nodeTasks.get(node.ID);
        const status = nodeState(node);
        const list = tasks ?? [];
        const overflow = list.length > room ? list.length - room + 1 : 0;
        const visible = overflow ? list.slice(0, room - 1) : list;
        return (
          <Box key={node.ID} flexDirection="column" width={MAP_COLUMN} height={height}>
            <Text bold inverse={node === selected} color={theme.accent} wrap="truncate">
              {fit(`${plain ? (node === selected ? '>' : ' ') : ''}${inert(node.Description?.Hostname ?? node.ID.slice(0, 12))}`, MAP_COLUMN - 1)}
            </Text>
            <Text color={status.color} wrap="truncate">
              {fit(status.text, MAP_COLUMN - 1)}
            </Text>
            <Text color={theme.dim} wrap="truncate">
              {fit(tasks === undefined ? 'loading...' : `${list.length} task${list.length === 1 ? '' : 's'}`, MAP_COLUMN - 1)}
            </Text>
            {visible.map((task) => {
              const service = services.get(task.ServiceID);
              const name = `${inert(service?.Spec.Name ?? task.ServiceID.slice(0, 12))}${task.Slot !== undefined ? `.${task.Slot}` : ''}`;
              const running = task.Status.State === 'running';
              return (
                <Text key={task.ID} wrap="truncate">
                  <Text color={colorFor(task.ServiceID)}>{running ? '##' : '..'}</Text>
                  <Text color={running ? undefined : theme.dim}>{` ${truncate(name, MAP_COLUMN - 4)}`}</Text>
                </Text>
              );
            })}
            {overflow ? <Text color={theme.dim}>{`+${overflow} more`}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}

/** The cluster map: a column per node, its tasks as blocks by service; h/l move, Enter lists the node's tasks. */
export const mapView: ViewSpec = {
  kind: 'map',
  pane: {
    title({ state }) {
      const nodes = state.nodes;
      const down = nodes.filter((n) => n.Status.State !== 'ready').length;
      const drained = nodes.filter((n) => n.Spec.Availability !== 'active').length;
      return {
        title: ` Cluster map (${nodes.length} nodes${down ? `, ${down} down` : ''}${drained ? `, ${drained} drained or paused` : ''}) `,
        right: 'h/l move, Enter tasks',
      };
    },
    Body: MapBody,
    contentRows: ({ state }) => 3 + Math.max(0, ...mapNodes(state).map((n) => state.nodeTasks.get(n.ID)?.length ?? 0)),
    move(c, id) {
      const columns = mapColumns(c.width);
      moveOnMap(c, { up: -1, down: 1, pageUp: -columns, pageDown: columns, top: -1e9, bottom: 1e9 }[id]);
    },
  },
  selected(c) {
    const nodes = mapNodes(c.state);
    const node = nodes.length ? nodes[selectedIndex(c.state, c.ui.selection.map, nodes)] : undefined;
    return node && nodeScope(node);
  },
  open(c) {
    const scope = mapView.selected!(c);
    return scope && { kind: 'tasks', scope };
  },
  // Swarm sends no event when a task dies: the blocks on screen are polled.
  needs: (env) => ({ nodes: { ids: shownNodes(env).map((n) => n.ID), poll: true } }),
};
