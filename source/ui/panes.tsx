import { Box, Text } from 'ink';
import type { SwarmNode, SwarmService, SwarmTask } from '../docker/types.js';
import type { ClusterState } from '../store/state.js';
import { naturalCompare } from './present/format.js';
import { inspectLines } from './present/yaml.js';
import { fit, inert, truncate } from './sanitize.js';
import { theme } from './theme.js';
import type { UiState } from './ui-state.js';

/** The inspect view's lines as shown (format and masking from the UI state), or why there are none. */
export function inspectText(state: ClusterState, ui: UiState): { lines: string[]; note?: string } {
  const inspect = state.inspect;
  const view = ui.stack[ui.stack.length - 1];
  // What was inspected before is not shown as this object while it loads.
  if (!inspect || inspect.scope.kind !== view.scope?.kind || inspect.scope.id !== view.scope?.id) return { lines: [], note: 'loading...' };
  if (inspect.error) return { lines: [], note: `cannot inspect ${inspect.scope.kind} ${inspect.scope.name}: ${inspect.error}` };
  if (inspect.object === undefined) return { lines: [], note: 'loading...' };
  return { lines: inspectLines(inspect.object, ui.inspect.format, ui.inspect.reveal).map(inert) };
}

/** YAML or JSON of one object, scrolled from the top, search matches highlighted. */
export function InspectPane({ state, ui, width, height }: { state: ClusterState; ui: UiState; width: number; height: number }) {
  const { lines, note } = inspectText(state, ui);
  if (note) {
    return (
      <Box height={height}>
        <Text color={note.startsWith('cannot') ? theme.bad : theme.dim}>{truncate(note, width)}</Text>
      </Box>
    );
  }
  const top = Math.max(0, Math.min(ui.inspect.scroll, Math.max(0, lines.length - height)));
  const needle = ui.inspect.search.toLowerCase();
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(top, top + height).map((line, i) => {
        const text = truncate(line, width);
        const at = needle ? text.toLowerCase().indexOf(needle) : -1;
        if (at < 0) return <Text key={i}>{text}</Text>;
        return (
          <Text key={i}>
            {text.slice(0, at)}
            <Text backgroundColor="yellow" color="black">
              {text.slice(at, at + needle.length)}
            </Text>
            {text.slice(at + needle.length)}
          </Text>
        );
      })}
    </Box>
  );
}

/** The map's column width: a hostname and a task name fit. */
export const MAP_COLUMN = 20;

const sortedNodes = new WeakMap<SwarmNode[], SwarmNode[]>();

/** The nodes in map order (by hostname, as the nodes view): sorted once per node list, not per frame or key. */
export function mapNodes(state: ClusterState): SwarmNode[] {
  let sorted = sortedNodes.get(state.nodes);
  if (!sorted) {
    sorted = [...state.nodes].sort((a, b) => naturalCompare(a.Description?.Hostname ?? a.ID, b.Description?.Hostname ?? b.ID));
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

const serviceColor = (id: string) => {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return theme.task[h % theme.task.length];
};

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
export function MapPane({ state, ui, width, height }: { state: ClusterState; ui: UiState; width: number; height: number }) {
  const nodes = mapNodes(state);
  if (nodes.length === 0) return <Text color={theme.dim}>{state.loaded.nodes ? 'no nodes' : 'loading nodes...'}</Text>;
  const columns = mapColumns(width);
  const selected = Math.max(
    0,
    nodes.findIndex((n) => n.ID === ui.selection.map),
  );
  const offset = mapOffset(selected, nodes.length, columns);
  const shown = nodes.slice(offset, offset + columns);
  const services = new Map<string, SwarmService>(state.services.map((s) => [s.ID, s]));
  const room = Math.max(1, height - 3);
  return (
    <Box flexDirection="row" height={height}>
      {shown.map((node) => {
        const tasks: SwarmTask[] | undefined = state.nodeTasks.get(node.ID);
        const status = nodeState(node);
        const isSelected = node.ID === nodes[selected].ID;
        const list = tasks ?? [];
        const overflow = list.length > room ? list.length - room + 1 : 0;
        const visible = overflow ? list.slice(0, room - 1) : list;
        return (
          <Box key={node.ID} flexDirection="column" width={MAP_COLUMN} height={height}>
            <Text bold inverse={isSelected} color={theme.accent} wrap="truncate">
              {fit(inert(node.Description?.Hostname ?? node.ID.slice(0, 12)), MAP_COLUMN - 1)}
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
                  <Text color={serviceColor(task.ServiceID)}>{running ? '##' : '..'}</Text>
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
