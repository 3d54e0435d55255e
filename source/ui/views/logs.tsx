import { Box, Text } from 'ink';
import type { LogEntry } from '../../docker/demux.js';
import type { ClusterState } from '../../store/state.js';
import { Highlighted } from '../components/highlighted.js';
import { inert, truncate } from '../sanitize.js';
import { colorFor, theme } from '../theme.js';
import type { UiState } from '../ui-state.js';
import { wrapIndex } from './shared.js';
import type { ViewContext, ViewEnv, ViewSpec } from './types.js';

/** The prefix of a log line: task@node, as `docker service logs` writes it. */
export function logPrefix(entry: LogEntry, state: ClusterState): string {
  const task = entry.taskId ? state.tasks.items.find((t) => t.ID === entry.taskId) : undefined;
  const service = state.services.find((s) => s.ID === (entry.serviceId ?? task?.ServiceID));
  const node = state.nodes.find((n) => n.ID === (entry.nodeId ?? task?.NodeID));
  if (!entry.taskId) return '';
  const name = `${inert(service?.Spec.Name ?? '')}${task?.Slot !== undefined ? `.${task.Slot}` : ''}.${entry.taskId.slice(0, 12)}`;
  return `${name}@${inert(node?.Description?.Hostname ?? entry.nodeId?.slice(0, 12) ?? '?')}`;
}

interface LogRow {
  prefix: string;
  color?: string;
  text: string;
  stderr: boolean;
}

/** The log lines that fill the pane, newest at the bottom, after scroll, wrap and timestamps. */
export function logRows(state: ClusterState, ui: UiState, width: number, height: number): LogRow[] {
  const { lines } = state.logs;
  const end = Math.max(0, lines.length - ui.logs.scroll);
  const rows: LogRow[] = [];
  for (let i = end - 1; i >= 0 && rows.length < height; i--) {
    const entry = lines[i];
    const stamp = ui.logs.timestamps && entry.time ? `${new Date(entry.time).toISOString()} ` : '';
    const prefix = logPrefix(entry, state);
    const head = `${stamp}${prefix ? `${prefix} | ` : ''}`;
    const text = inert(entry.text);
    const color = colorFor(entry.taskId);
    const stderr = entry.stream === 'stderr';
    if (!ui.logs.wrap) {
      rows.unshift({ prefix: truncate(head, width), color, text: truncate(text, Math.max(0, width - head.length)), stderr });
      continue;
    }
    const room = Math.max(10, width - head.length);
    const chunks: string[] = [];
    for (let at = 0; at < text.length || chunks.length === 0; at += room) chunks.push(text.slice(at, at + room));
    for (let c = chunks.length - 1; c >= 0 && rows.length < height; c--) {
      rows.unshift({ prefix: c === 0 ? head : ' '.repeat(Math.min(head.length, width - room)), color, text: chunks[c], stderr });
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
  if (rows.length === 0) {
    const never = logs.status !== 'error' ? noLogsReason(env) : undefined;
    const text = never ?? (logs.status === 'error' ? `logs unavailable: ${logs.error}` : logs.status === 'loading' ? 'loading logs...' : 'no log lines yet');
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
          <Text color={row.stderr ? theme.warn : undefined}>
            <Highlighted text={row.text} search={ui.logs.search} />
          </Text>
        </Text>
      ))}
    </Box>
  );
}

/** Indexes of the log lines containing `search` (any case), newest first. */
function logMatches(c: ViewContext, search: string): number[] {
  const needle = search.toLowerCase();
  const lines = c.state.logs.lines;
  const out: number[] = [];
  if (!needle) return out;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].text.toLowerCase().includes(needle)) out.push(i);
  return out;
}

/** Scrolls the logs to the `index`th match (wrapping), and stops following so that it stays there. */
export function jumpToLogMatch(c: ViewContext, index: number, search = c.ui.logs.search): void {
  const found = logMatches(c, search);
  if (found.length === 0) {
    if (search) c.status(`no line matches /${search}`);
    return;
  }
  const i = wrapIndex(index, found.length);
  const lines = c.state.logs.lines.length;
  // Put the match at the bottom of the pane.
  c.patch((u) => ({ logs: { ...u.logs, match: i, follow: false, scroll: lines - 1 - found[i] } }));
  c.status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
}

/** The logs of a service or task: followed, scrolled back, searched, wrapped. */
export const logsView: ViewSpec = {
  kind: 'logs',
  pane: {
    title({ view, state, ui }) {
      const flags = [
        ui.logs.follow ? 'follow' : 'paused',
        ui.logs.timestamps ? 'timestamps' : '',
        ui.logs.wrap ? 'wrap' : '',
        ui.logs.search ? `/${ui.logs.search}` : '',
        `${state.logs.lines.length} lines${state.logs.dropped ? ` (${state.logs.dropped} older dropped)` : ''}`,
      ].filter(Boolean);
      return { title: ` Logs of ${view.scope?.kind ?? ''} ${inert(view.scope?.name ?? '')} `, right: flags.join(', ') };
    },
    Body: LogsBody,
    contentRows: ({ state }) => Math.max(1, state.logs.lines.length),
    move(c, id) {
      const total = c.state.logs.lines.length;
      const page = Math.max(1, c.bodyHeight - 1);
      const scroll = c.ui.logs.scroll;
      const next = { up: scroll + 1, down: scroll - 1, pageUp: scroll + page, pageDown: scroll - page, top: total - 1, bottom: 0 }[id];
      const clamped = Math.max(0, Math.min(Math.max(0, total - 1), next));
      // Scrolling back pauses follow; returning to the end (G) resumes it.
      c.patch((u) => ({ logs: { ...u.logs, scroll: clamped, follow: clamped === 0 && (id === 'bottom' || u.logs.follow) } }));
    },
  },
  selected: (c) => c.view.scope,
  fromCommand({ named, selected, current }) {
    const scope = named ?? selected ?? current;
    if (!scope || (scope.kind !== 'service' && scope.kind !== 'task')) return ':logs needs a service or task: select one first, or give its name (:logs NAME)';
    return { kind: 'logs', scope };
  },
  onceScope: { kinds: ['service'], missing: '--view logs needs --service NAME' },
  search(c, text) {
    c.patch((u) => ({ prompt: undefined, logs: { ...u.logs, search: text, match: 0 } }));
    jumpToLogMatch(c, 0, text);
  },
  // The last target's pause, search and position are not this one's; timestamps and wrap are the user's taste, kept.
  onOpen: (ui) => ({ logs: { ...ui.logs, follow: true, search: '', match: 0, scroll: 0 } }),
  // A service's tasks too, to name the task and node of each line; a task's logs keep the tasks shown before.
  needs: ({ view, state, ui }) => ({
    logs: view.scope && { scope: view.scope, follow: ui.logs.follow },
    tasks: view.scope?.kind === 'service' ? view.scope : state.tasks.scope,
  }),
};
