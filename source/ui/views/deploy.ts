import type { Column, Row } from '../components/table.js';
import type { PlanEntry } from '../../compose/plan.js';
import { changeLine, type Change } from '../../store/change-line.js';
import type { Scope } from '../../store/state.js';
import { maskChangeValue } from '../present/diff.js';
import { inert } from '../sanitize.js';
import type { DeployView } from '../ui-state.js';
import type { ViewContext, ViewSpec } from './types.js';

const COLUMNS: Column[] = [
  { title: 'ACTION', priority: 0 },
  { title: 'KIND', priority: 0 },
  { title: 'NAME', priority: 0, flex: true },
  { title: 'CHANGES', priority: 1, flex: true },
];

const COLORS: Record<string, string | undefined> = { create: 'green', update: 'yellow', remove: 'red' };

const entryKey = (e: PlanEntry) => `${e.kind}:${e.name}`;

/** The object a plan row would create, as it would be sent; a secret's or config's data is named, not shown (the Engine never shows a secret's). */
export function plannedObject(entry: PlanEntry): Record<string, unknown> {
  const spec = { ...(entry.spec ?? {}) };
  if (typeof spec.Data === 'string') {
    const bytes = Buffer.from(spec.Data, 'base64').length;
    spec.Data = `(${bytes} bytes${entry.source ? ` read from ${entry.source}` : ''}, not shown)`;
  }
  return spec;
}

/** The plan entry a `plan` scope names (the `i` of a create row), while that plan is on screen. */
export const plannedEntry = (deploy: DeployView | undefined, scope: Scope) => deploy?.plan.entries.find((e) => entryKey(e) === scope.id);

/** Every field a create row sends, as lines `+ path: value` (leaves only; lists by index). */
function createdFields(entry: PlanEntry): Change[] {
  const out: Change[] = [];
  const walk = (value: unknown, path: string) => {
    const isList = Array.isArray(value);
    if (value && typeof value === 'object' && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else out.push({ path, before: undefined, after: value && typeof value === 'object' ? (isList ? [] : {}) : value });
  };
  walk(plannedObject(entry), '');
  return out;
}

/** The plan entry under the cursor (a field line under an entry counts as its entry). */
function selectedEntry(c: ViewContext): PlanEntry | undefined {
  const key = c.selectedKey?.split('#')[0];
  return c.ui.deploy?.plan.entries.find((e) => entryKey(e) === key);
}

/** A `:deploy` plan: an object per row, Enter opens what a row changes (or creates) under it, y applies exactly this plan. */
export const deployView: ViewSpec = {
  kind: 'deploy',
  list({ ui }) {
    const deploy = ui.deploy;
    const rows: Row[] = [];
    for (const e of deploy?.plan.entries ?? []) {
      const key = entryKey(e);
      const count = e.changes?.length ?? 0;
      const source = e.source ? inert(`read from ${e.source}`) : '';
      rows.push({
        key,
        cells: [
          e.action,
          e.kind,
          inert(e.name),
          e.action === 'update'
            ? `${count} field${count === 1 ? '' : 's'} (Enter)`
            : e.action === 'create'
              ? [source, '(Enter: what is sent)'].filter(Boolean).join(' ')
              : source,
        ],
        color: COLORS[e.action],
      });
      if (deploy!.open.includes(key)) {
        const fields = e.action === 'create' ? createdFields(e) : (e.changes ?? []);
        fields.forEach((c, i) => {
          const line = changeLine(c, (path, value) => maskChangeValue(path, value, ui.inspect.reveal));
          rows.push({ key: `${key}#${i}`, cells: ['', '', '', inert(line)] });
        });
      }
    }
    const count = (a: string) => deploy?.plan.entries.filter((e) => e.action === a).length ?? 0;
    // In read-only mode the plan is there to be read, as `deploy --read-only --dry-run` prints it.
    const apply = deploy?.readOnly ? 'read-only: nothing can be applied' : 'y applies';
    return {
      title: deploy
        ? `Plan: deploy stack ${inert(deploy.stack)} from ${inert(deploy.file)} (${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged; ${apply})`
        : 'Plan',
      columns: COLUMNS,
      rows,
      empty: 'no plan: :deploy FILE [STACK] makes one',
    };
  },
  open(c) {
    const deploy = c.ui.deploy;
    const entry = selectedEntry(c);
    if (!entry || !deploy) return;
    const key = entryKey(entry);
    if (entry.action !== 'create' && !entry.changes?.length) return c.status(`${entry.name}: ${entry.action}; no fields to show (i inspects it)`, 'info');
    const open = deploy.open.includes(key) ? deploy.open.filter((k) => k !== key) : [...deploy.open, key];
    c.patch({ deploy: { ...deploy, open } });
  },
  // i inspects the row's object: the one in the swarm now, or for a create the one that would be sent.
  selected(c) {
    const entry = selectedEntry(c);
    if (!entry) return undefined;
    if (entry.action === 'create') return { kind: 'plan', id: entryKey(entry), name: `${entry.kind} ${entry.name}` };
    return { kind: entry.kind, id: entry.id ?? entry.name, name: entry.name };
  },
  needs: () => ({}),
};
