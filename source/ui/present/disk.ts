import type { DiskUseLine } from '../../docker/node-views.js';
import { engineKey } from '../../store/needs.js';
import type { ClusterState, Scope } from '../../store/state.js';

/** A node's disk use as `docker system df` prints it, for the node's detail. */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** A size as docker's units.HumanSize writes it: decimal units, four significant digits (1.235GB, 512kB, 0B). */
export function humanSize(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${Number(value.toPrecision(4))}${UNITS[unit]}`;
}

/** The table of `docker system df`: TYPE, TOTAL, ACTIVE, SIZE, RECLAIMABLE (with its share of the size, as the CLI shows it). */
export function diskTable(lines: DiskUseLine[]): string[] {
  const rows = [
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    ...lines.map((l) => [
      l.type,
      String(l.total),
      String(l.active),
      humanSize(l.size),
      l.size > 0 ? `${humanSize(l.reclaimable)} (${Math.floor((100 * l.reclaimable) / l.size)}%)` : humanSize(l.reclaimable),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('   '));
}

/** The node's disk use as YAML comments over its inspect output: the table, reading, or why it cannot be read. */
export function diskComment(state: ClusterState, node: Scope): string[] {
  const key = engineKey({ what: 'disk', nodeId: node.id });
  const answer = state.engine.key === key ? state.engine : undefined;
  const head = `# docker system df, from ${node.name}'s own engine`;
  if (!answer) return [`${head}: reading...`];
  if (answer.error) return [`${head}: ${answer.error}`];
  return [`${head}:`, ...diskTable(answer.disk ?? []).map((l) => `#   ${l}`)];
}
