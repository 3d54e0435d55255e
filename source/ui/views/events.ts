import { EVENT_HISTORY_SECONDS, type Scope } from '../../store/state.js';
import type { Row } from '../components/table.js';
import { EVENT_COLUMNS, eventRows } from '../present/resources.js';
import { cached } from './shared.js';
import type { ViewContext, ViewSpec } from './types.js';

const rowsCache = new WeakMap<object, Map<string, Row[]>>();

/** The service or node an event row is about, as a scope. */
function selectedEvent(c: ViewContext): Scope | undefined {
  const index = c.selectedKey ? Number(c.selectedKey.split(':').at(-1)) : NaN;
  const event = Number.isInteger(index) ? c.state.events[index] : undefined;
  if (event && (event.Type === 'service' || event.Type === 'node'))
    return { kind: event.Type, id: event.Actor.ID, name: event.Actor.Attributes?.name ?? event.Actor.ID };
  return undefined;
}

/** The events timeline, live: the swarm's, or one object's (e on a row). */
export const eventsView: ViewSpec = {
  kind: 'events',
  list({ view, state }) {
    const scope = view.scope;
    const byScope = cached(rowsCache, state.events, () => new Map<string, Row[]>());
    const key = scope?.id ?? '';
    let rows = byScope.get(key);
    if (!rows) {
      rows = eventRows(state.events, scope?.id);
      byScope.set(key, rows);
    }
    return {
      title: scope ? `Events of ${scope.kind} ${scope.name} (${rows.length})` : `Events (${rows.length}, live)`,
      columns: EVENT_COLUMNS,
      rows,
      empty: scope
        ? `no events for ${scope.name} in the last ${EVENT_HISTORY_SECONDS / 60} minutes; new ones appear as they happen`
        : 'no events yet; they appear as they happen',
    };
  },
  selected: selectedEvent,
  open(c) {
    const scope = selectedEvent(c);
    return scope && { kind: 'inspect', scope };
  },
  fromCommand: ({ named, selected }) => {
    const scope = named ?? selected;
    return { kind: 'events', scope: scope && scope.kind !== 'swarm' ? scope : undefined };
  },
  // Live, the event stream replays the last hours on connecting; --once asks for them.
  needs: () => ({ events: true }),
};
