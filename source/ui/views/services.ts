import type { SwarmService } from '../../docker/types.js';
import { windowStart, type Row } from '../components/table.js';
import { stackOf } from '../present/resources.js';
import { SERVICE_COLUMNS, serviceRow } from '../present/rows.js';
import { byName, cached, serviceScope } from './shared.js';
import type { ViewSpec } from './types.js';

const rowsCache = new WeakMap<object, Row[]>();

/** The services view: `docker service ls`, or a stack's services when drilled into from the stacks view. */
export const servicesView: ViewSpec = {
  kind: 'services',
  root: true,
  list({ view, state }) {
    const all = cached(rowsCache, state.services, () => [...state.services].sort(byName((s: SwarmService) => s.Spec.Name ?? '')).map(serviceRow));
    const stack = view.scope?.kind === 'stack' ? view.scope : undefined;
    if (stack) {
      const ids = new Set(state.services.filter((s) => stackOf(s) === stack.id).map((s) => s.ID));
      const rows = all.filter((r) => ids.has(r.key));
      return { title: `Services of stack ${stack.name} (${rows.length})`, columns: SERVICE_COLUMNS, rows, empty: `stack ${stack.name} has no services now` };
    }
    return {
      title: `Services (${all.length})`,
      columns: SERVICE_COLUMNS,
      rows: all,
      empty: state.loaded.services ? 'no services: create one with `docker service create`' : 'loading services...',
    };
  },
  selected(c) {
    const service = c.state.services.find((s) => s.ID === c.selectedKey);
    return service && serviceScope(service);
  },
  open(c) {
    const scope = servicesView.selected!(c);
    return scope && { kind: 'tasks', scope };
  },
  // A crash loop looks healthy every other second: the histories of the services on screen are
  // read when they come on screen and once a minute (at 1,000 services, only those ~30).
  needs({ bodyHeight }, { rows, selectedIndex }) {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    return { restarts: rows.slice(start, start + bodyHeight - 1).map((r) => r.key) };
  },
};
