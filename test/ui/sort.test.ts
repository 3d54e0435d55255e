import { describe, expect, test } from 'vitest';
import type { Column, Row } from '../../source/ui/components/table.js';
import { cellFigure, sortRows } from '../../source/ui/views/sort.js';

const columns: Column[] = [
  { title: 'NAME', priority: 0 },
  { title: 'CPU', priority: 1 },
  { title: 'MEM', priority: 1 },
];
const row = (key: string, cpu: string, mem: string, under?: boolean): Row => ({ key, cells: [key, cpu, mem], under });

describe('ordering a list by a column', () => {
  test('a cell is read as the figure it shows: a percentage, or bytes in binary or decimal units; blank, - and words are none', () => {
    expect(cellFigure('12.5%')).toBe(12.5);
    expect(cellFigure('24.1MiB/64MiB')).toBeCloseTo(24.1 * 1024 ** 2);
    expect(cellFigure('512KiB')).toBe(512 * 1024);
    expect(cellFigure('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(cellFigure('2GB')).toBe(2e9);
    expect(cellFigure('37%')).toBe(37);
    for (const none of ['', '-', 'n/a']) expect(cellFigure(none)).toBeUndefined();
  });

  test('figures highest first, rows with none last in their own order, a row under another moving with it; names A to Z, naturally', () => {
    const rows = [
      row('web.1', '1.0%', '10MiB'),
      row(' \\_ web.1', '', '', true),
      row('web.2', '', ''),
      row('web.10', '9.0%', '1GiB'),
      row('web.3', '-', '-'),
      row('web.4', '5.0%', '2GiB'),
    ];
    expect(sortRows(rows, columns, 'cpu').map((r) => r.key)).toEqual(['web.10', 'web.4', 'web.1', ' \\_ web.1', 'web.2', 'web.3']);
    expect(sortRows(rows, columns, 'mem').map((r) => r.key)).toEqual(['web.4', 'web.10', 'web.1', ' \\_ web.1', 'web.2', 'web.3']);
    expect(sortRows(rows, columns, 'name').map((r) => r.key)).toEqual(['web.1', ' \\_ web.1', 'web.2', 'web.3', 'web.4', 'web.10']);
    // A row's own figure wins over its rounded cell.
    const exact = [
      { ...row('a', '1.0%', ''), sort: { cpu: 0.96 } },
      { ...row('b', '1.0%', ''), sort: { cpu: 1.04 } },
    ];
    expect(sortRows(exact, columns, 'cpu').map((r) => r.key)).toEqual(['b', 'a']);
    // No such column: the view's own order.
    expect(sortRows(rows, [columns[0]], 'cpu')).toBe(rows);
  });
});
