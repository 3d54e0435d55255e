import type { Column, Row } from '../components/table.js';
import { changeLine } from '../../store/change-line.js';
import { maskChangeValue } from '../present/diff.js';
import { inert } from '../sanitize.js';
import type { ViewSpec } from './types.js';

const COLUMNS: Column[] = [
  { title: 'ACTION', priority: 0 },
  { title: 'KIND', priority: 0 },
  { title: 'NAME', priority: 0, flex: true },
  { title: 'CHANGES', priority: 1, flex: true },
];

const COLORS: Record<string, string | undefined> = { create: 'green', update: 'yellow', remove: 'red' };

/** A `:deploy` plan: an object per row, Enter opens a service's changed fields under it, y applies exactly this plan. */
export const deployView: ViewSpec = {
  kind: 'deploy',
  list({ ui }) {
    const deploy = ui.deploy;
    const rows: Row[] = [];
    for (const e of deploy?.plan.entries ?? []) {
      const key = `${e.kind}:${e.name}`;
      const count = e.changes?.length ?? 0;
      rows.push({
        key,
        cells: [
          e.action,
          e.kind,
          inert(e.name),
          e.action === 'update' ? `${count} field${count === 1 ? '' : 's'} (Enter)` : e.source ? inert(`read from ${e.source}`) : '',
        ],
        color: COLORS[e.action],
      });
      if (deploy!.open.includes(key)) {
        (e.changes ?? []).forEach((c, i) => {
          const line = changeLine(c, (path, value) => maskChangeValue(path, value, ui.inspect.reveal));
          rows.push({ key: `${key}#${i}`, cells: ['', '', '', inert(line)] });
        });
      }
    }
    const count = (a: string) => deploy?.plan.entries.filter((e) => e.action === a).length ?? 0;
    return {
      title: deploy
        ? `Plan: deploy stack ${inert(deploy.stack)} from ${inert(deploy.file)} (${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged; y applies)`
        : 'Plan',
      columns: COLUMNS,
      rows,
      empty: 'no plan: :deploy FILE [STACK] makes one',
    };
  },
  open(c) {
    const key = c.selectedKey?.split('#')[0];
    const deploy = c.ui.deploy;
    if (!key || !deploy) return;
    const entry = deploy.plan.entries.find((e) => `${e.kind}:${e.name}` === key);
    if (!entry?.changes?.length) return c.status(`${entry?.name ?? key}: ${entry?.action ?? 'nothing'}; no fields to show`, 'info');
    const open = deploy.open.includes(key) ? deploy.open.filter((k) => k !== key) : [...deploy.open, key];
    c.patch({ deploy: { ...deploy, open } });
  },
  needs: () => ({}),
};
