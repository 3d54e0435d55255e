import { Box, Text } from 'ink';
import { memo } from 'react';
import { fit, truncate } from '../sanitize.js';
import { plainOutput, theme } from '../theme.js';

/** A table column: the lower its priority number, the longer it survives a narrow terminal. */
export interface Column {
  title: string;
  priority: number;
  /** Widest it grows to fit content. */
  max: number;
  /** Takes (or gives up) the space that is left. */
  flex?: boolean;
  align?: 'left' | 'right';
}

/** A table row: its key (the object id), one string per column, and an optional colour. */
export interface Row {
  key: string;
  cells: string[];
  color?: string;
}

const layoutCache = new WeakMap<Row[], { width: number; columns: Column[]; widths: number[] }>();

/** Widths for the columns that fit in `width`; hidden columns get 0. Cached per rows array: scrolling does not re-measure 1,000 rows. */
export function layoutColumns(columns: Column[], rows: Row[], width: number): number[] {
  const hit = layoutCache.get(rows);
  if (hit && hit.width === width && hit.columns === columns) return hit.widths;
  const widths = measureColumns(columns, rows, width);
  layoutCache.set(rows, { width, columns, widths });
  return widths;
}

function measureColumns(columns: Column[], rows: Row[], width: number): number[] {
  const natural = columns.map((c, i) => {
    let w = c.title.length;
    for (const row of rows) w = Math.max(w, (row.cells[i] ?? '').length);
    return Math.min(w, Math.max(c.max, c.title.length));
  });
  const visible = columns.map(() => true);
  const total = () => natural.reduce((sum, w, i) => sum + (visible[i] ? w + 2 : 0), 0);
  // Drop the least important columns until the rest fit, keeping at least the first.
  const order = columns.map((c, i) => ({ c, i })).sort((a, b) => b.c.priority - a.c.priority || b.i - a.i);
  for (const { i } of order) {
    if (total() <= width || visible.filter(Boolean).length === 1) break;
    if (columns[i].flex && natural[i] > 12) {
      natural[i] = Math.max(12, natural[i] - (total() - width));
      if (total() <= width) break;
    }
    visible[i] = false;
  }
  const widths = natural.map((w, i) => (visible[i] ? w : 0));
  // Give the space left to the last flexible column, so lines run to the edge.
  const spare = width - total();
  const flexIndex = columns.findLastIndex((c, i) => c.flex && visible[i]);
  if (flexIndex >= 0 && spare > 0) widths[flexIndex] += spare;
  else if (spare < 0) widths[widths.findIndex((w) => w > 0)] += spare;
  return widths;
}

/** The first row shown so that `selected` is inside a window of `height` rows: the top page, else selected at the bottom. */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height || selected < height) return 0;
  return Math.min(selected - height + 1, count - height);
}

function line(cells: string[], widths: number[], columns: Column[]): string {
  let out = '';
  for (let i = 0; i < widths.length; i++) {
    if (widths[i] <= 0) continue;
    out += `${fit(cells[i] ?? '', widths[i], columns[i].align)}  `;
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
}

/**
 * The one table every list pane uses: a header, then only the rows inside the window (so 50,000
 * rows cost what 20 do), the selected row inverted.
 */
export const Table = memo(function Table({ columns, rows, selected, height, width: full, offset, empty, marked }: TableProps) {
  // Without colours inverse is gone too: a marker column shows the selected row.
  const marker = plainOutput();
  const marks = marked && marked.length > 0 ? new Set(marked) : undefined;
  const width = full - (marker ? 2 : 0) - (marks ? 2 : 0);
  const gutter = (key: string | undefined) => (marks ? (key !== undefined && marks.has(key) ? '* ' : '  ') : '');
  const mark = (text: string, on: boolean, key?: string) => `${marker ? (on ? '> ' : '  ') : ''}${gutter(key)}${text}`;
  const widths = layoutColumns(columns, rows, width);
  const header = mark(
    line(
      columns.map((c) => c.title),
      widths,
      columns,
    ),
    false,
  );
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
          const text = mark(
            index === selected ? fit(line(row.cells, widths, columns), width) : truncate(line(row.cells, widths, columns), width),
            index === selected,
            row.key,
          );
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
