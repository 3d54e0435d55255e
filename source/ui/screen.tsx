import { Box, Text } from 'ink';
import { dataStale, onSimulator, type ClusterState, type StatusMessage } from '../store/state.js';
import { ago } from './present/format.js';
import { ConfirmBox } from './components/dialog.js';
import { Footer } from './components/footer.js';
import { Header } from './components/header.js';
import { HelpPane } from './components/help.js';
import { StatusLine, TitleBar } from './components/status-line.js';
import { cellRoom, layoutColumns, Table, windowStart } from './components/table.js';
import { fit, inert } from './sanitize.js';
import { currentView, viewKey, type UiState } from './ui-state.js';
import { viewOrder, viewRows, viewSpec } from './views/index.js';
import { sortColumn, sortLabel } from './views/sort.js';
import type { ViewEnv } from './views/types.js';

type ListRows = ReturnType<typeof viewRows>;

/** What the screen draws: cluster state, UI state, the terminal size and the clock. */
export interface ScreenProps {
  state: ClusterState;
  /** The status line's message, if it shows one now (the caller decides: see shownStatus). */
  status?: StatusMessage;
  ui: UiState;
  width: number;
  /** Rows to use: the caller passes the terminal's rows minus one, so Ink never clears the screen. */
  height: number;
  now: number;
  readOnly: boolean;
  /** The list's rows and selection when the caller derived them already (the App does, for what it fetches): not derived twice a frame. */
  rows?: ListRows;
}

// Frames are kept to printable ASCII where we choose the glyphs: Ink measures every character with
// string-width, whose fast path is ASCII; one other glyph costs a grapheme segmentation per frame.

/** Rows that are not the body: header (2), title (1), status line (1), footer (1). */
export const CHROME_ROWS = 5;

/** The body of a list view: its banner, then the windowed table. */
function ListBody({ env, list }: { env: ViewEnv; list: ListRows }) {
  const spec = viewSpec(env.view.kind);
  const { model, rows, selectedIndex } = list;
  const filter = env.ui.filters[viewKey(env.view)] ?? '';
  const banner = spec.banner?.(env) ?? [];
  const tableHeight = env.bodyHeight - 1 - banner.length;
  return (
    <>
      {banner.map((line, i) => (
        <Text key={i} color={line.color} wrap="truncate">
          {fit(line.text, env.width)}
        </Text>
      ))}
      <Table
        columns={model!.columns}
        rows={rows}
        selected={selectedIndex}
        height={tableHeight}
        width={env.width}
        offset={windowStart(selectedIndex, rows.length, tableHeight)}
        empty={filter ? `nothing matches /${filter}` : model!.empty}
        marked={env.ui.marks[viewKey(env.view)]}
        wide={env.ui.wide}
        scrollX={env.ui.scrollX}
      />
    </>
  );
}

/** The title bar of a list view: its title; its filter, with how many rows match. */
function listTitle(env: ViewEnv, { model, rows }: ListRows): { title: string; right: string } {
  const filter = env.ui.filters[viewKey(env.view)] ?? '';
  const { lastOk } = env.state.connection;
  // The rows are as old as the data: said on the list itself, not only in the header.
  const stale = dataStale(env.state) && lastOk !== undefined ? `as of ${ago(lastOk, env.now)}` : '';
  const shown = filter ? `filter: /${filter} (${rows.length} of ${model!.rows.length})` : '';
  // Columns left out are said in words (the header's +N> marks where).
  // (The table's own room, so the title and the header's +N> never disagree.)
  const { hidden } = layoutColumns(model!.columns, rows, cellRoom(env.width, env.ui.marks[viewKey(env.view)]), env.ui.wide);
  const columns = env.ui.wide ? 'wide: left/right scroll' : hidden.length > 0 ? `${hidden.join(', ')} hidden: Ctrl+W` : '';
  // The order, when the rows are in one (a view without the column keeps its own).
  const order = viewOrder(env);
  const sorted = order && sortColumn(model!.columns, order) >= 0 ? ` ${sortLabel(order)}` : '';
  return { title: ` ${inert(model!.title)}${sorted} `, right: [shown, columns, stale].filter(Boolean).join('  ') };
}

/** The whole frame, exactly `height` rows: a pure function of its props. */
export function Screen({ state, status, ui, width, height, now, readOnly, rows }: ScreenProps) {
  const view = currentView(ui);
  const spec = viewSpec(view.kind);
  const env: ViewEnv = { view, state, ui, now, width, bodyHeight: Math.max(1, height - CHROME_ROWS) };
  const list = spec.pane ? undefined : (rows ?? viewRows(env));
  const { title, right } = list ? listTitle(env, list) : spec.pane!.title(env);
  const sim = onSimulator(state);
  const PaneBody = spec.pane?.Body;
  let body = list || !PaneBody ? <ListBody env={env} list={list!} /> : <PaneBody env={env} />;
  if (ui.help) body = <HelpPane pane={view.kind} width={width} height={env.bodyHeight} sim={sim} scroll={ui.helpScroll} />;
  if (ui.confirm) body = <ConfirmBox confirm={ui.confirm} width={width} height={env.bodyHeight} />;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} width={width} now={now} readOnly={readOnly} />
      <TitleBar title={title} width={width} right={right} />
      <Box height={env.bodyHeight} flexDirection="column">
        {body}
      </Box>
      <StatusLine status={status} prompt={ui.prompt} width={width} now={now} />
      <Footer spec={spec} width={width} sim={sim} readOnly={readOnly} />
    </Box>
  );
}
