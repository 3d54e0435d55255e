import { Box, Text } from 'ink';
import type { LogEntry } from '../docker/demux.js';
import { BINDINGS, bindingsFor, keyLabel, VIEW_COMMANDS, type Pane } from '../keymap/bindings.js';
import { onSimulator, type ClusterState } from '../store/state.js';
import { InspectPane, MapPane } from './panes.js';
import { Table, windowStart } from './components/table.js';
import { humanDuration, wrapWords } from './present/format.js';
import { fit, inert, truncate } from './sanitize.js';
import { theme } from './theme.js';
import { currentView, viewKey, type UiState, type View } from './ui-state.js';
import { serviceBanners } from './present/rollout.js';
import { filterRows, listModel, type TaskCounts } from './views.js';

/** What the screen draws: cluster state, UI state, the terminal size and the clock. */
export interface ScreenProps {
  state: ClusterState;
  ui: UiState;
  width: number;
  /** Rows to use: the caller passes the terminal's rows minus one, so Ink never clears the screen. */
  height: number;
  now: number;
  readOnly: boolean;
  counts?: TaskCounts;
}

// Frames are kept to printable ASCII where we choose the glyphs: Ink measures every character with
// string-width, whose fast path is ASCII; one other glyph costs a grapheme segmentation per frame.

/** Rows that are not the body: header (2), title (1), status line (1), footer (1). */
export const CHROME_ROWS = 5;

function Header({ state, width, now, readOnly }: Pick<ScreenProps, 'state' | 'width' | 'now' | 'readOnly'>) {
  const { connection, info, nodes, services } = state;
  let status: { text: string; color: string };
  if (connection.status === 'connected' && connection.error) {
    const age = connection.lastOk ? ` (data from ${humanDuration(now - connection.lastOk).toLowerCase()} ago)` : '';
    status = { text: `! the manager answers with an error: ${connection.error}${age}`, color: theme.warn };
  } else if (connection.status === 'connected') status = { text: '* connected', color: theme.ok };
  else if (connection.status === 'connecting') status = { text: '- connecting...', color: theme.warn };
  else {
    const retry = connection.retryAt ? Math.max(0, Math.ceil((connection.retryAt - now) / 1000)) : 0;
    const age = connection.lastOk ? `, showing data from ${humanDuration(now - connection.lastOk).toLowerCase()} ago` : '';
    status = { text: `x disconnected: ${connection.error ?? 'unreachable'} (retry in ${retry}s${age})`, color: theme.bad };
  }
  const managers = nodes.filter((n) => n.Spec.Role === 'manager');
  const leader = managers.find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
  const ready = nodes.filter((n) => n.Status.State === 'ready').length;
  let running = 0;
  let desired = 0;
  for (const s of services) {
    running += s.ServiceStatus?.RunningTasks ?? 0;
    desired += s.ServiceStatus?.DesiredTasks ?? 0;
  }
  const first = `swarmdeck ${inert(state.endpoint)}  `;
  const facts = [
    `managers ${managers.length}${leader ? ` (leader ${inert(leader)})` : ' (no leader)'}`,
    `nodes ${ready}/${nodes.length} ready`,
    `services ${services.length}`,
    `tasks ${running}/${desired}`,
    `engine ${inert(info?.ServerVersion ?? '?')}`,
  ].join('  |  ');
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {truncate(first, width)}
        </Text>
        <Text color={status.color}>{truncate(status.text, Math.max(0, width - first.length))}</Text>
      </Text>
      <Text wrap="truncate">
        {readOnly ? <Text color={theme.warn}>READ-ONLY </Text> : null}
        <Text color={theme.dim}>{truncate(facts, width - (readOnly ? 11 : 0))}</Text>
      </Text>
    </Box>
  );
}

function Footer({ pane, width, sim }: { pane: Exclude<Pane, 'global'>; width: number; sim: boolean }) {
  const hints = bindingsFor(pane, sim)
    // Enter opens nothing in the logs pane.
    .filter((b) => b.hint && !(pane === 'logs' && b.id === 'open'))
    // "? help" first: on a narrow terminal the rest may be cut, and help lists them all.
    .sort((a, b) => Number(b.id === 'help') - Number(a.id === 'help'))
    .map((b) => `${keyLabel(b).split(' ')[0]} ${b.hint}`);
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(hints.join('  '), width)}
    </Text>
  );
}

function StatusLine({ state, ui, width, now }: Pick<ScreenProps, 'state' | 'ui' | 'width' | 'now'>) {
  if (ui.prompt) {
    const text = `${ui.prompt.label}${ui.prompt.text}_`;
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{truncate(inert(text), width)}</Text>
        {ui.prompt.error ? <Text color={theme.bad}>{truncate(`  ${ui.prompt.error}`, Math.max(0, width - text.length))}</Text> : null}
      </Text>
    );
  }
  const status = state.status;
  if (!status) return <Text> </Text>;
  const color = status.kind === 'error' ? theme.bad : status.kind === 'success' ? theme.ok : theme.accent;
  const age = now - status.at > 60_000 ? ` (${humanDuration(now - status.at).toLowerCase()} ago)` : '';
  return (
    <Text color={color} wrap="truncate">
      {truncate(inert(status.text) + age, width)}
    </Text>
  );
}

function ConfirmBox({ ui, width, height }: { ui: UiState; width: number; height: number }) {
  const confirm = ui.confirm!;
  const inner = Math.max(10, Math.min(width - 4, 90));
  // Long lines wrap: a warning cut off mid-sentence is worse than none.
  const lines = confirm.lines.flatMap((line) => wrapWords(inert(line), inner - 2)).slice(0, Math.max(0, height - 5));
  return (
    <Box flexDirection="column" height={height} width={width} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} width={inner + 2} paddingX={1}>
        <Text bold color={theme.warn} wrap="truncate">
          {truncate(inert(confirm.title), inner - 2)}
        </Text>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line}
          </Text>
        ))}
        <Text color={theme.dim} wrap="truncate">
          {truncate(
            confirm.typeToConfirm ? `y: go on, then type ${inert(confirm.typeToConfirm)}    n or Esc: cancel` : 'y or Enter: go ahead    n or Esc: cancel',
            inner - 2,
          )}
        </Text>
      </Box>
    </Box>
  );
}

function HelpPane({ pane, width, height, sim, scroll }: { pane: Exclude<Pane, 'global'>; width: number; height: number; sim: boolean; scroll: number }) {
  const own = BINDINGS.filter((b) => b.pane === pane && (sim || !b.sim));
  const global = BINDINGS.filter((b) => b.pane === 'global' && (sim || !b.sim));
  const rows = [
    `Keys for ${pane}`,
    ...own.map((b) => `  ${keyLabel(b).padEnd(14)} ${b.description}${b.dangerous ? ' (asks first)' : ''}`),
    'Everywhere',
    ...global.map((b) => `  ${keyLabel(b).padEnd(14)} ${b.description}`),
    'Views on the command line (:)',
    ...VIEW_COMMANDS.map((c) => `  ${`:${c.name}${c.target ? ' [NAME]' : ''}`.padEnd(14)} ${c.description}`),
    'Esc or ? closes this help',
  ];
  return (
    // Too long for one column: as many columns side by side as it takes (and the width allows).
    <Box flexDirection="row" height={height}>
      {helpColumns(rows, height, width, scroll).map((column, c, all) => (
        <Box key={c} flexDirection="column" width={Math.floor(width / all.length)}>
          {column.map((row, i) => (
            <Text key={i} bold={!row.startsWith(' ')} color={row.startsWith(' ') ? undefined : theme.accent} wrap="truncate">
              {fit(row, Math.floor(width / all.length) - 1)}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/**
 * Lays help rows out: side by side in columns of `height` when they all fit (40 characters at
 * least each); else one column, scrolled by `scroll`, its last row saying how to see the rest.
 */
export function helpColumns(rows: string[], height: number, width: number, scroll = 0): string[][] {
  const needed = Math.ceil(rows.length / Math.max(1, height));
  if (needed <= Math.max(1, Math.floor(width / 40))) {
    const columns: string[][] = [];
    for (let at = 0; at < rows.length; at += height) columns.push(rows.slice(at, at + height));
    return columns;
  }
  const top = Math.max(0, Math.min(scroll, rows.length - (height - 1)));
  const shown = rows.slice(top, top + height - 1);
  const below = rows.length - top - shown.length;
  shown.push(`  -- j/k scroll: ${top} above, ${below} below --`);
  return [shown];
}

/** The prefix of a log line: task@node, as `docker service logs` writes it. */
export function logPrefix(entry: LogEntry, state: ClusterState): string {
  const task = entry.taskId ? state.tasks.items.find((t) => t.ID === entry.taskId) : undefined;
  const service = state.services.find((s) => s.ID === (entry.serviceId ?? task?.ServiceID));
  const node = state.nodes.find((n) => n.ID === (entry.nodeId ?? task?.NodeID));
  if (!entry.taskId) return '';
  const name = `${inert(service?.Spec.Name ?? '')}${task?.Slot !== undefined ? `.${task.Slot}` : ''}.${entry.taskId.slice(0, 12)}`;
  return `${name}@${inert(node?.Description?.Hostname ?? entry.nodeId?.slice(0, 12) ?? '?')}`;
}

const colorOf = (taskId: string | undefined) => {
  if (!taskId) return undefined;
  let h = 0;
  for (const ch of taskId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return theme.task[h % theme.task.length];
};

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
    if (!ui.logs.wrap) {
      rows.unshift({
        prefix: truncate(head, width),
        color: colorOf(entry.taskId),
        text: truncate(text, Math.max(0, width - head.length)),
        stderr: entry.stream === 'stderr',
      });
      continue;
    }
    const room = Math.max(10, width - head.length);
    const chunks: string[] = [];
    for (let at = 0; at < text.length || chunks.length === 0; at += room) chunks.push(text.slice(at, at + room));
    for (let c = chunks.length - 1; c >= 0 && rows.length < height; c--) {
      rows.unshift({
        prefix: c === 0 ? head : ' '.repeat(Math.min(head.length, width - room)),
        color: colorOf(entry.taskId),
        text: chunks[c],
        stderr: entry.stream === 'stderr',
      });
    }
  }
  return rows;
}

function Highlighted({ text, search }: { text: string; search: string }) {
  if (!search) return <Text>{text}</Text>;
  const parts: { text: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), hit: false });
    parts.push({ text: text.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
  }
  parts.push({ text: text.slice(at), hit: false });
  return (
    <Text>
      {parts.map((p, i) =>
        p.hit ? (
          <Text key={i} backgroundColor="yellow" color="black">
            {p.text}
          </Text>
        ) : (
          <Text key={i}>{p.text}</Text>
        ),
      )}
    </Text>
  );
}

function LogsPane({ state, ui, width, height }: { state: ClusterState; ui: UiState; width: number; height: number }) {
  const rows = logRows(state, ui, width, height);
  const { logs } = state;
  if (rows.length === 0) {
    const text = logs.status === 'error' ? `logs unavailable: ${logs.error}` : logs.status === 'loading' ? 'loading logs...' : 'no log lines yet';
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

/** The title bar: the view, its filter, and for logs the toggles and buffer. */
function TitleBar({ title, width, right }: { title: string; width: number; right: string }) {
  const space = Math.max(1, width - title.length - right.length);
  return (
    <Text wrap="truncate">
      <Text bold inverse color={theme.accent}>
        {truncate(title, width)}
      </Text>
      <Text color={theme.dim}>{truncate(`${' '.repeat(space)}${right}`, Math.max(0, width - title.length))}</Text>
    </Text>
  );
}

/** The banner rows over a service's tasks (rollout, why not running), at most half the body. */
export function bannerLines(view: View, state: ClusterState, now: number, width: number, bodyHeight: number): { text: string; color: string }[] {
  if (view.kind !== 'tasks' || view.scope?.kind !== 'service') return [];
  const service = state.services.find((s) => s.ID === view.scope!.id);
  if (!service || state.tasks.scope?.id !== service.ID) return [];
  const lines = serviceBanners(service, state.tasks.items, now).flatMap((b) =>
    b.lines.flatMap((l) => wrapWords(l, width)).map((text) => ({ text, color: b.color })),
  );
  return lines.slice(0, Math.max(0, Math.floor((bodyHeight - 1) / 2)));
}

/** The whole frame, exactly `height` rows: a pure function of its props. */
export function Screen(props: ScreenProps) {
  const { state, ui, width, height, now, readOnly, counts } = props;
  const view = currentView(ui);
  const bodyHeight = Math.max(1, height - CHROME_ROWS);
  const key = viewKey(view);
  const filter = ui.filters[key] ?? '';
  let title: string;
  let right = filter ? `filter: /${filter}` : '';
  let body: React.ReactNode;
  if (view.kind === 'logs') {
    const scope = view.scope;
    title = ` Logs of ${scope?.kind ?? ''} ${inert(scope?.name ?? '')} `;
    const flags = [
      ui.logs.follow ? 'follow' : 'paused',
      ui.logs.timestamps ? 'timestamps' : '',
      ui.logs.wrap ? 'wrap' : '',
      ui.logs.search ? `/${ui.logs.search}` : '',
      `${state.logs.lines.length} lines${state.logs.dropped ? ` (${state.logs.dropped} older dropped)` : ''}`,
    ].filter(Boolean);
    right = flags.join(', ');
    body = <LogsPane state={state} ui={ui} width={width} height={bodyHeight} />;
  } else if (view.kind === 'inspect') {
    title = view.scope?.kind === 'swarm' ? ' Inspect the swarm ' : ` Inspect ${view.scope?.kind ?? ''} ${inert(view.scope?.name ?? '')} `;
    right = [ui.inspect.format, ui.inspect.reveal ? 'secrets revealed' : 'secrets masked', ui.inspect.search ? `/${ui.inspect.search}` : '']
      .filter(Boolean)
      .join(', ');
    body = <InspectPane state={state} ui={ui} width={width} height={bodyHeight} />;
  } else if (view.kind === 'map') {
    const nodes = state.nodes;
    const down = nodes.filter((n) => n.Status.State !== 'ready').length;
    const drained = nodes.filter((n) => n.Spec.Availability !== 'active').length;
    title = ` Cluster map (${nodes.length} nodes${down ? `, ${down} down` : ''}${drained ? `, ${drained} drained or paused` : ''}) `;
    right = 'h/l move, Enter tasks';
    body = <MapPane state={state} ui={ui} width={width} height={bodyHeight} />;
  } else {
    const model = listModel(view, state, now, counts);
    const rows = filterRows(model.rows, filter);
    const found = rows.findIndex((r) => r.key === ui.selection[key]);
    const selected = found >= 0 ? found : 0;
    // A service's tasks lead with its rollout and with why tasks are missing, when there is either.
    const banner = bannerLines(view, state, now, width, bodyHeight);
    const tableHeight = bodyHeight - 1 - banner.length;
    const offset = windowStart(selected, rows.length, tableHeight);
    title = ` ${inert(model.title)} `;
    if (filter) right = `filter: /${filter} (${rows.length} of ${model.rows.length})`;
    body = (
      <>
        {banner.map((line, i) => (
          <Text key={i} color={line.color} wrap="truncate">
            {fit(line.text, width)}
          </Text>
        ))}
        <Table
          columns={model.columns}
          rows={rows}
          selected={selected}
          height={tableHeight}
          width={width}
          offset={offset}
          empty={filter ? `nothing matches /${filter}` : model.empty}
        />
      </>
    );
  }
  const sim = onSimulator(state);
  if (ui.help) body = <HelpPane pane={view.kind} width={width} height={bodyHeight} sim={sim} scroll={ui.helpScroll} />;
  if (ui.confirm) body = <ConfirmBox ui={ui} width={width} height={bodyHeight} />;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} width={width} now={now} readOnly={readOnly} />
      <TitleBar title={title} width={width} right={right} />
      <Box height={bodyHeight} flexDirection="column">
        {body}
      </Box>
      <StatusLine state={state} ui={ui} width={width} now={now} />
      <Footer pane={view.kind} width={width} sim={sim} />
    </Box>
  );
}
