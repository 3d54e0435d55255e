import { Box, Text } from 'ink';
import { Highlighted } from '../components/highlighted.js';
import type { LogEntry } from '../../docker/demux.js';
import type { ClusterState } from '../../store/state.js';
import { describeRange } from '../../store/log-range.js';
import { inert, truncate } from '../sanitize.js';
import { colorFor, theme } from '../theme.js';
import type { UiState } from '../ui-state.js';
import { filterLogs, moveInLogs } from './log-moves.js';
import { bottomIndex, shownLogs, shownText } from './log-lines.js';
import type { ViewEnv, ViewSpec } from './types.js';

/** The prefix of a log line: task@node, as `docker service logs` writes it; in a stack's logs service.slot, as stern does. */
export function logPrefix(entry: LogEntry, state: ClusterState): string {
  const task = entry.taskId ? state.tasks.items.find((t) => t.ID === entry.taskId) : undefined;
  const service = state.services.find((s) => s.ID === (entry.serviceId ?? task?.ServiceID));
  if (!entry.taskId) return '';
  const slot = task?.Slot !== undefined ? `.${task.Slot}` : '';
  if (state.logs.scope?.kind === 'stack')
    return `${inert(service?.Spec.Name ?? entry.serviceId?.slice(0, 12) ?? '?')}${slot || `.${entry.taskId.slice(0, 6)}`}`;
  const node = state.nodes.find((n) => n.ID === (entry.nodeId ?? task?.NodeID));
  const name = `${inert(service?.Spec.Name ?? '')}${slot}.${entry.taskId.slice(0, 12)}`;
  return `${name}@${inert(node?.Description?.Hostname ?? entry.nodeId?.slice(0, 12) ?? '?')}`;
}

/** A line's colour: per task, or per service in a stack's logs (stable: from the id). */
const lineColor = (entry: LogEntry, state: ClusterState) => colorFor(state.logs.scope?.kind === 'stack' ? (entry.serviceId ?? entry.taskId) : entry.taskId);

/** What a line's head says: its time (with t) and its prefix. */
export function lineHead(entry: LogEntry, state: ClusterState, timestamps: boolean): string {
  const stamp = timestamps && entry.time ? `${new Date(entry.time).toISOString()} ` : '';
  const prefix = logPrefix(entry, state);
  return `${stamp}${prefix ? `${prefix} | ` : ''}`;
}

interface LogRow {
  prefix: string;
  color?: string;
  text: string;
  stderr: boolean;
  note?: boolean;
}

/** The log lines that fill the pane, newest at the bottom, after the filter, position, wrap and timestamps. */
export function logRows(state: ClusterState, ui: UiState, width: number, height: number): LogRow[] {
  const shown = shownLogs(state, ui.logs);
  const rows: LogRow[] = [];
  for (let i = bottomIndex(shown, ui.logs); i >= 0 && rows.length < height; i--) {
    const { entry, note } = shown.line(i);
    const head = lineHead(entry, state, ui.logs.timestamps);
    const text = shownText(entry);
    const color = lineColor(entry, state);
    const stderr = entry.stream === 'stderr';
    if (!ui.logs.wrap) {
      rows.unshift({ prefix: truncate(head, width), color, text: truncate(text, Math.max(0, width - head.length)), stderr, note });
      continue;
    }
    const room = Math.max(10, width - head.length);
    const chunks: string[] = [];
    for (let at = 0; at < text.length || chunks.length === 0; at += room) chunks.push(text.slice(at, at + room));
    for (let c = chunks.length - 1; c >= 0 && rows.length < height; c--) {
      rows.unshift({ prefix: c === 0 ? head : ' '.repeat(Math.min(head.length, width - room)), color, text: chunks[c], stderr, note });
    }
  }
  return rows;
}

/**
 * Why there are no logs to wait for, when the tasks in view never had a container (rejected, or
 * still pending): "loading..." would otherwise stay on screen for ever.
 */
export function noLogsReason(env: ViewEnv): string | undefined {
  const scope = env.view.scope;
  const { items } = env.state.tasks;
  const tasks =
    scope?.kind === 'task' ? items.filter((t) => t.ID === scope.id) : scope?.kind === 'service' ? items.filter((t) => t.ServiceID === scope.id) : [];
  if (tasks.length === 0 || tasks.some((t) => t.Status.ContainerStatus?.ContainerID)) return undefined;
  const latest = [...tasks].sort((a, b) => Date.parse(b.Status.Timestamp ?? '') - Date.parse(a.Status.Timestamp ?? ''))[0];
  const why = [latest.Status.State, latest.Status.Err ?? latest.Status.Message].filter(Boolean).join(': ');
  return `no logs: ${scope!.kind === 'task' ? 'this task never started' : 'no task of this service has started'} (${why})`;
}

function LogsBody({ env }: { env: ViewEnv }) {
  const { state, ui, width, bodyHeight: height } = env;
  const rows = logRows(state, ui, width, height);
  const { logs } = state;
  // Matches are highlighted when every line is shown (Tab); when only matches are, the line is the match.
  const pattern = ui.logs.all ? shownLogs(state, ui.logs).pattern : undefined;
  if (rows.length === 0) {
    const never = logs.status !== 'error' ? noLogsReason(env) : undefined;
    const filtered = ui.logs.search && logs.lines.length > 0 ? `no line matches /${ui.logs.search} yet (Esc clears the filter)` : undefined;
    const text =
      never ?? filtered ?? (logs.status === 'error' ? `logs unavailable: ${logs.error}` : logs.status === 'loading' ? 'loading logs...' : 'no log lines yet');
    return (
      <Box height={height}>
        <Text color={logs.status === 'error' ? theme.bad : theme.dim}>{truncate(inert(text), width)}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate">
          <Text color={row.color}>{row.prefix}</Text>
          <Text color={row.note ? theme.bad : row.stderr ? theme.warn : undefined} bold={row.note}>
            <Highlighted text={row.text} pattern={pattern} />
          </Text>
        </Text>
      ))}
    </Box>
  );
}

/** The logs of a service, task or stack: followed, filtered, scrolled back, wrapped, saved. */
export const logsView: ViewSpec = {
  kind: 'logs',
  pane: {
    title({ view, state, ui }) {
      const shown = ui.logs.search ? shownLogs(state, ui.logs) : undefined;
      const flags = [
        ui.logs.follow ? 'follow' : 'paused',
        ui.logs.timestamps ? 'timestamps' : '',
        ui.logs.wrap ? 'wrap' : '',
        shown ? `/${ui.logs.search} ${shown.matched} of ${shown.total}${ui.logs.all ? ' (all lines)' : ''}` : '',
        describeRange(view.range),
        `${state.logs.lines.length} lines${state.logs.dropped ? ` (${state.logs.dropped} older dropped)` : ''}`,
      ].filter(Boolean);
      return { title: ` Logs of ${view.scope?.kind ?? ''} ${inert(view.scope?.name ?? '')} `, right: flags.join(', ') };
    },
    Body: LogsBody,
    contentRows: ({ state, ui }) => Math.max(1, shownLogs(state, ui.logs).size),
    move: moveInLogs,
  },
  selected: (c) => c.view.scope,
  fromCommand({ named, selected, current }) {
    const scope = named ?? selected ?? current;
    if (!scope || (scope.kind !== 'service' && scope.kind !== 'task' && scope.kind !== 'stack')) {
      return ':logs needs a service or task: select one first, or give its name (:logs NAME)';
    }
    return { kind: 'logs', scope };
  },
  onceScope: { kinds: ['service'], missing: '--view logs needs --service NAME' },
  search: filterLogs,
  // The last target's pause, filter and position are not this one's; timestamps and wrap are the user's taste, kept.
  onOpen: (ui) => ({ logs: { ...ui.logs, follow: true, search: '', all: false, match: -1, anchor: undefined } }),
  // A service's (or stack's) tasks too, to name the task and node of each line and say when one ended; a task's logs keep the tasks shown before.
  needs: ({ view, state }) => ({
    logs: view.scope && { scope: view.scope, follow: true, range: view.range },
    tasks: view.scope?.kind === 'service' || view.scope?.kind === 'stack' ? view.scope : state.tasks.scope,
  }),
};
