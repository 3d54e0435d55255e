import type { ResourceKind } from '../../docker/types.js';
import type { Scope } from '../../store/state.js';
import type { Row } from '../components/table.js';
import { CONFIG_COLUMNS, configRow, NETWORK_COLUMNS, networkRow } from '../present/resources.js';
import { byName, cached } from './shared.js';
import type { ViewContext, ViewSpec } from './types.js';

const rowsCache = new WeakMap<object, Row[]>();

/** The selected network, config or secret, as a scope (its name without the ingress mark). */
function selectedObject(kind: ResourceKind, c: ViewContext): Scope | undefined {
  const row = c.rows[c.selectedIndex];
  return row && { kind: kind.slice(0, -1) as Scope['kind'], id: row.key, name: row.cells[0].replace(/ \(ingress\)$/, '') };
}

/** A listing of networks, configs or secrets: fetched when shown, kept current by its events; Enter inspects. */
export function resourceView(kind: ResourceKind): ViewSpec {
  return {
    kind,
    list({ state, now }) {
      const items = state.resources[kind];
      let rows: Row[] = [];
      if (items && kind === 'networks')
        rows = cached(rowsCache, items, () => [...items].sort(byName((n) => n.Name ?? '')).map((n) => networkRow(n, state.services)));
      else if (items && kind !== 'networks')
        rows = cached(rowsCache, items, () => [...items].sort(byName((o) => o.Spec?.Name ?? '')).map((o) => configRow(o, kind, state.services, now)));
      const what = { networks: 'networks', configs: 'configs', secrets: 'secrets (names and dates only: their data never leaves the manager)' }[kind];
      const title = { networks: 'Networks', configs: 'Configs', secrets: 'Secrets' }[kind];
      return {
        title: `${title} (${rows.length})`,
        columns: kind === 'networks' ? NETWORK_COLUMNS : CONFIG_COLUMNS,
        rows,
        empty: items ? `no ${what}` : `loading ${kind}...`,
      };
    },
    selected: (c) => selectedObject(kind, c),
    open(c) {
      const scope = selectedObject(kind, c);
      return scope && { kind: 'inspect', scope };
    },
    needs: () => ({ resource: kind }),
  };
}
