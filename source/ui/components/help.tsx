import { Box, Text } from 'ink';
import { BINDINGS, VIEW_COMMANDS, type Pane } from '../../keymap/bindings.js';
import { keyLabel } from '../../keymap/lookup.js';
import { fit } from '../sanitize.js';
import { theme } from '../theme.js';

/** Every key of the pane and everywhere, and the command line's views: from the keymap. */
export function HelpPane({ pane, width, height, sim, scroll }: { pane: Exclude<Pane, 'global'>; width: number; height: number; sim: boolean; scroll: number }) {
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

/** A help row cut into lines of `width` at spaces, the continuation lines under the description. */
export function wrapRow(row: string, width: number): string[] {
  if (row.length <= width || width < 24) return [row];
  const indent = row.startsWith('  ') ? ' '.repeat(17) : '  ';
  const out: string[] = [];
  let rest = row;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = width;
    out.push(rest.slice(0, cut));
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * Lays help rows out: side by side in columns of `height` when they all fit (40 characters at
 * least each), long descriptions wrapped within their column, never cut; else one column,
 * scrolled by `scroll`, its last row saying how to see the rest.
 */
export function helpColumns(rows: string[], height: number, width: number, scroll = 0): string[][] {
  // The fewest columns that hold it all: wider columns wrap less.
  for (let count = 1; count <= Math.max(1, Math.floor(width / 40)); count++) {
    const lines = rows.flatMap((row) => wrapRow(row, Math.floor(width / count) - 1));
    if (Math.ceil(lines.length / Math.max(1, height)) > count) continue;
    const columns: string[][] = [];
    for (let at = 0; at < lines.length; at += height) columns.push(lines.slice(at, at + height));
    return columns;
  }
  const lines = rows.flatMap((row) => wrapRow(row, width - 1));
  const top = Math.max(0, Math.min(scroll, lines.length - (height - 1)));
  const shown = lines.slice(top, top + height - 1);
  const below = lines.length - top - shown.length;
  shown.push(`  -- j/k scroll: ${top} above, ${below} below --`);
  return [shown];
}
