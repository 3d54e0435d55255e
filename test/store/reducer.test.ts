import { describe, expect, test } from 'vitest';
import type { SwarmEvent, SwarmTask } from '../../source/docker/types.js';
import { EVENT_LIMIT, initialState, reduce, type Action, type ClusterState, type Scope } from '../../source/store/state.js';

const service: Scope = { kind: 'service', id: 's1', name: 'web' };
const other: Scope = { kind: 'service', id: 's2', name: 'api' };
const task = (id: string) => ({ ID: id, ServiceID: 's1', DesiredState: 'running', Status: { State: 'running' } }) as SwarmTask;
const apply = (state: ClusterState, ...actions: Action[]) => actions.reduce(reduce, state);

describe('the reducer', () => {
  test('a task listing for a scope the user already left is dropped', () => {
    const state = apply(initialState('x'), { type: 'tasks/scope', scope: other }, { type: 'tasks', scope: service, items: [task('t1')], at: 1 });
    expect(state.tasks).toEqual({ scope: other, items: [], loaded: false });
  });

  test('showing the same scope again keeps its tasks (no flash of "loading")', () => {
    const loaded = apply(initialState('x'), { type: 'tasks/scope', scope: service }, { type: 'tasks', scope: service, items: [task('t1')], at: 1 });
    const again = reduce(loaded, { type: 'tasks/scope', scope: { ...service } });
    expect(again).toBe(loaded);
  });

  test('the log buffer keeps the newest lines up to its limit and counts the dropped ones', () => {
    const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ text: `line ${from + i}`, stream: 'stdout' as const }));
    const state = apply(
      initialState('x'),
      { type: 'logs/reset', scope: service, status: 'loading' },
      { type: 'logs/append', lines: lines(6), limit: 4 },
      { type: 'logs/append', lines: lines(2, 6), limit: 4 },
    );
    expect(state.logs.lines.map((l) => l.text)).toEqual(['line 4', 'line 5', 'line 6', 'line 7']);
    expect(state.logs.dropped).toBe(4);
  });

  test('the events timeline keeps the newest EVENT_LIMIT events', () => {
    const events = Array.from(
      { length: EVENT_LIMIT + 5 },
      (_, i) => ({ Type: 'service', Action: 'update', Actor: { ID: String(i) }, timeNano: i }) as SwarmEvent,
    );
    const state = reduce(initialState('x'), { type: 'events', events });
    expect(state.events).toHaveLength(EVENT_LIMIT);
    expect(state.events[0].Actor.ID).toBe('5');
  });

  test('a listing marks the connection as good again, with the time data arrived', () => {
    const lost = reduce(initialState('x'), { type: 'connection', connection: { status: 'disconnected', error: 'gone', lastOk: 1 } });
    expect(reduce(lost, { type: 'services', services: [], at: 7 }).connection).toEqual({ status: 'connected', lastOk: 7 });
  });

  test("switching swarms forgets the last one's data but keeps the action log and the contexts", () => {
    const record = { time: 't', endpoint: 'a', target: 'service web', action: 'scale', result: 'done', command: 'docker service scale web=2' };
    const before = apply(
      initialState('a'),
      { type: 'services', services: [{ ID: 's1', Spec: { Name: 'web' } } as never], at: 1 },
      { type: 'actions/append', record },
      { type: 'contexts', items: [{ name: 'prod', host: 'ssh://prod', current: true }] },
    );
    const after = reduce(before, { type: 'reset', endpoint: 'b' });
    expect(after.services).toEqual([]);
    expect(after.loaded.services).toBe(false);
    expect(after.endpoint).toBe('b');
    expect(after.actions).toEqual([record]);
    expect(after.contexts).toHaveLength(1);
  });
});
