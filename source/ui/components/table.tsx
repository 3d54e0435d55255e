import { Box, Text } from 'ink';
import { memo } from 'react';
import { fit, truncate } from '../sanitize.js';
import { hiddenMarker, measureColumns, shortenImage, type Column, type Layout } from './table-layout.js';
import { plainOutput, theme } from '../theme.js';

export type { Column } from './table-layout.js';

/** A table row: its key (the object id), one string per column, and an optional colour. */
export interface Row {
  key: string;
  cells: string[];
  color?: string;
  /** Exact values to order by (`:sort`), where the cell is rounded for the eye; otherwise the cell is read. */
  sort?: { cpu?: number; mem?: number };
  /** Belongs under the row before it (a task's history): an ordering moves it with that row. */
  under?: boolean;
}

const cellCache = new WeakMap<Row[], { columns: Column[]; widths: number[] }>();

/** The widest cell of each column: measured once per rows array, so scrolling does not re-measure 1,000 rows. */
function cellWidths(columns: Column[], rows: Row[]): number[] {
  const hit = cellCache.get(rows);
  if (hit && hit.columns === columns) return hit.widths;
  const widths = columns.map((_, i) => {
    let w = 0;
    for (const row of rows) w = Math.max(w, (row.cells[i] ?? '').length);
    return w;
  });
  cellCache.set(rows, { columns, widths });
  return widths;
}

/** Widths for the columns in `width`, hidden ones 0 (see measureColumns); in wide mode every column, as wide as its content. */
export function layoutColumns(columns: Column[], rows: Row[], width: number, wide = false): Layout {
  return measureColumns(columns, cellWidths(columns, rows), width, wide);
}

/** The room a table of `full` columns has for its cells: less the selection marker without colours, and the marks gutter while any row is marked. */
export const cellRoom = (full: number, marked?: readonly string[]) => full - (plainOutput() ? 2 : 0) - (marked && marked.length > 0 ? 2 : 0);

/** The first row shown so that `selected` is inside a window of `height` rows: the top page, else selected at the bottom. */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height || selected < height) return 0;
  return Math.min(selected - height + 1, count - height);
}

function line(cells: string[], widths: number[], columns: Column[]): string {
  let out = '';
  for (let i = 0; i < widths.length; i++) {
    if (widths[i] <= 0) continue;
    const cell = cells[i] ?? '';
    const cut = columns[i].shorten === 'image' && cell.length > widths[i] ? shortenImage(cell, widths[i]) : cell;
    out += `${fit(cut, widths[i], columns[i].align)}  `;
  }
  return out.trimEnd();
}

/** Props of the table. */
export interface TableProps {
  columns: Column[];
  rows: Row[];
  selected: number;
  /** Rows of the body, header excluded. */
  height: number;
  width: number;
  /** First visible row, kept by the caller between renders so the window does not jump. */
  offset: number;
  empty?: string;
  /** Marked row keys: a gutter marks them while any is. */
  marked?: readonly string[];
  /** Wide mode (Ctrl+W): every column at its content's width, the line scrolled sideways by `scrollX`. */
  wide?: boolean;
  scrollX?: number;
}

/**
 * The one table every list pane uses: a header, then only the rows inside the window (so 50,000
 * rows cost what 20 do), the selected row inverted.
 */
export const Table = memo(function Table({ columns, rows, selected, height, width: full, offset, empty, marked, wide = false, scrollX = 0 }: TableProps) {
  // Without colours inverse is gone too: a marker column shows the selected row.
  const marker = plainOutput();
  const marks = marked && marked.length > 0 ? new Set(marked) : undefined;
  const width = cellRoom(full, marked);
  const gutter = (key: string | undefined) => (marks ? (key !== undefined && marks.has(key) ? '* ' : '  ') : '');
  const layout = layoutColumns(columns, rows, width, wide);
  const { widths } = layout;
  // Wide mode: the whole line, seen through a window `width` wide from scrollX.
  const shift = wide ? Math.max(0, Math.min(scrollX, layout.total - width)) : 0;
  const view = (text: string) => (wide ? text.slice(shift) : text);
  const mark = (text: string, on: boolean, key?: string) => `${marker ? (on ? '> ' : '  ') : ''}${gutter(key)}${text}`;
  const titles = line(
    columns.map((c) => c.title),
    widths,
    columns,
  );
  // Columns left out are said at the end of the header, never silently dropped.
  const more = hiddenMarker(layout.hidden);
  const header = mark(more ? `${titles.padEnd(width - more.length)}${more}` : view(titles), false);
  const visible = rows.slice(offset, offset + height);
  return (
    <Box flexDirection="column" height={height + 1} width={full}>
      <Text bold color={theme.header}>
        {truncate(header, full)}
      </Text>
      {visible.length === 0 ? (
        <Text color={theme.dim}>{truncate(empty ?? 'nothing to show', width)}</Text>
      ) : (
        visible.map((row, i) => {
          const index = offset + i;
          // Only the selected row is padded (its bar runs to the edge): Ink pays for every character written.
          const cells = view(line(row.cells, widths, columns));
          const text = mark(index === selected ? fit(cells, width) : truncate(cells, width), index === selected, row.key);
          return (
            <Text key={row.key} color={row.color} inverse={index === selected}>
              {text}
            </Text>
          );
        })
      )}
    </Box>
  );
});
